import {
  SalesPipelineEventType as T,
  type Money,
  type OpportunityCreatedData,
  type OpportunityEvent,
  type OpportunityUpdatedData,
} from '@crm/contracts';
import type { Decider } from '@crm/domain';
import { canonicalJson } from './canonical-json';
import type {
  ChangeOpportunityStage, CreateOpportunity, DetectStall, LoseOpportunity, OpportunityCommand, OpportunitySource, RecordOpportunityActivity, ReopenOpportunity,
  UpdateOpportunity, WinOpportunity,
} from './opportunity.commands';
import { OpportunityError } from './opportunity.errors';
import { stageOf, type PipelineDefinition } from './pipeline.decider';
import { thresholdDays, wholeDaysBetween, type StallLevel } from './stalled-deal';

/** One stay in a stage: `leftAt` is unset while the opportunity is still there (and open). */
export type StageVisit = { stageId: string; enteredAt: string; leftAt?: string };

export type OpportunityStatus = 'open' | 'won' | 'lost';

export type Opportunity = {
  status: OpportunityStatus;
  opportunityId: string;
  name: string;
  accountId: string;
  contactId?: string;
  pipelineId: string;
  stageId: string;
  probability: number;
  amount: Money;
  expectedCloseDate: string;
  ownerId: string;
  teamId?: string;
  competitors: readonly string[];
  source?: OpportunitySource;
  createdAt: string;
  /** The creation as recorded: a create with the same content is recognised as a repeat. */
  created: OpportunityCreatedData;
  /** Every stage stay in order, closed by the next move, a win or a loss. */
  stageHistory: readonly StageVisit[];
  /** The last create, update, stage move, reopen or activity (by when it happened): the stalled-deal clock starts here. */
  lastUpdateAt: string;
  /** When the latest activity recorded on the opportunity happened. */
  lastActivityAt?: string;
  /** Activities already recorded: each is recorded once. */
  activityIds: ReadonlySet<string>;
  /** Stalled levels reported since `lastUpdateAt` (detection time per level). */
  stalled: Partial<Record<StallLevel, string>>;
  closedAt?: string;
  lost?: { reason: string; note?: string; competitor?: string };
};

export type OpportunityState = { status: 'none' } | Opportunity;

const existing = (state: OpportunityState, opportunityId: string): Opportunity => {
  if (state.status === 'none') throw new OpportunityError('opportunity_not_found', `opportunity ${opportunityId} does not exist`);
  return state;
};

const open = (state: OpportunityState, opportunityId: string, action: string): Opportunity => {
  const o = existing(state, opportunityId);
  if (o.status !== 'open') throw new OpportunityError('opportunity_closed', `opportunity ${opportunityId} is ${o.status}; cannot ${action} (reopen it first)`, { opportunityStatus: o.status });
  return o;
};

const checkAmount = (amount: Money) => {
  if (!Number.isSafeInteger(amount.amountMinor) || amount.amountMinor < 0) {
    throw new OpportunityError('invalid_amount', `an amount is an integer number of minor units ≥ 0, not ${amount.amountMinor}`);
  }
};

const requireStage = (pipeline: PipelineDefinition, stageId: string) => {
  const stage = stageOf(pipeline, stageId);
  if (!stage) {
    throw new OpportunityError('unknown_stage', `pipeline ${pipeline.pipelineId} has no stage ${stageId}`, {
      pipelineId: pipeline.pipelineId,
      stageId,
      stages: pipeline.stages.map((s) => s.stageId),
    });
  }
  return stage;
};

/** Exact time since the current stage was entered (never negative, even if clocks disagree). */
const msInStage = (o: Opportunity, now: Date): number => {
  const current = o.stageHistory[o.stageHistory.length - 1];
  return Math.max(0, now.getTime() - Date.parse(current.enteredAt));
};

const leaveStage = (history: readonly StageVisit[], at: string): StageVisit[] =>
  history.map((v, i) => (i === history.length - 1 && v.leftAt === undefined ? { ...v, leftAt: at } : v));

const sameList = (a: readonly string[] | undefined, b: readonly string[] | undefined) =>
  (a ?? []).length === (b ?? []).length && (a ?? []).every((x, i) => x === (b ?? [])[i]);

