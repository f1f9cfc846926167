import { LeadSourceChannel, Utm } from '@crm/contracts';
import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);

export const CaptureLeadBody = z
  .object({
    name: text(200),
    company: text(300).optional(),
    email: z.string().trim().toLowerCase().pipe(z.email()).optional(),
    phone: z.string().trim().regex(/^\+?[0-9 ()-]{5,40}$/, 'digits, spaces, (), - and an optional leading +').optional(),
    channel: LeadSourceChannel.default('api'),
    utm: Utm.strict().optional(),
  })
  .strict()
  .refine((b) => b.email !== undefined || b.phone !== undefined, { message: 'an e-mail or a phone number is required', path: ['email'] });
export type CaptureLeadBody = z.infer<typeof CaptureLeadBody>;

export const QualifyLeadBody = z.object({ note: text(2000).optional() }).strict();
export type QualifyLeadBody = z.infer<typeof QualifyLeadBody>;

export const DisqualifyLeadBody = z.object({ reason: text(500) }).strict();
export type DisqualifyLeadBody = z.infer<typeof DisqualifyLeadBody>;

export const ConvertLeadBody = z
  .object({
    /** Link to an existing account/contact instead of creating one. */
    accountId: z.uuid().optional(),
    contactId: z.uuid().optional(),
    /** Whether sales should open an opportunity (default true). */
    createOpportunity: z.boolean().default(true),
  })
  .strict();
export type ConvertLeadBody = z.infer<typeof ConvertLeadBody>;

export const LeadIdParam = z.uuid({ message: 'lead ids are UUIDs' });

export const LeadCommandResponse = z.object({
  id: z.string(),
  status: z.enum(['captured', 'qualified', 'disqualified', 'converted']),
  revision: z.number().int(),
});
export type LeadCommandResponse = z.infer<typeof LeadCommandResponse>;

export const LeadResponse = LeadCommandResponse.extend({
  name: z.string(),
  company: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
  channel: LeadSourceChannel,
  disqualifyReason: z.string().optional(),
  conversion: z.object({ accountId: z.string(), contactId: z.string(), opportunityId: z.string().optional() }).optional(),
});
