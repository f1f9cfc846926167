import {
  CampaignEventType,
  type CampaignChannel,
  type CampaignEngagementKind,
  type CampaignEvent,
  type CampaignMoney,
  type CampaignVariant,
} from '@crm/contracts';
import type { Decider } from '@crm/domain';
import type {
  AddCostEntry, CampaignCommand, CancelCampaign, CompleteCampaign, CreateCampaign, DefineVariants, RecordCampaignEngagement, StartCampaign, UpdateCampaign,
} from './campaign.commands';
import { CampaignError } from './campaign.errors';
import { variantFor } from './variant-split';

export type CampaignStatus = 'draft' | 'running' | 'completed' | 'cancelled';

export type EngagementCounts = Record<CampaignEngagementKind, number>;

export const ENGAGEMENT_KINDS: readonly CampaignEngagementKind[] = ['sent', 'opened', 'clicked', 'converted'];

export const MAX_VARIANTS = 26;

/**
 * The campaign as its stream folds. Engagement bookkeeping (ids seen, each lead's variant,
 * which lead has been counted for which kind) lives in Sets/Maps that are shared along one fold
 * instead of copied per event: a campaign can have hundreds of thousands of engagements, and
 * copying would make every command quadratic in its history. A fold never looks at an
 * earlier state again, so nothing observes the sharing.
 */
export type CampaignState =
  | { status: 'none' }
  | {
      status: CampaignStatus;
      campaignId: string;
      name: string;
      channel: CampaignChannel;
      budget: CampaignMoney;
      startsOn: string;
      endsOn: string;
      /** Sum of cost entries, minor units of the budget currency. */
      totalCostMinor: number;
      /** The total cost is above the budget (and BudgetExceeded has been emitted for this crossing). */
      budgetExceeded: boolean;
      costEntries: ReadonlyMap<string, { amount: CampaignMoney; incurredOn: string }>;
      variants: readonly CampaignVariant[];
      /** Engagement ids already recorded (a re-sent engagement records nothing). */
      engagementIds: ReadonlySet<string>;
      /** Each engaged lead's variant (null: the campaign has no variants). */
      leadVariants: ReadonlyMap<string, string | null>;
      /** `${kind}:${leadId}` pairs already counted: counts are of distinct leads. */
      counted: ReadonlySet<string>;
      /** Distinct leads per kind, per variant key. */
      variantCounts: ReadonlyMap<string, EngagementCounts>;
      /** Distinct leads per kind over the whole campaign. */
      totals: EngagementCounts;
    };

export type ExistingCampaign = Exclude<CampaignState, { status: 'none' }>;

const existing = (state: CampaignState, campaignId: string): ExistingCampaign => {
  if (state.status === 'none') throw new CampaignError('campaign_not_found', `campaign ${campaignId} does not exist`);
  return state;
};

const isClosed = (c: ExistingCampaign) => c.status === 'completed' || c.status === 'cancelled';

const refuseClosed = (c: ExistingCampaign, action: string) => {
  if (isClosed(c)) throw new CampaignError('campaign_closed', `campaign ${c.campaignId} is ${c.status}; cannot ${action}`);
};

const checkDates = (startsOn: string, endsOn: string) => {
  // ISO calendar dates compare correctly as strings.
  if (endsOn < startsOn) throw new CampaignError('invalid_dates', `the campaign cannot end (${endsOn}) before it starts (${startsOn})`);
};

const checkAmount = (money: CampaignMoney, what: string, min: number) => {
  if (!Number.isSafeInteger(money.amountMinor) || money.amountMinor < min) {
    throw new CampaignError('invalid_amount', `${what} must be an integer number of minor units ≥ ${min}, not ${money.amountMinor}`);
  }
};

