import type { Clock } from '@crm/domain';
import type { EventStore } from '@crm/eventstore';
import type { EventConsumer } from '@crm/messaging';
import { ConsumersModule, EventSourcingModule, TimersModule, type BaseConfig, type TimersModuleOptions } from '@crm/nest-kit';
import { type DynamicModule, Module } from '@nestjs/common';
import type { AssignmentOptions } from './assignment/application/assignment.tokens';
import { AssignmentModule } from './assignment/assignment.module';
import { CampaignModule } from './campaign/campaign.module';
import { LeadImportModule } from './import/lead-import.module';
import { LeadModule } from './lead/lead.module';
import type { ScoringOptions } from './scoring/application/lead-scoring.consumer';
import { ScoringModule } from './scoring/scoring.module';

/** What a test may replace; everything else comes from configuration. */
export type LeadsOverrides = {
  eventStore?: EventStore;
  /** One clock for commands and timers (tests: a `ManualClock`). */
  clock?: Clock;
  timers?: Omit<TimersModuleOptions, 'schema'>;
  scoring?: ScoringOptions;
  assignment?: AssignmentOptions;
  /** The consumer port for other contexts' events (sales); default from configuration. */
  consumer?: EventConsumer;
};

/** Composition root of the leads service: adapters come from configuration (or a test's overrides). */
@Module({})
export class AppModule {
  static forRoot(config: BaseConfig, overrides: LeadsOverrides = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        EventSourcingModule.forRoot({ config, schema: 'leads', eventStore: overrides.eventStore, clock: overrides.clock }),
        TimersModule.forRoot({ schema: 'leads', ...overrides.timers }),
        ConsumersModule.forRoot({ app: 'leads', schema: 'leads', otherContexts: overrides.consumer }),
        LeadModule,
        ScoringModule.forRoot(overrides.scoring),
        LeadImportModule,
        AssignmentModule.forRoot(overrides.assignment),
        CampaignModule,
      ],
    };
  }
}
