import type { EventStore } from '@crm/eventstore';
import { EventSourcingModule, type BaseConfig } from '@crm/nest-kit';
import { type DynamicModule, Module } from '@nestjs/common';

/** Composition root of the billing service. */
@Module({})
export class AppModule {
  static forRoot(config: BaseConfig, overrides: { eventStore?: EventStore } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [EventSourcingModule.forRoot({ config, schema: 'billing', eventStore: overrides.eventStore })],
    };
  }
}