const overBudget = (campaignId: string, budget: CampaignMoney, totalCostMinor: number, at: Date): CampaignEvent[] =>
  totalCostMinor > budget.amountMinor
    ? [{
        type: CampaignEventType.BudgetExceeded,
        data: {
          campaignId,
          budget,
          totalCost: { amountMinor: totalCostMinor, currency: budget.currency },
          overspendMinor: totalCostMinor - budget.amountMinor,
          exceededAt: at.toISOString(),
        },
      }]
    : [];

const create = ({ data }: CreateCampaign, state: CampaignState): CampaignEvent[] => {
  if (state.status !== 'none') throw new CampaignError('campaign_already_exists', `campaign ${data.campaignId} already exists`);
  checkDates(data.startsOn, data.endsOn);
  checkAmount(data.budget, 'the budget', 0);
  return [{
    type: CampaignEventType.CampaignCreated,
    data: {
      campaignId: data.campaignId,
      name: data.name,
      channel: data.channel,
      budget: data.budget,
      startsOn: data.startsOn,
      endsOn: data.endsOn,
      createdAt: data.now.toISOString(),
    },
  }];
};

const update = ({ data }: UpdateCampaign, state: CampaignState): CampaignEvent[] => {
  const c = existing(state, data.campaignId);
  refuseClosed(c, 'change it');
  const name = data.name !== undefined && data.name !== c.name ? data.name : undefined;
  const startsOn = data.startsOn !== undefined && data.startsOn !== c.startsOn ? data.startsOn : undefined;
  const endsOn = data.endsOn !== undefined && data.endsOn !== c.endsOn ? data.endsOn : undefined;
  const budgetChanged = data.budget !== undefined && (data.budget.amountMinor !== c.budget.amountMinor || data.budget.currency !== c.budget.currency);
  const budget = budgetChanged ? data.budget : undefined;
  if (name === undefined && startsOn === undefined && endsOn === undefined && budget === undefined) return [];
  checkDates(startsOn ?? c.startsOn, endsOn ?? c.endsOn);
  if (budget) {
    checkAmount(budget, 'the budget', 0);
    if (budget.currency !== c.budget.currency && c.costEntries.size > 0) {
      throw new CampaignError('currency_mismatch', `costs are recorded in ${c.budget.currency}; the budget currency cannot change to ${budget.currency}`);
    }
  }
  const updated: CampaignEvent = {
    type: CampaignEventType.CampaignUpdated,
    data: {
      campaignId: c.campaignId,
      ...(name !== undefined && { name }),
      ...(budget !== undefined && { budget }),
      ...(startsOn !== undefined && { startsOn }),
      ...(endsOn !== undefined && { endsOn }),
      updatedAt: data.now.toISOString(),
    },
  };
  // A lower budget can put an already-spent campaign over it: flag that as a crossing too.
  const flag = budget && !(c.budgetExceeded && c.totalCostMinor > budget.amountMinor) ? overBudget(c.campaignId, budget, c.totalCostMinor, data.now) : [];
  return [updated, ...flag];
};

const addCost = ({ data }: AddCostEntry, state: CampaignState): CampaignEvent[] => {
  const c = existing(state, data.campaignId);
  // Costs are accepted in every status: invoices for a completed or cancelled campaign arrive late.
  checkAmount(data.amount, 'a cost', 1);
  if (data.amount.currency !== c.budget.currency) {
    throw new CampaignError('currency_mismatch', `the budget is in ${c.budget.currency}; a cost in ${data.amount.currency} cannot be added to it`);
  }
  const earlier = c.costEntries.get(data.costEntryId);
  if (earlier) {
    if (earlier.amount.amountMinor === data.amount.amountMinor && earlier.incurredOn === data.incurredOn) return [];
    throw new CampaignError('cost_entry_conflict', `cost entry ${data.costEntryId} was already recorded with a different amount or date`);
  }
  const totalCostMinor = c.totalCostMinor + data.amount.amountMinor;
  return [
    {
      type: CampaignEventType.CostRecorded,
      data: {
        campaignId: c.campaignId,
        costEntryId: data.costEntryId,
        amount: data.amount,
        incurredOn: data.incurredOn,
        ...(data.note !== undefined && { note: data.note }),
        totalCost: { amountMinor: totalCostMinor, currency: c.budget.currency },
        recordedAt: data.now.toISOString(),
      },
    },
    ...(c.budgetExceeded ? [] : overBudget(c.campaignId, c.budget, totalCostMinor, data.now)),
  ];
};

