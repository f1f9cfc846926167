import { AssignmentRule, AssignmentSettingsData, LeadSourceChannel } from '@crm/contracts';
import { z } from 'zod';

const repId = z.string().trim().min(1).max(255);

/** `{ ownerId }` assigns to that rep; `{ auto: true }` applies the tenant's rules and round-robin. */
export const AssignLeadBody = z.union([z.object({ ownerId: repId }).strict(), z.object({ auto: z.literal(true) }).strict()]);
export type AssignLeadBody = z.infer<typeof AssignLeadBody>;

export const FollowUpBody = z.object({ note: z.string().trim().min(1).max(2000).optional() }).strict();
export type FollowUpBody = z.infer<typeof FollowUpBody>;

export const AssignmentSettingsBody = AssignmentSettingsData.extend({
  repIds: z.array(repId).max(1000),
  rules: z.array(AssignmentRule.extend({ channels: z.array(LeadSourceChannel).max(20).optional() }).strict()).max(200),
  claimCap: z.int().positive().max(100_000).default(50),
  returnAfterDays: z.int().positive().max(3650).default(30),
}).strict();
export type AssignmentSettingsBody = z.infer<typeof AssignmentSettingsBody>;

export const PoolCommandResponse = z.object({ id: z.string(), ownerId: z.string().nullable(), revision: z.number().int() });
export type PoolCommandResponse = z.infer<typeof PoolCommandResponse>;
