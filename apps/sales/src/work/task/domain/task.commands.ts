import type { SalesSubject, TaskCreatedData } from '@crm/contracts';

export type TaskOrigin = TaskCreatedData['origin'];

export type CreateTask = {
  type: 'CreateTask';
  data: {
    taskId: string;
    title: string;
    description?: string;
    about?: SalesSubject;
    assigneeId: string;
    dueAt: Date;
    remindAt?: Date;
    origin: TaskOrigin;
    createdBy?: string;
    now: Date;
  };
};

/**
 * Moves the due time. `remindAt`: a new reminder time, `null` to drop the reminder, or left out
 * to keep the reminder as far ahead of the new due time as it was of the old one.
 */
export type RescheduleTask = { type: 'RescheduleTask'; data: { taskId: string; dueAt: Date; remindAt?: Date | null; now: Date } };

export type ReassignTask = { type: 'ReassignTask'; data: { taskId: string; assigneeId: string; now: Date } };

export type CompleteTask = { type: 'CompleteTask'; data: { taskId: string; completedBy?: string; note?: string; now: Date } };

export type CancelTask = { type: 'CancelTask'; data: { taskId: string; reason?: string; now: Date } };

/** The reminder timer fired; `remindAt` is the reminder time the timer was armed for. */
export type SendTaskReminder = { type: 'SendTaskReminder'; data: { taskId: string; remindAt: string; now: Date } };

/** The due timer fired; `dueAt` is the due time the timer was armed for. */
export type MarkTaskOverdue = { type: 'MarkTaskOverdue'; data: { taskId: string; dueAt: string; now: Date } };

export type TaskCommand = CreateTask | RescheduleTask | ReassignTask | CompleteTask | CancelTask | SendTaskReminder | MarkTaskOverdue;