const sameVariants = (a: readonly CampaignVariant[], b: readonly CampaignVariant[]) =>
  a.length === b.length && a.every((v, i) => v.key === b[i].key && v.weight === b[i].weight && v.subject === b[i].subject && v.contentRef === b[i].contentRef);

const defineVariants = ({ data }: DefineVariants, state: CampaignState): CampaignEvent[] => {
  const c = existing(state, data.campaignId);
  refuseClosed(c, 'change its variants');
  const keys = new Set(data.variants.map((v) => v.key));
  if (data.variants.length === 0 || data.variants.length > MAX_VARIANTS || keys.size !== data.variants.length) {
    throw new CampaignError('invalid_variants', `between 1 and ${MAX_VARIANTS} variants with distinct keys are required`);
  }
  if (data.variants.some((v) => !Number.isInteger(v.weight) || v.weight < 1 || v.weight > 10_000)) {
    throw new CampaignError('invalid_variants', 'every weight must be an integer from 1 to 10000');
  }
  if (sameVariants(c.variants, data.variants)) return [];
  if (c.engagementIds.size > 0) {
    throw new CampaignError('variants_frozen', `campaign ${c.campaignId} has already assigned leads to variants; its split can no longer change`);
  }
  const variants = data.variants.map((v) => ({
    key: v.key,
    weight: v.weight,
    ...(v.subject !== undefined && { subject: v.subject }),
    ...(v.contentRef !== undefined && { contentRef: v.contentRef }),
  }));
  return [{ type: CampaignEventType.VariantsDefined, data: { campaignId: c.campaignId, variants, definedAt: data.now.toISOString() } }];
};

const start = ({ data }: StartCampaign, state: CampaignState): CampaignEvent[] => {
  const c = existing(state, data.campaignId);
  if (c.status === 'running') return [];
  refuseClosed(c, 'start it');
  return [{ type: CampaignEventType.CampaignStarted, data: { campaignId: c.campaignId, startedAt: data.now.toISOString() } }];
};

const complete = ({ data }: CompleteCampaign, state: CampaignState): CampaignEvent[] => {
  const c = existing(state, data.campaignId);
  if (c.status === 'completed') return [];
  if (c.status === 'draft') throw new CampaignError('campaign_not_started', `campaign ${c.campaignId} has not started; start or cancel it`);
  refuseClosed(c, 'complete it');
  return [{ type: CampaignEventType.CampaignCompleted, data: { campaignId: c.campaignId, completedAt: data.now.toISOString() } }];
};

const cancel = ({ data }: CancelCampaign, state: CampaignState): CampaignEvent[] => {
  const c = existing(state, data.campaignId);
  if (c.status === 'cancelled') return [];
  refuseClosed(c, 'cancel it');
  return [{
    type: CampaignEventType.CampaignCancelled,
    data: { campaignId: c.campaignId, ...(data.reason !== undefined && { reason: data.reason }), cancelledAt: data.now.toISOString() },
  }];
};

/** The variant a lead gets: its recorded assignment, else the deterministic split (null without variants). */
export const assignedVariant = (c: ExistingCampaign, leadId: string): string | null => {
  const recorded = c.leadVariants.get(leadId);
  if (recorded !== undefined) return recorded;
  return c.variants.length === 0 ? null : variantFor(c.campaignId, leadId, c.variants);
};

