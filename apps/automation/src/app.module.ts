import type { EventStore } from '@crm/eventstore';
import { EventSourcingModule, type BaseConfig } from '@crm/nest-kit';
import { type DynamicModule, Module } from '@nestjs/common';

/** Composition root of the automation service. */
@Module({})
export class AppModule {
  static forRoot(config: BaseConfig, overrides: { eventStore?: EventStore } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [EventSourcingModule.forRoot({ config, schema: 'automation', eventStore: overrides.eventStore })],
    };
  }
}