/** A creation's content, without the moment it was recorded: what makes two creates the same. */
const creationContent = ({ createdAt: _at, ...rest }: OpportunityCreatedData) => canonicalJson(rest);

const evolve = (state: OpportunityState, event: OpportunityEvent): OpportunityState => {
  if (event.type === T.OpportunityCreated) {
    const d = event.data;
    return {
      status: 'open',
      opportunityId: d.opportunityId,
      name: d.name,
      accountId: d.accountId,
      ...(d.contactId !== undefined && { contactId: d.contactId }),
      pipelineId: d.pipelineId,
      stageId: d.stageId,
      probability: d.probability,
      amount: d.amount,
      expectedCloseDate: d.expectedCloseDate,
      ownerId: d.ownerId,
      ...(d.teamId !== undefined && { teamId: d.teamId }),
      competitors: d.competitors ?? [],
      ...(d.source !== undefined && { source: d.source }),
      createdAt: d.createdAt,
      created: d,
      stageHistory: [{ stageId: d.stageId, enteredAt: d.createdAt }],
      lastUpdateAt: d.createdAt,
      activityIds: new Set(),
      stalled: {},
    };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case T.OpportunityUpdated: {
      const { changes, updatedAt } = event.data;
      const { teamId, contactId, ...rest } = changes;
      const next: Opportunity = { ...state, ...stripUndefined(rest), lastUpdateAt: updatedAt, stalled: {} };
      if (teamId === null) delete next.teamId;
      else if (teamId !== undefined) next.teamId = teamId;
      if (contactId === null) delete next.contactId;
      else if (contactId !== undefined) next.contactId = contactId;
      return next;
    }
    case T.OpportunityStageChanged: {
      const { toStageId, probability, changedAt } = event.data;
      return {
        ...state,
        stageId: toStageId,
        probability,
        stageHistory: [...leaveStage(state.stageHistory, changedAt), { stageId: toStageId, enteredAt: changedAt }],
        lastUpdateAt: changedAt,
        stalled: {},
      };
    }
    case T.OpportunityWon:
      return { ...state, status: 'won', closedAt: event.data.wonAt, stageHistory: leaveStage(state.stageHistory, event.data.wonAt) };
    case T.OpportunityLost: {
      const { reason, note, competitor, lostAt } = event.data;
      return {
        ...state,
        status: 'lost',
        closedAt: lostAt,
        lost: { reason, ...(note !== undefined && { note }), ...(competitor !== undefined && { competitor }) },
        stageHistory: leaveStage(state.stageHistory, lostAt),
      };
    }
    case T.OpportunityReopened: {
      const { stageId, probability, reopenedAt } = event.data;
      const { closedAt: _c, lost: _l, ...rest } = state;
      return {
        ...rest,
        status: 'open',
        stageId,
        probability,
        stageHistory: [...state.stageHistory, { stageId, enteredAt: reopenedAt }],
        lastUpdateAt: reopenedAt,
        stalled: {},
      };
    }
    case T.OpportunityStalled:
      return { ...state, stalled: { ...state.stalled, [event.data.level]: event.data.detectedAt } };
    case T.OpportunityActivityRecorded: {
      const { activityId, occurredAt } = event.data;
      const recorded: Opportunity = {
        ...state,
        activityIds: new Set(state.activityIds).add(activityId),
        lastActivityAt: later(state.lastActivityAt, occurredAt),
      };
      // Only an activity after the last update starts a new idle spell; one logged late about an
      // earlier day leaves the clock (and any reminder already sent for this spell) as it was.
      if (Date.parse(occurredAt) <= Date.parse(state.lastUpdateAt)) return recorded;
      return { ...recorded, lastUpdateAt: occurredAt, stalled: {} };
    }
    default:
      return state;
  }
};

const later = (a: string | undefined, b: string): string => (a !== undefined && Date.parse(a) >= Date.parse(b) ? a : b);

const stripUndefined = <O extends object>(o: O): Partial<O> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<O>;