const recordEngagement = ({ data }: RecordCampaignEngagement, state: CampaignState): CampaignEvent[] => {
  const c = existing(state, data.campaignId);
  // Late opens, clicks and conversions after completion or cancellation still count.
  if (c.status === 'draft') throw new CampaignError('campaign_not_started', `campaign ${c.campaignId} has not started sending`);
  const seen = new Set<string>();
  const recordedAt = data.now.toISOString();
  return data.engagements
    .filter((e) => !c.engagementIds.has(e.engagementId) && !seen.has(e.engagementId) && seen.add(e.engagementId))
    .map((e) => ({
      type: CampaignEventType.EngagementRecorded,
      data: { campaignId: c.campaignId, engagementId: e.engagementId, leadId: e.leadId, kind: e.kind, variant: assignedVariant(c, e.leadId), at: e.at, recordedAt },
    }));
};

const zeroCounts = (): EngagementCounts => ({ sent: 0, opened: 0, clicked: 0, converted: 0 });

const evolve = (state: CampaignState, event: CampaignEvent): CampaignState => {
  if (event.type === CampaignEventType.CampaignCreated) {
    const { campaignId, name, channel, budget, startsOn, endsOn } = event.data;
    return {
      status: 'draft', campaignId, name, channel, budget, startsOn, endsOn,
      totalCostMinor: 0, budgetExceeded: false, costEntries: new Map(), variants: [],
      engagementIds: new Set(), leadVariants: new Map(), counted: new Set(), variantCounts: new Map(), totals: zeroCounts(),
    };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case CampaignEventType.CampaignUpdated: {
      const { campaignId: _, updatedAt: __, ...changes } = event.data;
      const next = { ...state, ...changes };
      return { ...next, budgetExceeded: next.budgetExceeded && next.totalCostMinor > next.budget.amountMinor };
    }
    case CampaignEventType.CostRecorded:
      (state.costEntries as Map<string, { amount: CampaignMoney; incurredOn: string }>).set(event.data.costEntryId, { amount: event.data.amount, incurredOn: event.data.incurredOn });
      return { ...state, totalCostMinor: event.data.totalCost.amountMinor };
    case CampaignEventType.BudgetExceeded:
      return { ...state, budgetExceeded: true };
    case CampaignEventType.VariantsDefined:
      return { ...state, variants: event.data.variants, variantCounts: new Map(event.data.variants.map((v) => [v.key, zeroCounts()])) };
    case CampaignEventType.CampaignStarted:
      return { ...state, status: 'running' };
    case CampaignEventType.CampaignCompleted:
      return { ...state, status: 'completed' };
    case CampaignEventType.CampaignCancelled:
      return { ...state, status: 'cancelled' };
    case CampaignEventType.EngagementRecorded: {
      const { engagementId, leadId, kind, variant } = event.data;
      (state.engagementIds as Set<string>).add(engagementId);
      if (!state.leadVariants.has(leadId)) (state.leadVariants as Map<string, string | null>).set(leadId, variant);
      const pair = `${kind}:${leadId}`;
      if (state.counted.has(pair)) return state;
      (state.counted as Set<string>).add(pair);
      const perVariant = variant === null ? undefined : state.variantCounts.get(variant);
      if (perVariant) perVariant[kind] += 1;
      state.totals[kind] += 1;
      return { ...state };
    }
    default:
      return state;
  }
};

export const campaignDecider: Decider<CampaignCommand, CampaignEvent, CampaignState> = {
  initialState: () => ({ status: 'none' }),
  evolve,
  decide: (command, state) => {
    switch (command.type) {
      case 'CreateCampaign':
        return create(command, state);
      case 'UpdateCampaign':
        return update(command, state);
      case 'AddCostEntry':
        return addCost(command, state);
      case 'DefineVariants':
        return defineVariants(command, state);
      case 'StartCampaign':
        return start(command, state);
      case 'CompleteCampaign':
        return complete(command, state);
      case 'CancelCampaign':
        return cancel(command, state);
      case 'RecordCampaignEngagement':
        return recordEngagement(command, state);
    }
  },
};
