import type { Clock } from '@crm/domain';
import { CLOCK, PG_POOL } from '@crm/nest-kit';
import { InMemoryTimerStore, migrateScheduler, PostgresTimerStore, Scheduler, type TimerStore } from '@crm/scheduler';
import { type DynamicModule, Module } from '@nestjs/common';
import type { Pool } from 'pg';
import { AssignmentService } from './application/assignment.service';
import { ASSIGNMENT_CLOCK, ASSIGNMENT_OPTIONS, SCHEDULER, TIMER_STORE } from './application/assignment.tokens';
import { ReturnToPoolTimers } from './application/return-to-pool.scheduler';
import { AssignmentController } from './http/assignment.controller';

export type AssignmentModuleOptions = {
  /** Tests: a timer store shared across app restarts. Default: PostgreSQL (schema `leads`) with a pool, in memory without. */
  timerStore?: TimerStore;
  /** Tests: a `ManualClock`. Default: the app's clock. */
  clock?: Clock;
  /** Tests drive the scheduler with `runOnce()` instead (default true). */
  startScheduler?: boolean;
};

/** The lead pool (公海) and assignment, with its durable return-to-pool timers. */
@Module({})
export class AssignmentModule {
  static forRoot(options: AssignmentModuleOptions = {}): DynamicModule {
    return {
      module: AssignmentModule,
      controllers: [AssignmentController],
      providers: [
        { provide: ASSIGNMENT_OPTIONS, useValue: options },
        { provide: ASSIGNMENT_CLOCK, inject: [CLOCK], useFactory: (clock: Clock) => options.clock ?? clock },
        {
          provide: TIMER_STORE,
          inject: [PG_POOL],
          useFactory: async (pool: Pool | undefined): Promise<TimerStore> => {
            if (options.timerStore) return options.timerStore;
            if (!pool) return new InMemoryTimerStore();
            await migrateScheduler(pool, 'leads');
            return new PostgresTimerStore({ pool, schema: 'leads' });
          },
        },
        {
          provide: SCHEDULER,
          inject: [TIMER_STORE, ASSIGNMENT_CLOCK],
          useFactory: (store: TimerStore, clock: Clock) => new Scheduler({ store, clock }),
        },
        AssignmentService,
        ReturnToPoolTimers,
      ],
      exports: [AssignmentService, SCHEDULER, TIMER_STORE],
    };
  }
}
