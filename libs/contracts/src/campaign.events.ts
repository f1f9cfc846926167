import { z } from 'zod';
import { CalendarDate, CurrencyCode, Money } from './money';

/**
 * Events of the campaign aggregate (stream `campaign-<id>`, DOMAIN.md §1 "Campaigns"):
 * budget, cost entries, channel, dates, A/B variants and per-variant engagement.
 * Money is always integer minor units plus an ISO 4217 currency (default CNY), never floats.
 */

/** Channels a campaign runs on. */
export const CampaignChannel = z.enum([
  'email', 'sms', 'wecom', 'wechat', 'social', 'search_ads', 'display_ads', 'content', 'webinar', 'trade_show', 'event', 'phone', 'direct_mail', 'referral', 'other',
]);
export type CampaignChannel = z.infer<typeof CampaignChannel>;

/** An ISO 4217 currency code, upper case (`CNY`, `USD`, …). */
export const CampaignCurrencyCode = CurrencyCode;

/** An amount of money: integer minor units (fen for CNY) and a currency. */
export const CampaignMoney = Money;
export type CampaignMoney = Money;

/** One arm of an A/B (or A/B/n) test: a key and an integer weight of the split. */
export const CampaignVariant = z.object({
  /** Short key, e.g. `A`, `B`, `control`. */
  key: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
  /** Positive integer share of the split: weights 1 and 3 send 25% and 75% of leads. */
  weight: z.number().int().min(1).max(10_000),
  subject: z.string().max(500).optional(),
  /** A reference to the content used by this variant (template id, URL, asset id). */
  contentRef: z.string().max(500).optional(),
});
export type CampaignVariant = z.infer<typeof CampaignVariant>;

export const CampaignEngagementKind = z.enum(['sent', 'opened', 'clicked', 'converted']);
export type CampaignEngagementKind = z.infer<typeof CampaignEngagementKind>;

export const CampaignCreatedData = z.object({
  campaignId: z.string(),
  name: z.string().min(1).max(200),
  channel: CampaignChannel,
  budget: CampaignMoney,
  startsOn: CalendarDate,
  endsOn: CalendarDate,
  createdAt: z.iso.datetime(),
});
export type CampaignCreatedData = z.infer<typeof CampaignCreatedData>;

/** Only the fields that changed are present. */
export const CampaignUpdatedData = z.object({
  campaignId: z.string(),
  name: z.string().min(1).max(200).optional(),
  budget: CampaignMoney.optional(),
  startsOn: CalendarDate.optional(),
  endsOn: CalendarDate.optional(),
  updatedAt: z.iso.datetime(),
});
export type CampaignUpdatedData = z.infer<typeof CampaignUpdatedData>;

export const CostRecordedData = z.object({
  campaignId: z.string(),
  /** The sender's id for the cost entry: recording the same id twice records it once. */
  costEntryId: z.string().min(1).max(200),
  amount: CampaignMoney,
  incurredOn: CalendarDate,
  note: z.string().max(2000).optional(),
  /** Sum of all cost entries after this one, same currency as the budget. */
  totalCost: CampaignMoney,
  recordedAt: z.iso.datetime(),
});
export type CostRecordedData = z.infer<typeof CostRecordedData>;

/**
 * The total cost went above the budget. Overspend is allowed (invoices arrive late); this is
 * the flag. Emitted once per crossing: raising the budget above the total re-arms it.
 */
export const BudgetExceededData = z.object({
  campaignId: z.string(),
  budget: CampaignMoney,
  totalCost: CampaignMoney,
  /** How far over the budget, in minor units. */
  overspendMinor: z.number().int().min(1),
  exceededAt: z.iso.datetime(),
});
export type BudgetExceededData = z.infer<typeof BudgetExceededData>;

export const VariantsDefinedData = z.object({
  campaignId: z.string(),
  variants: z.array(CampaignVariant).min(1).max(26),
  definedAt: z.iso.datetime(),
});
export type VariantsDefinedData = z.infer<typeof VariantsDefinedData>;

export const CampaignStartedData = z.object({ campaignId: z.string(), startedAt: z.iso.datetime() });
export type CampaignStartedData = z.infer<typeof CampaignStartedData>;

export const CampaignCompletedData = z.object({ campaignId: z.string(), completedAt: z.iso.datetime() });
export type CampaignCompletedData = z.infer<typeof CampaignCompletedData>;

export const CampaignCancelledData = z.object({
  campaignId: z.string(),
  reason: z.string().max(500).optional(),
  cancelledAt: z.iso.datetime(),
});
export type CampaignCancelledData = z.infer<typeof CampaignCancelledData>;

export const EngagementRecordedData = z.object({
  campaignId: z.string(),
  /** The sender's id for the engagement: recording the same id twice records it once. */
  engagementId: z.string().min(1).max(200),
  leadId: z.string(),
  kind: CampaignEngagementKind,
  /** The lead's variant (its first assignment, fixed by `variantFor`); null when the campaign has no variants. */
  variant: z.string().nullable(),
  at: z.iso.datetime(),
  recordedAt: z.iso.datetime(),
});
export type EngagementRecordedData = z.infer<typeof EngagementRecordedData>;

/** Event type names of campaigns, `campaigns.<EventName>`. */
export const CampaignEventType = {
  CampaignCreated: 'campaigns.CampaignCreated',
  CampaignUpdated: 'campaigns.CampaignUpdated',
  CostRecorded: 'campaigns.CostRecorded',
  BudgetExceeded: 'campaigns.BudgetExceeded',
  VariantsDefined: 'campaigns.VariantsDefined',
  CampaignStarted: 'campaigns.CampaignStarted',
  CampaignCompleted: 'campaigns.CampaignCompleted',
  CampaignCancelled: 'campaigns.CampaignCancelled',
  EngagementRecorded: 'campaigns.EngagementRecorded',
} as const;

export type CampaignEvent =
  | { type: typeof CampaignEventType.CampaignCreated; data: CampaignCreatedData }
  | { type: typeof CampaignEventType.CampaignUpdated; data: CampaignUpdatedData }
  | { type: typeof CampaignEventType.CostRecorded; data: CostRecordedData }
  | { type: typeof CampaignEventType.BudgetExceeded; data: BudgetExceededData }
  | { type: typeof CampaignEventType.VariantsDefined; data: VariantsDefinedData }
  | { type: typeof CampaignEventType.CampaignStarted; data: CampaignStartedData }
  | { type: typeof CampaignEventType.CampaignCompleted; data: CampaignCompletedData }
  | { type: typeof CampaignEventType.CampaignCancelled; data: CampaignCancelledData }
  | { type: typeof CampaignEventType.EngagementRecorded; data: EngagementRecordedData };

/** Stream of one campaign. */
export const campaignStream = (campaignId: string): string => `campaign-${campaignId}`;
