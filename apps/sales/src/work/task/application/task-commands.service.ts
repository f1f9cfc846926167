import { idFromKey, newId, taskStream, type TaskEvent } from '@crm/contracts';
import { DomainError, handleCommand, loadAggregate, type Clock, type CommandOptions, type CommandResult } from '@crm/domain';
import type { EventStore } from '@crm/eventstore';
import { commandOptions, CLOCK, EVENT_STORE, TIMER_STORE, type RequestContext } from '@crm/nest-kit';
import type { TimerStore } from '@crm/scheduler';
import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { unknownSubjects } from '../../application/subjects';
import type { CreateTask, TaskCommand } from '../domain/task.commands';
import { taskDecider, type ExistingTask, type TaskState } from '../domain/task.decider';
import { TaskError } from '../domain/task.errors';
import type { CancelTaskBody, CompleteTaskBody, CreateTaskBody, ReassignTaskBody, RescheduleTaskBody } from '../http/task.dto';

export const TASK_REMINDER = 'sales.TaskReminder';
export const TASK_DUE = 'sales.TaskDue';

/** What the timers carry: the task and the time they were armed for (a moved task makes them stale). */
export const TaskReminderPayload = z.object({ taskId: z.string(), remindAt: z.iso.datetime() });
export const TaskDuePayload = z.object({ taskId: z.string(), dueAt: z.iso.datetime() });

export const taskReminderTimerId = (taskId: string): string => `task-${taskId}:reminder`;
export const taskDueTimerId = (taskId: string): string => `task-${taskId}:due`;

type Result = CommandResult<TaskEvent, TaskState>;

/**
 * Task commands, and the task's two durable timers (reminder at `remindAt`, due at `dueAt`),
 * kept in step with the task after every command that changes its times or closes it.
 */
