import type { EventStore } from '@crm/eventstore';
import { EventSourcingModule, type BaseConfig } from '@crm/nest-kit';
import { type DynamicModule, Module } from '@nestjs/common';
import { AssignmentModule, type AssignmentModuleOptions } from './assignment/assignment.module';
import { CampaignModule } from './campaign/campaign.module';
import { LeadModule } from './lead/lead.module';
import { ScoringModule } from './scoring/scoring.module';
import { LeadImportModule } from './import/lead-import.module';
import type { ScoringOptions } from './scoring/application/lead-scoring.consumer';

/** Composition root of the leads service: adapters come from configuration (or a test's overrides). */
@Module({})
export class AppModule {
  static forRoot(config: BaseConfig, overrides: { eventStore?: EventStore; scoring?: ScoringOptions; assignment?: AssignmentModuleOptions } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [EventSourcingModule.forRoot({ config, schema: 'leads', eventStore: overrides.eventStore }), LeadModule, ScoringModule.forRoot(overrides.scoring), LeadImportModule, AssignmentModule.forRoot(overrides.assignment), CampaignModule],
    };
  }
}
