import { z } from 'zod';
import { CalendarDate, CurrencyCode, Money } from './money';
import { ActivityKind } from './sales-work.events';

/**
 * Events of pipelines (`pipeline-<id>`), opportunities (`opportunity-<id>`), a tenant's sales
 * settings (`salessettings-<tenantId>`), teams (`salesteam-<teamId>`) and sales targets
 * (`salestarget-<targetId>`) — DOMAIN.md §2.
 */

/** A stage of a pipeline: a stable key, a label and the win probability (whole percent) it implies. */
export const PipelineStage = z.object({
  /** Stable key, e.g. `negotiation`; opportunities refer to it. */
  stageId: z.string().regex(/^[a-z][a-z0-9_]{0,49}$/, 'a lower-case key such as negotiation'),
  name: z.string().min(1).max(100),
  probability: z.number().int().min(0).max(100),
});
export type PipelineStage = z.infer<typeof PipelineStage>;

/** The articles' default stages: 初步接洽 → 需求分析 → 方案呈现 → 商务谈判 → 合同签订. */
export const DEFAULT_PIPELINE_STAGES: readonly PipelineStage[] = [
  { stageId: 'initial_contact', name: '初步接洽 Initial contact', probability: 10 },
  { stageId: 'needs_analysis', name: '需求分析 Needs analysis', probability: 25 },
  { stageId: 'proposal', name: '方案呈现 Proposal', probability: 50 },
  { stageId: 'negotiation', name: '商务谈判 Negotiation', probability: 75 },
  { stageId: 'contract_signed', name: '合同签订 Contract signed', probability: 90 },
];

/** The id of a tenant's default pipeline (it exists without being defined: the default stages). */
export const DEFAULT_PIPELINE_ID = 'default';

/** A pipeline was defined or redefined (the whole ordered stage list each time). */
export const PipelineDefinedData = z.object({
  pipelineId: z.string().min(1).max(100),
  name: z.string().min(1).max(200),
  stages: z.array(PipelineStage).min(1).max(20),
  definedAt: z.iso.datetime(),
});
export type PipelineDefinedData = z.infer<typeof PipelineDefinedData>;

export const LostReason = z.object({ code: z.string().regex(/^[a-z][a-z0-9_]{0,49}$/), label: z.string().min(1).max(200) });
export type LostReason = z.infer<typeof LostReason>;

export const DEFAULT_LOST_REASONS: readonly LostReason[] = [
  { code: 'price', label: 'Price too high' },
  { code: 'competitor', label: 'Lost to a competitor' },
  { code: 'no_budget', label: 'No budget' },
  { code: 'no_decision', label: 'No decision / went dark' },
  { code: 'product_fit', label: 'Product does not fit' },
  { code: 'timing', label: 'Bad timing' },
  { code: 'other', label: 'Other' },
];

/** Stalled-deal rule of one stage: no update for `days` → owner reminded; `escalateAfterDays` more → manager told. */
export const StalledRule = z.object({
  stageId: z.string().min(1).max(50),
  days: z.number().int().min(1).max(365),
  escalateAfterDays: z.number().int().min(1).max(365).optional(),
});
export type StalledRule = z.infer<typeof StalledRule>;

export const DEFAULT_STALLED_RULES: readonly StalledRule[] = [{ stageId: 'negotiation', days: 10, escalateAfterDays: 5 }];

/** One step of a discount approval chain: applies when the quote total is at least `minTotalMinor`. */
export const ApprovalStep = z.object({
  role: z.string().min(1).max(50),
  /** A named approver; without one, anyone holding `role` (x-actor-roles) may decide. */
  approverId: z.string().min(1).max(100).optional(),
  minTotalMinor: z.number().int().min(0).default(0),
});
export type ApprovalStep = z.infer<typeof ApprovalStep>;

export const DiscountApprovalPolicy = z.object({
  /** A line or quote discount above this (basis points, 1500 = 15 %) needs approval. */
  thresholdBps: z.number().int().min(0).max(10_000),
  chain: z.array(ApprovalStep).min(1).max(10),
});
export type DiscountApprovalPolicy = z.infer<typeof DiscountApprovalPolicy>;

export const DEFAULT_DISCOUNT_APPROVAL: DiscountApprovalPolicy = {
  thresholdBps: 1500,
  chain: [{ role: 'sales_manager', minTotalMinor: 0 }, { role: 'sales_director', minTotalMinor: 100_000_000 }],
};

