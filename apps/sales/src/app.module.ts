import type { Clock } from '@crm/domain';
import type { EventStore } from '@crm/eventstore';
import { ConsumersModule, EventSourcingModule, TimersModule, type BaseConfig, type TimersModuleOptions } from '@crm/nest-kit';
import { type DynamicModule, Global, Module } from '@nestjs/common';
import { CustomersModule } from './customers/customers.module';
import { DealsModule } from './deals/deals.module';
import { PipelineModule } from './pipeline/pipeline.module';
import { SALES_OPTIONS, type SalesOptions } from './sales.options';
import { WorkModule } from './work/work.module';

@Global()
@Module({})
class SalesOptionsModule {
  static forRoot(options: SalesOptions): DynamicModule {
    return { module: SalesOptionsModule, providers: [{ provide: SALES_OPTIONS, useValue: options }], exports: [SALES_OPTIONS] };
  }
}

/** Composition root of the sales service: adapters come from configuration (or a test's overrides). */
@Module({})
export class AppModule {
  static forRoot(
    config: BaseConfig,
    overrides: { eventStore?: EventStore; clock?: Clock; timers?: Omit<TimersModuleOptions, 'schema'>; sales?: SalesOptions } = {},
  ): DynamicModule {
    return {
      module: AppModule,
      imports: [
        EventSourcingModule.forRoot({ config, schema: 'sales', eventStore: overrides.eventStore, clock: overrides.clock }),
        TimersModule.forRoot({ schema: 'sales', ...overrides.timers }),
        ConsumersModule.forRoot({ app: 'sales', schema: 'sales', otherContexts: overrides.sales?.consumer }),
        SalesOptionsModule.forRoot(overrides.sales ?? {}),
        CustomersModule,
        PipelineModule,
        WorkModule,
        DealsModule,
      ],
    };
  }
}
