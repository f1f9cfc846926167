import { CurrencyCode } from '@crm/contracts';
import { z } from 'zod';
import { PipelineIdParam } from './pipeline.dto';

const text = (max: number) => z.string().trim().min(1).max(max);
const calendarDate = z.iso.date({ message: 'a calendar date, YYYY-MM-DD' });
const stageId = z.string().regex(/^[a-z][a-z0-9_]{0,49}$/, 'a stage key such as negotiation');
/** Competitor names, duplicates dropped (first occurrence kept). */
const competitors = z.array(text(200)).max(20).transform((names) => [...new Set(names)]);

/** Integer minor units (fen for CNY) and an ISO 4217 currency; decimals are refused, never rounded. */
export const MoneyBody = z
  .object({
    amountMinor: z.number().int('money is integer minor units').min(0).max(Number.MAX_SAFE_INTEGER),
    currency: z.string().trim().toUpperCase().pipe(CurrencyCode),
  })
  .strict();

export const CreateOpportunityBody = z
  .object({
    name: text(300),
    /** The account (not checked against the customers feature: only its id format). */
    accountId: z.uuid({ message: 'account ids are UUIDs' }),
    contactId: z.uuid({ message: 'contact ids are UUIDs' }).optional(),
    /** Default: the tenant's `default` pipeline. */
    pipelineId: PipelineIdParam.optional(),
    /** Default: the pipeline's first stage. */
    stageId: stageId.optional(),
    amount: MoneyBody,
    expectedCloseDate: calendarDate,
    /** Default: the caller (x-actor-id). */
    ownerId: text(100).optional(),
    teamId: text(100).optional(),
    competitors: competitors.optional(),
  })
  .strict();
export type CreateOpportunityBody = z.infer<typeof CreateOpportunityBody>;

export const UpdateOpportunityBody = z
  .object({
    name: text(300).optional(),
    amount: MoneyBody.optional(),
    expectedCloseDate: calendarDate.optional(),
    ownerId: text(100).optional(),
    /** null removes the team. */
    teamId: text(100).nullable().optional(),
    /** null removes the contact. */
    contactId: z.uuid({ message: 'contact ids are UUIDs' }).nullable().optional(),
    competitors: competitors.optional(),
  })
  .strict()
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'nothing to change' });
export type UpdateOpportunityBody = z.infer<typeof UpdateOpportunityBody>;

export const ChangeStageBody = z.object({ stageId }).strict();
export type ChangeStageBody = z.infer<typeof ChangeStageBody>;

/** `reason` is checked by the domain (422 `lost_reason_required` / `unknown_lost_reason`), not here. */
export const LoseOpportunityBody = z
  .object({ reason: z.string().max(50).optional(), note: text(2000).optional(), competitor: text(200).optional() })
  .strict();
export type LoseOpportunityBody = z.infer<typeof LoseOpportunityBody>;

export const ReopenOpportunityBody = z.object({ stageId: stageId.optional() }).strict();
export type ReopenOpportunityBody = z.infer<typeof ReopenOpportunityBody>;

export const OpportunityIdParam = z.uuid({ message: 'opportunity ids are UUIDs' });

const status = z.enum(['open', 'won', 'lost']);

export const OpportunityCommandResponse = z.object({ id: z.string(), status, stageId: z.string(), probability: z.number().int(), revision: z.number().int() });
export type OpportunityCommandResponse = z.infer<typeof OpportunityCommandResponse>;

const money = z.object({ amountMinor: z.number().int(), currency: z.string() });

export const OpportunityResponse = OpportunityCommandResponse.extend({
  name: z.string(),
  accountId: z.string(),
  contactId: z.string().optional(),
  pipelineId: z.string(),
  amount: money,
  expectedCloseDate: z.string(),
  ownerId: z.string(),
  teamId: z.string().optional(),
  competitors: z.array(z.string()),
  source: z.object({ leadId: z.string().optional(), campaignId: z.string().optional(), channel: z.string().optional() }).optional(),
  createdAt: z.string(),
  /** The last create, update, stage move, reopen or activity (when it happened): the stalled-deal clock runs from here. */
  lastUpdateAt: z.string(),
  /** When the latest activity logged about the opportunity happened (absent before the first). */
  lastActivityAt: z.string().optional(),
  closedAt: z.string().optional(),
  lost: z.object({ reason: z.string(), note: z.string().optional(), competitor: z.string().optional() }).optional(),
  /** Every stay in a stage; `ms` is exact (to `leftAt`, or to now while still there). */
  stageHistory: z.array(z.object({ stageId: z.string(), enteredAt: z.string(), leftAt: z.string().nullable(), ms: z.number().int() })),
  msInCurrentStage: z.number().int(),
  /** Whole days (24 h) in the current stage, from the timestamps. */
  daysInCurrentStage: z.number().int(),
  /** When each stalled level was reported in the current idle spell. */
  stalled: z.object({ owner: z.string().optional(), manager: z.string().optional() }),
});
export type OpportunityResponse = z.infer<typeof OpportunityResponse>;