@Injectable()
export class TaskCommandsService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(TIMER_STORE) private readonly timers: TimerStore,
  ) {}

  /** A retried create with the same Idempotency-Key addresses the same task. */
  async create(ctx: RequestContext, { assigneeId, ...body }: CreateTaskBody): Promise<Result & { taskId: string }> {
    const taskId = ctx.idempotencyKey ? idFromKey(ctx.tenantId, 'task', ctx.idempotencyKey) : newId();
    if (body.about !== undefined) {
      const missing = await unknownSubjects(this.store, ctx.tenantId, body.about);
      if (missing.length > 0) throw new TaskError('subject_not_found', `the task is about something that does not exist: ${missing.join(', ')}`, { missing });
    }
    const command: CreateTask = {
      type: 'CreateTask',
      data: { taskId, ...body, assigneeId: assigneeId ?? ctx.actor, origin: { kind: 'manual' }, createdBy: ctx.actor, now: this.clock.now() },
    };
    return { ...(await this.run(ctx, taskId, command)), taskId };
  }

  /**
   * A task the system creates for a rule (e.g. a stalled deal), under `idempotencyKey` so a
   * redelivered trigger creates nothing twice; a task that already exists is left as it is.
   */
  async createForSystem(tenantId: string, data: Omit<CreateTask['data'], 'now'>, options: { idempotencyKey: string; correlationId: string; causationId: string }): Promise<void> {
    const command: CreateTask = { type: 'CreateTask', data: { ...data, now: this.clock.now() } };
    try {
      const result = await handleCommand(this.store, taskStream(data.taskId), taskDecider, command, {
        metadata: { tenantId, actor: 'system', correlationId: options.correlationId, causationId: options.causationId },
        idempotencyKey: options.idempotencyKey,
      });
      await this.syncTimers(tenantId, result.state);
    } catch (error) {
      if (error instanceof TaskError && error.code === 'task_already_exists') return;
      throw error;
    }
  }

  reschedule(ctx: RequestContext, taskId: string, body: RescheduleTaskBody): Promise<Result> {
    return this.run(ctx, taskId, { type: 'RescheduleTask', data: { taskId, ...body, now: this.clock.now() } });
  }

  reassign(ctx: RequestContext, taskId: string, body: ReassignTaskBody): Promise<Result> {
    return this.run(ctx, taskId, { type: 'ReassignTask', data: { taskId, assigneeId: body.assigneeId, now: this.clock.now() } });
  }

  complete(ctx: RequestContext, taskId: string, body: CompleteTaskBody): Promise<Result> {
    return this.run(ctx, taskId, { type: 'CompleteTask', data: { taskId, completedBy: ctx.actor, ...body, now: this.clock.now() } });
  }

  cancel(ctx: RequestContext, taskId: string, body: CancelTaskBody): Promise<Result> {
    return this.run(ctx, taskId, { type: 'CancelTask', data: { taskId, ...body, now: this.clock.now() } });
  }

  async get(ctx: RequestContext, taskId: string): Promise<{ state: ExistingTask; revision: number }> {
    const { state, revision } = await loadAggregate(this.store, taskStream(taskId), taskDecider, ctx.tenantId);
    if (state.status === 'none') throw new TaskError('task_not_found', `task ${taskId} does not exist`);
    return { state, revision };
  }

  /** The reminder timer fired (handler of `sales.TaskReminder`). */
  async reminderDue(tenantId: string, payload: unknown, idempotencyKey: string): Promise<void> {
    const { taskId, remindAt } = TaskReminderPayload.parse(payload);
    await this.fire(tenantId, taskId, idempotencyKey, { type: 'SendTaskReminder', data: { taskId, remindAt, now: this.clock.now() } });
  }

  /** The due timer fired (handler of `sales.TaskDue`). */
  async due(tenantId: string, payload: unknown, idempotencyKey: string): Promise<void> {
    const { taskId, dueAt } = TaskDuePayload.parse(payload);
    await this.fire(tenantId, taskId, idempotencyKey, { type: 'MarkTaskOverdue', data: { taskId, dueAt, now: this.clock.now() } });
  }

  /**
   * Appends the reminder/overdue event under the timer's idempotency key (a re-fire replays and
   * appends nothing). A stale timer appends nothing; when it is stale because two commands raced
   * and the slower one armed the timer with the older time, the timer is re-armed for the
   * task's current time (otherwise that time would never fire).
   */
  private async fire(tenantId: string, taskId: string, idempotencyKey: string, command: Extract<TaskCommand, { type: 'SendTaskReminder' | 'MarkTaskOverdue' }>): Promise<void> {
    const { state } = await loadAggregate(this.store, taskStream(taskId), taskDecider, tenantId);
    if (state.status !== 'open') return; // gone, completed or cancelled: nothing to do any more
    const reminder = command.type === 'SendTaskReminder';
    const armedFor = reminder ? command.data.remindAt : command.data.dueAt;
    const current = reminder ? state.remindAt : state.dueAt;
    if (current !== armedFor) {
      if (current !== undefined) await this.syncTimers(tenantId, state);
      return;
    }
    const options: CommandOptions = { metadata: { tenantId, actor: 'system', correlationId: idempotencyKey }, idempotencyKey };
    try {
      await handleCommand(this.store, taskStream(taskId), taskDecider, command, options);
    } catch (error) {
      if (error instanceof DomainError && error.kind !== 'conflict') return; // the task no longer qualifies
      throw error;
    }
  }

  private async run(ctx: RequestContext, taskId: string, command: TaskCommand): Promise<Result> {
    const result = await handleCommand(this.store, taskStream(taskId), taskDecider, command, commandOptions(ctx));
    // Also after a replay: a crash between the append and the timers is repaired by the retry.
    if (command.type !== 'ReassignTask') await this.syncTimers(ctx.tenantId, result.state);
    return result;
  }

  /**
   * Arms an open task's timers for its current times and cancels a closed task's. Scheduling is
   * idempotent by content (no correlation id, which differs per request, is stored), so a timer
   * that already fired for the same time is not re-armed; a moved time re-arms it.
   */
  private async syncTimers(tenantId: string, task: TaskState): Promise<void> {
    if (task.status === 'none') return;
    const reminderKey = { tenantId, id: taskReminderTimerId(task.taskId) };
    const dueKey = { tenantId, id: taskDueTimerId(task.taskId) };
    if (task.status !== 'open') {
      await this.timers.cancel(reminderKey);
      await this.timers.cancel(dueKey);
      return;
    }
    await this.timers.schedule({ ...dueKey, kind: TASK_DUE, dueAt: new Date(task.dueAt), payload: { taskId: task.taskId, dueAt: task.dueAt } }, { replace: true });
    if (task.remindAt === undefined) await this.timers.cancel(reminderKey);
    else await this.timers.schedule({ ...reminderKey, kind: TASK_REMINDER, dueAt: new Date(task.remindAt), payload: { taskId: task.taskId, remindAt: task.remindAt } }, { replace: true });
  }
}