/** A tenant's sales settings, replaced as a whole (each change is the next version). */
export const SalesSettings = z.object({
  defaultCurrency: CurrencyCode,
  lostReasons: z.array(LostReason).min(1).max(50),
  stalledRules: z.array(StalledRule).max(20),
  discountApproval: DiscountApprovalPolicy,
  /** Tax rate applied to quotes, basis points (1300 = 13 % VAT). */
  defaultTaxRateBps: z.number().int().min(0).max(10_000),
});
export type SalesSettings = z.infer<typeof SalesSettings>;

export const DEFAULT_SALES_SETTINGS: SalesSettings = {
  defaultCurrency: 'CNY',
  lostReasons: [...DEFAULT_LOST_REASONS],
  stalledRules: [...DEFAULT_STALLED_RULES],
  discountApproval: DEFAULT_DISCOUNT_APPROVAL,
  defaultTaxRateBps: 1300,
};

export const SalesSettingsChangedData = SalesSettings.extend({
  version: z.number().int().min(1),
  changedBy: z.string().optional(),
  changedAt: z.iso.datetime(),
});
export type SalesSettingsChangedData = z.infer<typeof SalesSettingsChangedData>;

/** A sales team: its manager is who stalled deals escalate to, and leaderboards group by it. */
export const SalesTeamDefinedData = z.object({
  teamId: z.string().min(1).max(100),
  name: z.string().min(1).max(200),
  managerId: z.string().min(1).max(100),
  memberIds: z.array(z.string().min(1).max(100)).max(500),
  definedAt: z.iso.datetime(),
});
export type SalesTeamDefinedData = z.infer<typeof SalesTeamDefinedData>;

/** A period: a month `2026-11`, a quarter `2026-Q4` or a year `2026`. */
export const SalesPeriod = z.string().regex(/^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$/, 'a period such as 2026-11, 2026-Q4 or 2026');
export type SalesPeriod = z.infer<typeof SalesPeriod>;

/** A won-amount target for a rep or a team over a period (setting it again replaces it). */
export const SalesTargetSetData = z.object({
  targetId: z.string(),
  scope: z.object({ kind: z.enum(['rep', 'team']), id: z.string().min(1).max(100) }),
  period: SalesPeriod,
  target: Money,
  setBy: z.string().optional(),
  setAt: z.iso.datetime(),
});
export type SalesTargetSetData = z.infer<typeof SalesTargetSetData>;

export const OpportunityCreatedData = z.object({
  opportunityId: z.string(),
  name: z.string().min(1).max(300),
  accountId: z.string(),
  contactId: z.string().optional(),
  pipelineId: z.string(),
  stageId: z.string(),
  /** Win probability of the stage, whole percent. */
  probability: z.number().int().min(0).max(100),
  amount: Money,
  expectedCloseDate: CalendarDate,
  ownerId: z.string().min(1).max(100),
  teamId: z.string().min(1).max(100).optional(),
  competitors: z.array(z.string().min(1).max(200)).max(20).optional(),
  /** Where it came from: the converted lead and its campaign/channel (for attribution). */
  source: z.object({
    leadId: z.string().optional(),
    campaignId: z.string().optional(),
    channel: z.string().optional(),
  }).optional(),
  createdAt: z.iso.datetime(),
});
export type OpportunityCreatedData = z.infer<typeof OpportunityCreatedData>;

/** Only the changed fields are present. Any update resets the stalled-deal clock. */
export const OpportunityUpdatedData = z.object({
  opportunityId: z.string(),
  changes: z.object({
    name: z.string().min(1).max(300).optional(),
    amount: Money.optional(),
    expectedCloseDate: CalendarDate.optional(),
    ownerId: z.string().min(1).max(100).optional(),
    teamId: z.string().min(1).max(100).nullable().optional(),
    contactId: z.string().nullable().optional(),
    competitors: z.array(z.string().min(1).max(200)).max(20).optional(),
  }),
  updatedAt: z.iso.datetime(),
});
export type OpportunityUpdatedData = z.infer<typeof OpportunityUpdatedData>;

/** A stage move (forwards or backwards), with the exact time spent in the stage it left. */
export const OpportunityStageChangedData = z.object({
  opportunityId: z.string(),
  pipelineId: z.string(),
  fromStageId: z.string(),
  toStageId: z.string(),
  direction: z.enum(['forward', 'backward']),
  probability: z.number().int().min(0).max(100),
  /** Milliseconds the opportunity spent in `fromStageId` this time (entered → now). */
  msInPreviousStage: z.number().int().min(0),
  changedBy: z.string().optional(),
  changedAt: z.iso.datetime(),
});
export type OpportunityStageChangedData = z.infer<typeof OpportunityStageChangedData>;

