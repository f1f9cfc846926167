import type { EventStore } from '@crm/eventstore';
import { EventSourcingModule, type BaseConfig } from '@crm/nest-kit';
import { type DynamicModule, Module } from '@nestjs/common';
import { LeadModule } from './lead/lead.module';

/** Composition root of the leads service: adapters come from configuration (or a test's overrides). */
@Module({})
export class AppModule {
  static forRoot(config: BaseConfig, overrides: { eventStore?: EventStore } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [EventSourcingModule.forRoot({ config, schema: 'leads', eventStore: overrides.eventStore }), LeadModule],
    };
  }
}