const create = ({ data }: CreateOpportunity, state: OpportunityState): OpportunityEvent[] => {
  checkAmount(data.amount);
  const stage = data.stageId === undefined ? data.pipeline.stages[0] : requireStage(data.pipeline, data.stageId);
  const created: OpportunityCreatedData = {
    opportunityId: data.opportunityId,
    name: data.name,
    accountId: data.accountId,
    ...(data.contactId !== undefined && { contactId: data.contactId }),
    pipelineId: data.pipeline.pipelineId,
    stageId: stage.stageId,
    probability: stage.probability,
    amount: { ...data.amount },
    expectedCloseDate: data.expectedCloseDate,
    ownerId: data.ownerId,
    ...(data.teamId !== undefined && { teamId: data.teamId }),
    ...(data.competitors !== undefined && data.competitors.length > 0 && { competitors: [...data.competitors] }),
    ...(data.source !== undefined && { source: { ...data.source } }),
    createdAt: data.now.toISOString(),
  };
  if (state.status !== 'none') {
    if (creationContent(state.created) === creationContent(created)) return [];
    throw new OpportunityError('opportunity_already_exists', `opportunity ${data.opportunityId} already exists with other content`);
  }
  return [{ type: T.OpportunityCreated, data: created }];
};

const update = ({ data }: UpdateOpportunity, state: OpportunityState): OpportunityEvent[] => {
  const o = open(state, data.opportunityId, 'update it');
  const c = data.changes;
  const changes: OpportunityUpdatedData['changes'] = {};
  if (c.name !== undefined && c.name !== o.name) changes.name = c.name;
  if (c.amount !== undefined) {
    checkAmount(c.amount);
    if (c.amount.amountMinor !== o.amount.amountMinor || c.amount.currency !== o.amount.currency) changes.amount = { ...c.amount };
  }
  if (c.expectedCloseDate !== undefined && c.expectedCloseDate !== o.expectedCloseDate) changes.expectedCloseDate = c.expectedCloseDate;
  if (c.ownerId !== undefined && c.ownerId !== o.ownerId) changes.ownerId = c.ownerId;
  if (c.teamId !== undefined && c.teamId !== (o.teamId ?? null)) changes.teamId = c.teamId;
  if (c.contactId !== undefined && c.contactId !== (o.contactId ?? null)) changes.contactId = c.contactId;
  if (c.competitors !== undefined && !sameList(c.competitors, o.competitors)) changes.competitors = [...c.competitors];
  if (Object.keys(changes).length === 0) return [];
  return [{ type: T.OpportunityUpdated, data: { opportunityId: o.opportunityId, changes, updatedAt: data.now.toISOString() } }];
};

/**
 * Forwards or backwards, both recorded. The direction compares positions in the pipeline as
 * defined now; leaving a stage the pipeline no longer has counts as forward (it can only go
 * on to a stage that exists).
 */
const changeStage = ({ data }: ChangeOpportunityStage, state: OpportunityState): OpportunityEvent[] => {
  const o = open(state, data.opportunityId, 'change its stage');
  if (data.stageId === o.stageId) return [];
  const to = requireStage(data.pipeline, data.stageId);
  const ids = data.pipeline.stages.map((s) => s.stageId);
  const from = ids.indexOf(o.stageId);
  const direction = from === -1 || ids.indexOf(to.stageId) > from ? 'forward' : 'backward';
  return [{
    type: T.OpportunityStageChanged,
    data: {
      opportunityId: o.opportunityId,
      pipelineId: o.pipelineId,
      fromStageId: o.stageId,
      toStageId: to.stageId,
      direction,
      probability: to.probability,
      msInPreviousStage: msInStage(o, data.now),
      ...(data.changedBy !== undefined && { changedBy: data.changedBy }),
      changedAt: data.now.toISOString(),
    },
  }];
};

const win = ({ data }: WinOpportunity, state: OpportunityState): OpportunityEvent[] => {
  const o = open(state, data.opportunityId, 'win it');
  return [{
    type: T.OpportunityWon,
    data: {
      opportunityId: o.opportunityId,
      accountId: o.accountId,
      pipelineId: o.pipelineId,
      stageId: o.stageId,
      amount: o.amount,
      ownerId: o.ownerId,
      ...(o.teamId !== undefined && { teamId: o.teamId }),
      ...(o.source?.leadId !== undefined && { leadId: o.source.leadId }),
      msInPreviousStage: msInStage(o, data.now),
      wonAt: data.now.toISOString(),
    },
  }];
};

