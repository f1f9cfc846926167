import { SCHEDULER } from '@crm/nest-kit';
import type { Scheduler } from '@crm/scheduler';
import { Inject, Injectable } from '@nestjs/common';
import { TASK_DUE, TASK_REMINDER, TaskCommandsService } from './task-commands.service';

/** Hands the task timers to the task service; each command is issued with the firing's idempotency key. */
export const registerTaskTimers = (scheduler: Scheduler, tasks: TaskCommandsService): Scheduler =>
  scheduler
    .on(TASK_REMINDER, (timer, { idempotencyKey }) => tasks.reminderDue(timer.tenantId, timer.payload, idempotencyKey))
    .on(TASK_DUE, (timer, { idempotencyKey }) => tasks.due(timer.tenantId, timer.payload, idempotencyKey));

/** Registers the handlers on the app's scheduler (TimersModule starts and stops it). */
@Injectable()
export class TaskTimers {
  constructor(@Inject(SCHEDULER) scheduler: Scheduler, tasks: TaskCommandsService) {
    registerTaskTimers(scheduler, tasks);
  }
}
