import { Scheduler } from '@crm/scheduler';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AssignmentService, RETURN_TO_POOL } from './assignment.service';
import { ASSIGNMENT_OPTIONS, SCHEDULER } from './assignment.tokens';

/** Registers the return-to-pool handler; starts the scheduler on bootstrap, stops it before the pool closes. */
@Injectable()
export class ReturnToPoolTimers implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    @Inject(SCHEDULER) private readonly scheduler: Scheduler,
    private readonly assignment: AssignmentService,
    @Inject(ASSIGNMENT_OPTIONS) private readonly options: { startScheduler?: boolean },
  ) {
    this.scheduler.on(RETURN_TO_POOL, (timer, { idempotencyKey }) => this.assignment.expire(timer.tenantId, timer.payload, idempotencyKey));
  }

  onApplicationBootstrap(): void {
    if (this.options.startScheduler !== false) this.scheduler.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.scheduler.stop();
  }
}
