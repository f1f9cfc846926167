import { type DynamicModule, Module } from '@nestjs/common';
import { LeadScoringConsumer, SCORING_OPTIONS, type ScoringOptions } from './application/lead-scoring.consumer';
import { LeadScoringService } from './application/lead-scoring.service';
import { ScoringRulesService } from './application/scoring-rules.service';
import { ScoringRulesController } from './http/scoring-rules.controller';

/** Lead scoring: the tenant's rule set (`/v1/scoring-rules`) and the consumer that scores leads as their events arrive. */
@Module({})
export class ScoringModule {
  static forRoot(options: ScoringOptions = {}): DynamicModule {
    return {
      module: ScoringModule,
      controllers: [ScoringRulesController],
      providers: [{ provide: SCORING_OPTIONS, useValue: options }, ScoringRulesService, LeadScoringService, LeadScoringConsumer],
      exports: [ScoringRulesService, LeadScoringService],
    };
  }
}
