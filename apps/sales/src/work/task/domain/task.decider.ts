import { SalesWorkEventType, type SalesSubject, type TaskEvent } from '@crm/contracts';
import type { Decider } from '@crm/domain';
import type {
  CancelTask, CompleteTask, CreateTask, MarkTaskOverdue, ReassignTask, RescheduleTask, SendTaskReminder, TaskCommand, TaskOrigin,
} from './task.commands';
import { TaskError } from './task.errors';

export type TaskStatus = 'open' | 'completed' | 'cancelled';

export type TaskState =
  | { status: 'none' }
  | {
      status: TaskStatus;
      taskId: string;
      title: string;
      description?: string;
      about?: SalesSubject;
      assigneeId: string;
      /** ISO 8601 UTC, as in the events. */
      dueAt: string;
      remindAt?: string;
      origin: TaskOrigin;
      createdBy?: string;
      createdAt: string;
      /** The reminder time a reminder was sent for: a re-fired timer for it sends nothing. */
      remindedFor?: string;
      /** The due time the task was flagged overdue for; moving the due time re-arms the flag. */
      overdueFor?: string;
      closedAt?: string;
    };

export type ExistingTask = Exclude<TaskState, { status: 'none' }>;

const existing = (state: TaskState, taskId: string): ExistingTask => {
  if (state.status === 'none') throw new TaskError('task_not_found', `task ${taskId} does not exist`);
  return state;
};

const refuseClosed = (task: ExistingTask, action: string) => {
  if (task.status !== 'open') throw new TaskError('task_closed', `task ${task.taskId} is ${task.status}; cannot ${action}`, { taskStatus: task.status });
};

const checkReminder = (dueAt: Date, remindAt: Date | undefined) => {
  if (remindAt !== undefined && remindAt.getTime() > dueAt.getTime()) {
    throw new TaskError('invalid_reminder', `the reminder (${remindAt.toISOString()}) must not be after the due time (${dueAt.toISOString()})`);
  }
};

const create = ({ data }: CreateTask, state: TaskState): TaskEvent[] => {
  if (state.status !== 'none') throw new TaskError('task_already_exists', `task ${data.taskId} already exists`);
  checkReminder(data.dueAt, data.remindAt);
  return [{
    type: SalesWorkEventType.TaskCreated,
    data: {
      taskId: data.taskId,
      title: data.title,
      ...(data.description !== undefined && { description: data.description }),
      ...(data.about !== undefined && { about: data.about }),
      assigneeId: data.assigneeId,
      dueAt: data.dueAt.toISOString(),
      ...(data.remindAt !== undefined && { remindAt: data.remindAt.toISOString() }),
      origin: data.origin,
      ...(data.createdBy !== undefined && { createdBy: data.createdBy }),
      createdAt: data.now.toISOString(),
    },
  }];
};

const reschedule = ({ data }: RescheduleTask, state: TaskState): TaskEvent[] => {
  const task = existing(state, data.taskId);
  refuseClosed(task, 'reschedule it');
  // Left out: the reminder keeps its lead time before the due time (a reminder "1 hour before" stays so).
  const remindAt = data.remindAt === null
    ? undefined
    : data.remindAt ?? (task.remindAt === undefined ? undefined : new Date(data.dueAt.getTime() - (Date.parse(task.dueAt) - Date.parse(task.remindAt))));
  checkReminder(data.dueAt, remindAt);
  const dueAt = data.dueAt.toISOString();
  const remind = remindAt?.toISOString();
  if (dueAt === task.dueAt && remind === task.remindAt) return [];
  return [{ type: SalesWorkEventType.TaskRescheduled, data: { taskId: task.taskId, dueAt, remindAt: remind ?? null, rescheduledAt: data.now.toISOString() } }];
};

