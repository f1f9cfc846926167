import type { Clock } from '@crm/domain';
import { InMemoryTimerStore, migrateScheduler, PostgresTimerStore, Scheduler, type TimerStore } from '@crm/scheduler';
import { type DynamicModule, Global, Inject, Injectable, Module, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Pool } from 'pg';
import { CLOCK } from './command-context';
import { PG_POOL } from './event-sourcing.module';

/** The app's `Scheduler` (register handlers with `scheduler.on(kind, …)` in a provider's constructor). */
export const SCHEDULER = Symbol('SCHEDULER');
/** The app's durable `TimerStore`. */
export const TIMER_STORE = Symbol('TIMER_STORE');
/** The clock timers are scheduled and fired by: the app's, or a test's `ManualClock`. */
export const TIMER_CLOCK = Symbol('TIMER_CLOCK');

export type TimersModuleOptions = {
  /** PostgreSQL schema of the timer table (the app's own). */
  schema: string;
  /** Tests: a timer store shared across app restarts. Default: PostgreSQL with a pool, in memory without. */
  timerStore?: TimerStore;
  /** Tests: a `ManualClock`. Default: the app's clock. */
  clock?: Clock;
  /** Tests drive the scheduler with `runOnce()` instead (default true). */
  start?: boolean;
};

const OPTIONS = Symbol('TIMERS_OPTIONS');

/** Starts the scheduler once every handler is registered; stops it before the pool closes. */
@Injectable()
class SchedulerLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    @Inject(SCHEDULER) private readonly scheduler: Scheduler,
    @Inject(OPTIONS) private readonly options: TimersModuleOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.start !== false) this.scheduler.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.scheduler.stop();
  }
}

/**
 * Durable timers (`@crm/scheduler`) for a service: one store and one runner, shared by every
 * feature module of the app (global). Needs `EventSourcingModule` (for `CLOCK` and `PG_POOL`).
 */
@Global()
@Module({})
export class TimersModule {
  static forRoot(options: TimersModuleOptions): DynamicModule {
    return {
      module: TimersModule,
      providers: [
        { provide: OPTIONS, useValue: options },
        { provide: TIMER_CLOCK, inject: [CLOCK], useFactory: (clock: Clock) => options.clock ?? clock },
        {
          provide: TIMER_STORE,
          inject: [PG_POOL],
          useFactory: async (pool: Pool | undefined): Promise<TimerStore> => {
            if (options.timerStore) return options.timerStore;
            if (!pool) return new InMemoryTimerStore();
            await migrateScheduler(pool, options.schema);
            return new PostgresTimerStore({ pool, schema: options.schema });
          },
        },
        { provide: SCHEDULER, inject: [TIMER_STORE, TIMER_CLOCK], useFactory: (store: TimerStore, clock: Clock) => new Scheduler({ store, clock }) },
        SchedulerLifecycle,
      ],
      exports: [SCHEDULER, TIMER_STORE, TIMER_CLOCK],
    };
  }
}
