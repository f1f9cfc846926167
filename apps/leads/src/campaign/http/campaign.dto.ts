import { CampaignChannel, CampaignEngagementKind, CampaignVariant } from '@crm/contracts';
import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);
const calendarDate = z.iso.date({ message: 'a calendar date, YYYY-MM-DD' });
const currency = z.string().trim().toUpperCase().regex(/^[A-Z]{3}$/, 'an ISO 4217 currency code such as CNY');
/** Integer minor units (fen for CNY): 12.50 CNY is 1250. Decimals are refused, never rounded. */
const minorUnits = (min: number) => z.number().int('money is integer minor units').min(min).max(Number.MAX_SAFE_INTEGER);

export const BudgetBody = z.object({ amountMinor: minorUnits(0), currency: currency.default('CNY') }).strict();

export const CreateCampaignBody = z
  .object({
    name: text(200),
    channel: CampaignChannel,
    budget: BudgetBody,
    startsOn: calendarDate,
    endsOn: calendarDate,
  })
  .strict();
export type CreateCampaignBody = z.infer<typeof CreateCampaignBody>;

export const UpdateCampaignBody = z
  .object({ name: text(200).optional(), budget: BudgetBody.optional(), startsOn: calendarDate.optional(), endsOn: calendarDate.optional() })
  .strict()
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'nothing to change: give name, budget, startsOn or endsOn' });
export type UpdateCampaignBody = z.infer<typeof UpdateCampaignBody>;

export const AddCostBody = z
  .object({
    /** The sender's id: re-sending the same entry records it once. */
    costEntryId: text(200),
    amountMinor: minorUnits(1),
    /** Must be the budget's currency (default CNY). */
    currency: currency.default('CNY'),
    incurredOn: calendarDate,
    note: text(2000).optional(),
  })
  .strict();
export type AddCostBody = z.infer<typeof AddCostBody>;

export const DefineVariantsBody = z
  .object({
    variants: z
      .array(CampaignVariant.extend({ subject: text(500).optional(), contentRef: text(500).optional() }).strict())
      .min(1)
      .max(26),
  })
  .strict();
export type DefineVariantsBody = z.infer<typeof DefineVariantsBody>;

export const CancelCampaignBody = z.object({ reason: text(500).optional() }).strict();
export type CancelCampaignBody = z.infer<typeof CancelCampaignBody>;

export const MAX_ENGAGEMENTS_PER_BATCH = 500;

export const EngagementBatchBody = z
  .object({
    engagements: z
      .array(
        z
          .object({
            engagementId: text(200),
            leadId: z.uuid({ message: 'lead ids are UUIDs' }),
            kind: CampaignEngagementKind,
            at: z.iso.datetime({ offset: true }).transform((v) => new Date(v).toISOString()),
          })
          .strict(),
      )
      .min(1)
      .max(MAX_ENGAGEMENTS_PER_BATCH),
  })
  .strict();
export type EngagementBatchBody = z.infer<typeof EngagementBatchBody>;

export type EngagementResult = { engagementId: string; leadId: string; status: 'recorded' | 'duplicate'; variant: string | null };

export const CampaignIdParam = z.uuid({ message: 'campaign ids are UUIDs' });

/** `?leadId=`: required; a missing one reaches the pipe as undefined → `{}` and fails as not a string. */
export const LeadIdQuery = z.uuid({ message: 'lead ids are UUIDs' });

const status = z.enum(['draft', 'running', 'completed', 'cancelled']);

export const CampaignCommandResponse = z.object({ id: z.string(), status, revision: z.number().int() });
export type CampaignCommandResponse = z.infer<typeof CampaignCommandResponse>;

const money = z.object({ amountMinor: z.number().int(), currency: z.string() });
const counts = z.object({ sent: z.number().int(), opened: z.number().int(), clicked: z.number().int(), converted: z.number().int() });
/** Distinct leads that opened / clicked / converted over distinct leads sent; null before anything was sent. */
const rates = z.object({ openRate: z.number().nullable(), clickRate: z.number().nullable(), conversionRate: z.number().nullable() });

export const CampaignResponse = CampaignCommandResponse.extend({
  name: z.string(),
  channel: CampaignChannel,
  startsOn: z.string(),
  endsOn: z.string(),
  budget: money,
  totalCost: money,
  /** Budget minus total cost; negative when overspent. */
  remaining: money,
  budgetExceeded: z.boolean(),
  variants: z.array(CampaignVariant.extend({ counts, rates })),
  totals: z.object({ counts, rates }),
});
export type CampaignResponse = z.infer<typeof CampaignResponse>;

export const VariantResponse = z.object({
  campaignId: z.string(),
  leadId: z.string(),
  variant: z.string(),
  /** True when the lead already has engagement recorded under this variant. */
  assigned: z.boolean(),
});
export type VariantResponse = z.infer<typeof VariantResponse>;