const lose = ({ data }: LoseOpportunity, state: OpportunityState): OpportunityEvent[] => {
  const o = open(state, data.opportunityId, 'lose it');
  const reason = data.reason?.trim();
  if (!reason) {
    throw new OpportunityError('lost_reason_required', 'a lost opportunity needs a reason code', { lostReasons: data.lostReasons.map((r) => r.code) });
  }
  if (!data.lostReasons.some((r) => r.code === reason)) {
    throw new OpportunityError('unknown_lost_reason', `${reason} is not one of this tenant's lost reasons`, { reason, lostReasons: data.lostReasons.map((r) => r.code) });
  }
  return [{
    type: T.OpportunityLost,
    data: {
      opportunityId: o.opportunityId,
      pipelineId: o.pipelineId,
      stageId: o.stageId,
      reason,
      ...(data.note !== undefined && { note: data.note }),
      ...(data.competitor !== undefined && { competitor: data.competitor }),
      amount: o.amount,
      ownerId: o.ownerId,
      msInPreviousStage: msInStage(o, data.now),
      lostAt: data.now.toISOString(),
    },
  }];
};

/**
 * Back to open, in the given stage or the one it was closed in. The probability comes from the
 * pipeline; reopening into the closed-in stage after the pipeline dropped it keeps the
 * probability the opportunity had.
 */
const reopen = ({ data }: ReopenOpportunity, state: OpportunityState): OpportunityEvent[] => {
  const o = existing(state, data.opportunityId);
  if (o.status === 'open') throw new OpportunityError('opportunity_not_closed', `opportunity ${o.opportunityId} is open; only a won or lost one can be reopened`);
  const stageId = data.stageId ?? o.stageId;
  const probability = data.stageId === undefined ? (stageOf(data.pipeline, stageId)?.probability ?? o.probability) : requireStage(data.pipeline, stageId).probability;
  return [{ type: T.OpportunityReopened, data: { opportunityId: o.opportunityId, stageId, probability, reopenedAt: data.now.toISOString() } }];
};

/** Nothing to report (closed, updated meanwhile, not due, already reported) is not an error: the timer simply had nothing to do. */
const detectStall = ({ data }: DetectStall, state: OpportunityState): OpportunityEvent[] => {
  const o = existing(state, data.opportunityId);
  if (o.status !== 'open' || data.rule.stageId !== o.stageId || o.stalled[data.level] !== undefined) return [];
  if (data.level === 'manager' && o.stalled.owner === undefined) return [];
  const days = thresholdDays(data.rule, data.level);
  if (days === undefined) return [];
  const idleDays = wholeDaysBetween(o.lastUpdateAt, data.now);
  if (idleDays < days) return [];
  return [{
    type: T.OpportunityStalled,
    data: {
      opportunityId: o.opportunityId,
      stageId: o.stageId,
      ownerId: o.ownerId,
      ...(data.level === 'manager' && data.managerId !== undefined && { managerId: data.managerId }),
      level: data.level,
      idleDays,
      lastActivityAt: o.lastUpdateAt,
      detectedAt: data.now.toISOString(),
    },
  }];
};

/** Nothing to record (unknown, closed, already recorded) is not an error: the activity stands on its own either way. */
const recordActivity = ({ data }: RecordOpportunityActivity, state: OpportunityState): OpportunityEvent[] => {
  if (state.status !== 'open' || state.activityIds.has(data.activityId)) return [];
  return [{
    type: T.OpportunityActivityRecorded,
    data: {
      opportunityId: state.opportunityId,
      activityId: data.activityId,
      kind: data.kind,
      occurredAt: data.occurredAt.toISOString(),
      recordedAt: data.now.toISOString(),
    },
  }];
};

const decide = (command: OpportunityCommand, state: OpportunityState): OpportunityEvent[] => {
  switch (command.type) {
    case 'CreateOpportunity':
      return create(command, state);
    case 'UpdateOpportunity':
      return update(command, state);
    case 'ChangeOpportunityStage':
      return changeStage(command, state);
    case 'WinOpportunity':
      return win(command, state);
    case 'LoseOpportunity':
      return lose(command, state);
    case 'ReopenOpportunity':
      return reopen(command, state);
    case 'DetectStall':
      return detectStall(command, state);
    case 'RecordOpportunityActivity':
      return recordActivity(command, state);
  }
};

export const opportunityDecider: Decider<OpportunityCommand, OpportunityEvent, OpportunityState> = {
  initialState: () => ({ status: 'none' }),
  evolve,
  decide,
};
