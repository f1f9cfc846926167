import { z } from 'zod';
import { AboutBody } from '../../activity/http/activity.dto';

const text = (max: number) => z.string().trim().min(1).max(max);
const timestamp = z.iso.datetime({ offset: true, message: 'an ISO 8601 timestamp such as 2026-11-05T10:00:00+08:00' }).transform((v) => new Date(v));
const person = text(100);

export const CreateTaskBody = z
  .object({
    title: text(300),
    description: text(5000).optional(),
    about: AboutBody.optional(),
    /** Default: the actor (x-actor-id). */
    assigneeId: person.optional(),
    dueAt: timestamp,
    /** At or before `dueAt` (else 422); none → no reminder. */
    remindAt: timestamp.optional(),
  })
  .strict();
export type CreateTaskBody = z.infer<typeof CreateTaskBody>;

export const RescheduleTaskBody = z
  .object({
    dueAt: timestamp,
    /** A new reminder time, null to drop the reminder; left out, the reminder keeps its lead time before the due time. */
    remindAt: timestamp.nullable().optional(),
  })
  .strict();
export type RescheduleTaskBody = z.infer<typeof RescheduleTaskBody>;

export const ReassignTaskBody = z.object({ assigneeId: person }).strict();
export type ReassignTaskBody = z.infer<typeof ReassignTaskBody>;

export const CompleteTaskBody = z.object({ note: text(2000).optional() }).strict();
export type CompleteTaskBody = z.infer<typeof CompleteTaskBody>;

export const CancelTaskBody = z.object({ reason: text(500).optional() }).strict();
export type CancelTaskBody = z.infer<typeof CancelTaskBody>;

export const TaskIdParam = z.uuid({ message: 'task ids are UUIDs' });

const status = z.enum(['open', 'completed', 'cancelled']);

export const TaskCommandResponse = z.object({ id: z.string(), status, revision: z.number().int() });
export type TaskCommandResponse = z.infer<typeof TaskCommandResponse>;

export const TaskResponse = TaskCommandResponse.extend({
  title: z.string(),
  description: z.string().optional(),
  about: z.object({ accountId: z.string().optional(), contactId: z.string().optional(), opportunityId: z.string().optional() }).optional(),
  assigneeId: z.string(),
  dueAt: z.string(),
  remindAt: z.string().optional(),
  /** The reminder for the current `remindAt` has been sent. */
  reminded: z.boolean(),
  /** The current `dueAt` passed while the task was open. */
  overdue: z.boolean(),
  origin: z.object({ kind: z.enum(['manual', 'stalled_deal']), opportunityId: z.string().optional() }),
  createdBy: z.string().optional(),
  createdAt: z.string(),
  closedAt: z.string().optional(),
});
export type TaskResponse = z.infer<typeof TaskResponse>;
