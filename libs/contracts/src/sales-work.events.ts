import { z } from 'zod';

/**
 * Activities (`activity-<id>`) and tasks (`task-<id>`) of the sales context (DOMAIN.md §2).
 * Task reminders and due times run on the durable timers of `@crm/scheduler`.
 */

/** What an activity or task is about: at least one of the three. */
export const SalesSubject = z.object({
  accountId: z.string().optional(),
  contactId: z.string().optional(),
  opportunityId: z.string().optional(),
}).refine((s) => s.accountId !== undefined || s.contactId !== undefined || s.opportunityId !== undefined, 'name an account, a contact or an opportunity');
export type SalesSubject = z.infer<typeof SalesSubject>;

export const ActivityKind = z.enum(['call', 'visit', 'meeting', 'note', 'email']);
export type ActivityKind = z.infer<typeof ActivityKind>;

export const ActivityLoggedData = z.object({
  activityId: z.string(),
  kind: ActivityKind,
  subject: z.string().min(1).max(300),
  body: z.string().max(10_000).optional(),
  about: SalesSubject,
  /** The rep who did it. */
  actorId: z.string().min(1).max(100),
  /** When it happened (may be earlier than it was logged). */
  occurredAt: z.iso.datetime(),
  durationMinutes: z.number().int().min(0).max(24 * 60).optional(),
  loggedAt: z.iso.datetime(),
});
export type ActivityLoggedData = z.infer<typeof ActivityLoggedData>;

/** Why a task exists when the system created it. */
export const TaskOrigin = z.object({
  kind: z.enum(['manual', 'stalled_deal']),
  /** For `stalled_deal`: the opportunity. */
  opportunityId: z.string().optional(),
});

export const TaskCreatedData = z.object({
  taskId: z.string(),
  title: z.string().min(1).max(300),
  description: z.string().max(5000).optional(),
  about: SalesSubject.optional(),
  assigneeId: z.string().min(1).max(100),
  dueAt: z.iso.datetime(),
  /** When to remind the assignee (before `dueAt`); none → no reminder. */
  remindAt: z.iso.datetime().optional(),
  origin: TaskOrigin,
  createdBy: z.string().optional(),
  createdAt: z.iso.datetime(),
});
export type TaskCreatedData = z.infer<typeof TaskCreatedData>;

export const TaskRescheduledData = z.object({
  taskId: z.string(),
  dueAt: z.iso.datetime(),
  remindAt: z.iso.datetime().nullable(),
  rescheduledAt: z.iso.datetime(),
});
export type TaskRescheduledData = z.infer<typeof TaskRescheduledData>;

export const TaskReassignedData = z.object({ taskId: z.string(), from: z.string(), to: z.string(), reassignedAt: z.iso.datetime() });
export type TaskReassignedData = z.infer<typeof TaskReassignedData>;

/** The reminder timer fired: notify the assignee (automation consumes this). */
export const TaskReminderDueData = z.object({ taskId: z.string(), assigneeId: z.string(), title: z.string(), dueAt: z.iso.datetime(), remindedAt: z.iso.datetime() });
export type TaskReminderDueData = z.infer<typeof TaskReminderDueData>;

/** The due time passed with the task open. */
export const TaskOverdueData = z.object({ taskId: z.string(), assigneeId: z.string(), dueAt: z.iso.datetime(), detectedAt: z.iso.datetime() });
export type TaskOverdueData = z.infer<typeof TaskOverdueData>;

export const TaskCompletedData = z.object({ taskId: z.string(), completedBy: z.string().optional(), note: z.string().max(2000).optional(), completedAt: z.iso.datetime() });
export type TaskCompletedData = z.infer<typeof TaskCompletedData>;

export const TaskCancelledData = z.object({ taskId: z.string(), reason: z.string().max(500).optional(), cancelledAt: z.iso.datetime() });
export type TaskCancelledData = z.infer<typeof TaskCancelledData>;

export const SalesWorkEventType = {
  ActivityLogged: 'sales.ActivityLogged',
  TaskCreated: 'sales.TaskCreated',
  TaskRescheduled: 'sales.TaskRescheduled',
  TaskReassigned: 'sales.TaskReassigned',
  TaskReminderDue: 'sales.TaskReminderDue',
  TaskOverdue: 'sales.TaskOverdue',
  TaskCompleted: 'sales.TaskCompleted',
  TaskCancelled: 'sales.TaskCancelled',
} as const;

export type ActivityEvent = { type: typeof SalesWorkEventType.ActivityLogged; data: ActivityLoggedData };

export type TaskEvent =
  | { type: typeof SalesWorkEventType.TaskCreated; data: TaskCreatedData }
  | { type: typeof SalesWorkEventType.TaskRescheduled; data: TaskRescheduledData }
  | { type: typeof SalesWorkEventType.TaskReassigned; data: TaskReassignedData }
  | { type: typeof SalesWorkEventType.TaskReminderDue; data: TaskReminderDueData }
  | { type: typeof SalesWorkEventType.TaskOverdue; data: TaskOverdueData }
  | { type: typeof SalesWorkEventType.TaskCompleted; data: TaskCompletedData }
  | { type: typeof SalesWorkEventType.TaskCancelled; data: TaskCancelledData };

export const activityStream = (activityId: string): string => `activity-${activityId}`;
export const taskStream = (taskId: string): string => `task-${taskId}`;
