import { ActivityKind } from '@crm/contracts';
import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);
const id = z.uuid({ message: 'ids are UUIDs' });
const timestamp = z.iso.datetime({ offset: true, message: 'an ISO 8601 timestamp such as 2026-11-02T09:30:00+08:00' }).transform((v) => new Date(v));

/** What an activity or task is about: an account, a contact and/or an opportunity (at least one). */
export const AboutBody = z
  .object({ accountId: id.optional(), contactId: id.optional(), opportunityId: id.optional() })
  .strict()
  .refine((a) => a.accountId !== undefined || a.contactId !== undefined || a.opportunityId !== undefined, { message: 'name an account, a contact or an opportunity' });

export const LogActivityBody = z
  .object({
    kind: ActivityKind,
    subject: text(300),
    body: text(10_000).optional(),
    about: AboutBody,
    /** When it happened (default: now); may be in the past, not in the future. */
    occurredAt: timestamp.optional(),
    durationMinutes: z.number().int('whole minutes').min(0).max(24 * 60).optional(),
  })
  .strict();
export type LogActivityBody = z.infer<typeof LogActivityBody>;

export const ActivityIdParam = z.uuid({ message: 'activity ids are UUIDs' });

export const ActivityCommandResponse = z.object({ id: z.string(), revision: z.number().int() });
export type ActivityCommandResponse = z.infer<typeof ActivityCommandResponse>;

export const ActivityResponse = ActivityCommandResponse.extend({
  kind: ActivityKind,
  subject: z.string(),
  body: z.string().optional(),
  about: z.object({ accountId: z.string().optional(), contactId: z.string().optional(), opportunityId: z.string().optional() }),
  actorId: z.string(),
  occurredAt: z.string(),
  durationMinutes: z.number().int().optional(),
  loggedAt: z.string(),
});
export type ActivityResponse = z.infer<typeof ActivityResponse>;
