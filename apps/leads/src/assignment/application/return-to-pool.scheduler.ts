import { SCHEDULER } from '@crm/nest-kit';
import type { Scheduler } from '@crm/scheduler';
import { Inject, Injectable } from '@nestjs/common';
import { AssignmentService, RETURN_TO_POOL } from './assignment.service';

/** Registers the return-to-pool handler on the app's scheduler (`TimersModule` starts and stops it). */
@Injectable()
export class ReturnToPoolTimers {
  constructor(
    @Inject(SCHEDULER) scheduler: Scheduler,
    assignment: AssignmentService,
  ) {
    scheduler.on(RETURN_TO_POOL, (timer, { idempotencyKey }) => assignment.expire(timer.tenantId, timer.payload, idempotencyKey));
  }
}