const reassign = ({ data }: ReassignTask, state: TaskState): TaskEvent[] => {
  const task = existing(state, data.taskId);
  refuseClosed(task, 'reassign it');
  if (task.assigneeId === data.assigneeId) return [];
  return [{ type: SalesWorkEventType.TaskReassigned, data: { taskId: task.taskId, from: task.assigneeId, to: data.assigneeId, reassignedAt: data.now.toISOString() } }];
};

const complete = ({ data }: CompleteTask, state: TaskState): TaskEvent[] => {
  const task = existing(state, data.taskId);
  if (task.status === 'completed') return [];
  refuseClosed(task, 'complete it');
  return [{
    type: SalesWorkEventType.TaskCompleted,
    data: {
      taskId: task.taskId,
      ...(data.completedBy !== undefined && { completedBy: data.completedBy }),
      ...(data.note !== undefined && { note: data.note }),
      completedAt: data.now.toISOString(),
    },
  }];
};

const cancel = ({ data }: CancelTask, state: TaskState): TaskEvent[] => {
  const task = existing(state, data.taskId);
  if (task.status === 'cancelled') return [];
  refuseClosed(task, 'cancel it');
  return [{ type: SalesWorkEventType.TaskCancelled, data: { taskId: task.taskId, ...(data.reason !== undefined && { reason: data.reason }), cancelledAt: data.now.toISOString() } }];
};

/** A timer that no longer matches the task (closed, moved, reminder dropped, already sent) does nothing. */
const remind = ({ data }: SendTaskReminder, state: TaskState): TaskEvent[] => {
  const task = existing(state, data.taskId);
  if (task.status !== 'open' || task.remindAt !== data.remindAt || task.remindedFor === data.remindAt) return [];
  return [{
    type: SalesWorkEventType.TaskReminderDue,
    data: { taskId: task.taskId, assigneeId: task.assigneeId, title: task.title, dueAt: task.dueAt, remindedAt: data.now.toISOString() },
  }];
};

const overdue = ({ data }: MarkTaskOverdue, state: TaskState): TaskEvent[] => {
  const task = existing(state, data.taskId);
  if (task.status !== 'open' || task.dueAt !== data.dueAt || task.overdueFor === data.dueAt) return [];
  return [{ type: SalesWorkEventType.TaskOverdue, data: { taskId: task.taskId, assigneeId: task.assigneeId, dueAt: task.dueAt, detectedAt: data.now.toISOString() } }];
};

const evolve = (state: TaskState, event: TaskEvent): TaskState => {
  if (event.type === SalesWorkEventType.TaskCreated) {
    return { status: 'open', ...event.data };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case SalesWorkEventType.TaskRescheduled: {
      const { remindAt: _old, ...rest } = state;
      return { ...rest, dueAt: event.data.dueAt, ...(event.data.remindAt !== null && { remindAt: event.data.remindAt }) };
    }
    case SalesWorkEventType.TaskReassigned:
      return { ...state, assigneeId: event.data.to };
    case SalesWorkEventType.TaskReminderDue:
      return { ...state, remindedFor: state.remindAt };
    case SalesWorkEventType.TaskOverdue:
      return { ...state, overdueFor: event.data.dueAt };
    case SalesWorkEventType.TaskCompleted:
      return { ...state, status: 'completed', closedAt: event.data.completedAt };
    case SalesWorkEventType.TaskCancelled:
      return { ...state, status: 'cancelled', closedAt: event.data.cancelledAt };
  }
};

const decide = (command: TaskCommand, state: TaskState): TaskEvent[] => {
  switch (command.type) {
    case 'CreateTask': return create(command, state);
    case 'RescheduleTask': return reschedule(command, state);
    case 'ReassignTask': return reassign(command, state);
    case 'CompleteTask': return complete(command, state);
    case 'CancelTask': return cancel(command, state);
    case 'SendTaskReminder': return remind(command, state);
    case 'MarkTaskOverdue': return overdue(command, state);
  }
};

export const taskDecider: Decider<TaskCommand, TaskEvent, TaskState> = {
  initialState: () => ({ status: 'none' }),
  evolve,
  decide,
};