export const OpportunityWonData = z.object({
  opportunityId: z.string(),
  accountId: z.string(),
  pipelineId: z.string(),
  stageId: z.string(),
  amount: Money,
  ownerId: z.string(),
  teamId: z.string().optional(),
  leadId: z.string().optional(),
  msInPreviousStage: z.number().int().min(0),
  wonAt: z.iso.datetime(),
});
export type OpportunityWonData = z.infer<typeof OpportunityWonData>;

export const OpportunityLostData = z.object({
  opportunityId: z.string(),
  pipelineId: z.string(),
  /** The stage it was lost in. */
  stageId: z.string(),
  /** A code from the tenant's lost-reason list (required). */
  reason: z.string().min(1).max(50),
  note: z.string().max(2000).optional(),
  competitor: z.string().max(200).optional(),
  amount: Money,
  ownerId: z.string(),
  msInPreviousStage: z.number().int().min(0),
  lostAt: z.iso.datetime(),
});
export type OpportunityLostData = z.infer<typeof OpportunityLostData>;

export const OpportunityReopenedData = z.object({
  opportunityId: z.string(),
  stageId: z.string(),
  probability: z.number().int().min(0).max(100),
  reopenedAt: z.iso.datetime(),
});
export type OpportunityReopenedData = z.infer<typeof OpportunityReopenedData>;

/**
 * The stalled-deal rule fired: no update for `idleDays` in `stageId`. `level: owner` reminds the
 * owner (a task is created); `level: manager` tells the team's manager after the second period.
 */
export const OpportunityStalledData = z.object({
  opportunityId: z.string(),
  stageId: z.string(),
  ownerId: z.string(),
  managerId: z.string().optional(),
  level: z.enum(['owner', 'manager']),
  idleDays: z.number().int().min(1),
  lastActivityAt: z.iso.datetime(),
  detectedAt: z.iso.datetime(),
});
export type OpportunityStalledData = z.infer<typeof OpportunityStalledData>;

/**
 * An activity (call, visit, meeting, note, e-mail) was logged about the opportunity (from
 * `sales.ActivityLogged`), recorded once per activity. It counts as an update: the stalled-deal
 * clock moves to `occurredAt`, never back (an activity logged late about an earlier day leaves it).
 */
export const OpportunityActivityRecordedData = z.object({
  opportunityId: z.string(),
  activityId: z.string(),
  kind: ActivityKind,
  /** When the activity happened (as logged). */
  occurredAt: z.iso.datetime(),
  recordedAt: z.iso.datetime(),
});
export type OpportunityActivityRecordedData = z.infer<typeof OpportunityActivityRecordedData>;

export const SalesPipelineEventType = {
  PipelineDefined: 'sales.PipelineDefined',
  SalesSettingsChanged: 'sales.SalesSettingsChanged',
  SalesTeamDefined: 'sales.SalesTeamDefined',
  SalesTargetSet: 'sales.SalesTargetSet',
  OpportunityCreated: 'sales.OpportunityCreated',
  OpportunityUpdated: 'sales.OpportunityUpdated',
  OpportunityStageChanged: 'sales.OpportunityStageChanged',
  OpportunityWon: 'sales.OpportunityWon',
  OpportunityLost: 'sales.OpportunityLost',
  OpportunityReopened: 'sales.OpportunityReopened',
  OpportunityStalled: 'sales.OpportunityStalled',
  OpportunityActivityRecorded: 'sales.OpportunityActivityRecorded',
} as const;

export type OpportunityEvent =
  | { type: typeof SalesPipelineEventType.OpportunityCreated; data: OpportunityCreatedData }
  | { type: typeof SalesPipelineEventType.OpportunityUpdated; data: OpportunityUpdatedData }
  | { type: typeof SalesPipelineEventType.OpportunityStageChanged; data: OpportunityStageChangedData }
  | { type: typeof SalesPipelineEventType.OpportunityWon; data: OpportunityWonData }
  | { type: typeof SalesPipelineEventType.OpportunityLost; data: OpportunityLostData }
  | { type: typeof SalesPipelineEventType.OpportunityReopened; data: OpportunityReopenedData }
  | { type: typeof SalesPipelineEventType.OpportunityStalled; data: OpportunityStalledData }
  | { type: typeof SalesPipelineEventType.OpportunityActivityRecorded; data: OpportunityActivityRecordedData };

export const pipelineStream = (tenantId: string, pipelineId: string): string => `pipeline-${tenantId}-${pipelineId}`;
export const salesSettingsStream = (tenantId: string): string => `salessettings-${tenantId}`;
export const salesTeamStream = (tenantId: string, teamId: string): string => `salesteam-${tenantId}-${teamId}`;
export const salesTargetStream = (targetId: string): string => `salestarget-${targetId}`;
export const opportunityStream = (opportunityId: string): string => `opportunity-${opportunityId}`;
