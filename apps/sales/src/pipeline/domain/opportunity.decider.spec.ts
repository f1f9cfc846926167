import { DEFAULT_LOST_REASONS, eventSchemas, SalesPipelineEventType as T, type OpportunityEvent } from '@crm/contracts';
import { DeciderSpecification } from '@crm/domain';
import type { OpportunityCommand } from './opportunity.commands';
import { opportunityDecider, type Opportunity, type OpportunityState } from './opportunity.decider';
import { BUILT_IN_DEFAULT_PIPELINE, type PipelineDefinition } from './pipeline.decider';
import { DAY_MS } from './stalled-deal';

const given = DeciderSpecification.for(opportunityDecider);
const t0 = new Date('2026-11-02T09:00:00.000Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const iso = (ms: number) => at(ms).toISOString();
const opportunityId = '0190cccc-0000-7000-8000-000000000001';
const accountId = '0190dddd-0000-7000-8000-000000000001';
const pipeline = BUILT_IN_DEFAULT_PIPELINE;
const cny = (amountMinor: number) => ({ amountMinor, currency: 'CNY' });
const negotiationRule = { stageId: 'negotiation', days: 10, escalateAfterDays: 5 };

const createCmd = (over: Partial<Extract<OpportunityCommand, { type: 'CreateOpportunity' }>['data']> = {}): OpportunityCommand => ({
  type: 'CreateOpportunity',
  data: { opportunityId, name: 'ERP rollout', accountId, pipeline, amount: cny(50_000_000), expectedCloseDate: '2026-12-31', ownerId: 'rep-1', now: t0, ...over },
});
const created = (over: Record<string, unknown> = {}): OpportunityEvent => ({
  type: T.OpportunityCreated,
  data: {
    opportunityId, name: 'ERP rollout', accountId, pipelineId: 'default', stageId: 'initial_contact', probability: 10,
    amount: cny(50_000_000), expectedCloseDate: '2026-12-31', ownerId: 'rep-1', createdAt: t0.toISOString(), ...over,
  },
});
const moved = (from: string, to: string, direction: 'forward' | 'backward', probability: number, ms: number, atMs: number): OpportunityEvent => ({
  type: T.OpportunityStageChanged,
  data: { opportunityId, pipelineId: 'default', fromStageId: from, toStageId: to, direction, probability, msInPreviousStage: ms, changedBy: 'rep-1', changedAt: iso(atMs) },
});
const move = (stageId: string, atMs: number, p: PipelineDefinition = pipeline): OpportunityCommand => ({
  type: 'ChangeOpportunityStage', data: { opportunityId, stageId, pipeline: p, changedBy: 'rep-1', now: at(atMs) },
});
const inNegotiation = [created(), moved('initial_contact', 'negotiation', 'forward', 75, DAY_MS, DAY_MS)];
const won = (atMs: number, ms: number): OpportunityEvent => ({
  type: T.OpportunityWon,
  data: { opportunityId, accountId, pipelineId: 'default', stageId: 'negotiation', amount: cny(50_000_000), ownerId: 'rep-1', msInPreviousStage: ms, wonAt: iso(atMs) },
});
const lost = (atMs: number, ms: number): OpportunityEvent => ({
  type: T.OpportunityLost,
  data: { opportunityId, pipelineId: 'default', stageId: 'negotiation', reason: 'price', amount: cny(50_000_000), ownerId: 'rep-1', msInPreviousStage: ms, lostAt: iso(atMs) },
});
const lose = (reason: string | undefined, atMs = 3 * DAY_MS, extra: { note?: string; competitor?: string } = {}): OpportunityCommand => ({
  type: 'LoseOpportunity', data: { opportunityId, ...(reason !== undefined && { reason }), ...extra, lostReasons: DEFAULT_LOST_REASONS, now: at(atMs) },
});
const stall = (level: 'owner' | 'manager', atMs: number, managerId?: string): OpportunityCommand => ({
  type: 'DetectStall', data: { opportunityId, level, rule: negotiationRule, ...(managerId !== undefined && { managerId }), now: at(atMs) },
});
const stalled = (level: 'owner' | 'manager', idleDays: number, atMs: number, since = DAY_MS, managerId?: string): OpportunityEvent => ({
  type: T.OpportunityStalled,
  data: { opportunityId, stageId: 'negotiation', ownerId: 'rep-1', ...(managerId !== undefined && { managerId }), level, idleDays, lastActivityAt: iso(since), detectedAt: iso(atMs) },
});
const state = (check: (o: Opportunity) => void) => (s: OpportunityState) => {
  expect(s.status).not.toBe('none');
  check(s as Opportunity);
};

describe('Opportunity decider', () => {
  describe('CreateOpportunity', () => {
    it('opens in the pipeline’s first stage with that stage’s probability', () => given([]).when(createCmd()).then([created()]));
    it('opens in a named stage, with its probability, team, contact, competitors and source', () =>
      given([]).when(createCmd({ stageId: 'proposal', teamId: 'east', contactId: 'c-1', competitors: ['Rival'], source: { leadId: 'l-1', channel: 'web' } })).then([
        created({ stageId: 'proposal', probability: 50, contactId: 'c-1', teamId: 'east', competitors: ['Rival'], source: { leadId: 'l-1', channel: 'web' } }),
      ]));
    it('takes the probability from the pipeline definition it is given (the one in effect)', () => {
      const custom = { pipelineId: 'smb', name: 'SMB', stages: [{ stageId: 'demo', name: 'Demo', probability: 33 }] };
      given([]).when(createCmd({ pipeline: custom })).then([created({ pipelineId: 'smb', stageId: 'demo', probability: 33 })]);
    });
    it('refuses a stage the pipeline does not have', () => given([]).when(createCmd({ stageId: 'nirvana' })).thenThrows('unknown_stage'));
    it('refuses a negative or fractional amount', () => {
      given([]).when(createCmd({ amount: cny(-1) })).thenThrows('invalid_amount');
      given([]).when(createCmd({ amount: cny(0.5) })).thenThrows('invalid_amount');
    });
    it('creating again with the same content (later) does nothing; other content is a conflict', () => {
      given([created()]).when(createCmd({ now: at(DAY_MS) })).thenNothingHappened();
      given([created(), moved('initial_contact', 'proposal', 'forward', 50, 5, 5)]).when(createCmd({ now: at(DAY_MS) })).thenNothingHappened();
      given([created()]).when(createCmd({ name: 'Other' })).thenThrows('opportunity_already_exists');
    });
    it('starts the stage history and the stalled clock at creation', () =>
      given([]).when(createCmd()).thenState(state((o) => {
        expect(o.stageHistory).toEqual([{ stageId: 'initial_contact', enteredAt: t0.toISOString() }]);
        expect(o.lastUpdateAt).toBe(t0.toISOString());
      })));
  });

  describe('UpdateOpportunity', () => {
    const update = (changes: object, atMs = DAY_MS): OpportunityCommand => ({ type: 'UpdateOpportunity', data: { opportunityId, changes, now: at(atMs) } });
    it('records only the fields that changed, and resets the stalled clock', () => {
      given([created()]).when(update({ name: 'ERP rollout', amount: cny(60_000_000), ownerId: 'rep-1', competitors: ['A', 'B'] })).then([
        { type: T.OpportunityUpdated, data: { opportunityId, changes: { amount: cny(60_000_000), competitors: ['A', 'B'] }, updatedAt: iso(DAY_MS) } },
      ]);
      given([created()]).when(update({ expectedCloseDate: '2027-01-15' })).thenState(state((o) => expect(o.lastUpdateAt).toBe(iso(DAY_MS))));
    });
    it('null clears the team or the contact; clearing what is unset changes nothing', () => {
      given([created({ teamId: 'east', contactId: 'c-1' })]).when(update({ teamId: null, contactId: null })).thenState(state((o) => {
        expect(o.teamId).toBeUndefined();
        expect(o.contactId).toBeUndefined();
      }));
      given([created()]).when(update({ teamId: null })).thenNothingHappened();
    });
    it('a change of currency is a change', () =>
      given([created()]).when(update({ amount: { amountMinor: 50_000_000, currency: 'USD' } })).then([
        { type: T.OpportunityUpdated, data: { opportunityId, changes: { amount: { amountMinor: 50_000_000, currency: 'USD' } }, updatedAt: iso(DAY_MS) } },
      ]));
    it('does nothing when nothing changes', () => given([created()]).when(update({ name: 'ERP rollout', ownerId: 'rep-1' })).thenNothingHappened());
    it('refuses a closed opportunity and an unknown one', () => {
      given([...inNegotiation, won(2 * DAY_MS, DAY_MS)]).when(update({ name: 'x' })).thenThrows('opportunity_closed');
      given([]).when(update({ name: 'x' })).thenThrows('opportunity_not_found');
    });
    it('refuses a fractional amount', () => given([created()]).when(update({ amount: cny(1.5) })).thenThrows('invalid_amount'));
  });

  describe('ChangeOpportunityStage', () => {
    it('moves forward with the new stage’s probability and the exact time spent in the old one', () =>
      given([created()]).when(move('negotiation', DAY_MS + 1234)).then([moved('initial_contact', 'negotiation', 'forward', 75, DAY_MS + 1234, DAY_MS + 1234)]));
    it('moves backward, recorded as such', () =>
      given(inNegotiation).when(move('needs_analysis', 3 * DAY_MS)).then([moved('negotiation', 'needs_analysis', 'backward', 25, 2 * DAY_MS, 3 * DAY_MS)]));
    it('same stage: nothing happens', () => given(inNegotiation).when(move('negotiation', 3 * DAY_MS)).thenNothingHappened());
    it('refuses a stage the pipeline does not have', () => given(inNegotiation).when(move('nirvana', 3 * DAY_MS)).thenThrows('unknown_stage'));
    it('refuses won and lost opportunities', () => {
      given([...inNegotiation, won(2 * DAY_MS, DAY_MS)]).when(move('proposal', 3 * DAY_MS)).thenThrows('opportunity_closed');
      given([...inNegotiation, lost(2 * DAY_MS, DAY_MS)]).when(move('proposal', 3 * DAY_MS)).thenThrows('opportunity_closed');
    });
    it('the probability comes from the pipeline as defined at the time of the move', () => {
      const redefined = { ...pipeline, stages: pipeline.stages.map((s) => (s.stageId === 'proposal' ? { ...s, probability: 40 } : s)) };
      given([created()]).when(move('proposal', 5, redefined)).then([moved('initial_contact', 'proposal', 'forward', 40, 5, 5)]);
    });
    it('an opportunity left in a stage the pipeline dropped stays there and moves on to an existing stage (as forward)', () => {
      const shrunk = { ...pipeline, stages: pipeline.stages.filter((s) => s.stageId !== 'negotiation') };
      given(inNegotiation).when(move('needs_analysis', 3 * DAY_MS, shrunk)).then([moved('negotiation', 'needs_analysis', 'forward', 25, 2 * DAY_MS, 3 * DAY_MS)]);
      given(inNegotiation).when(move('negotiation', 3 * DAY_MS, shrunk)).thenNothingHappened();
    });
    it('keeps the stage history with entered/left timestamps', () =>
      given(inNegotiation).when(move('needs_analysis', 3 * DAY_MS)).thenState(state((o) => expect(o.stageHistory).toEqual([
        { stageId: 'initial_contact', enteredAt: iso(0), leftAt: iso(DAY_MS) },
        { stageId: 'negotiation', enteredAt: iso(DAY_MS), leftAt: iso(3 * DAY_MS) },
        { stageId: 'needs_analysis', enteredAt: iso(3 * DAY_MS) },
      ]))));
  });

  describe('WinOpportunity', () => {
    const win = (atMs: number): OpportunityCommand => ({ type: 'WinOpportunity', data: { opportunityId, now: at(atMs) } });
    it('wins in the current stage with the time spent there, and closes the stage stay', () => {
      given(inNegotiation).when(win(4 * DAY_MS)).then([won(4 * DAY_MS, 3 * DAY_MS)]);
      given(inNegotiation).when(win(4 * DAY_MS)).thenState(state((o) => expect(o.stageHistory[1]).toEqual({ stageId: 'negotiation', enteredAt: iso(DAY_MS), leftAt: iso(4 * DAY_MS) })));
    });
    it('carries team and the converted lead for attribution', () =>
      given([created({ stageId: 'negotiation', probability: 75, teamId: 'east', source: { leadId: 'lead-9' } })]).when(win(DAY_MS)).then([{
        type: T.OpportunityWon,
        data: { opportunityId, accountId, pipelineId: 'default', stageId: 'negotiation', amount: cny(50_000_000), ownerId: 'rep-1', teamId: 'east', leadId: 'lead-9', msInPreviousStage: DAY_MS, wonAt: iso(DAY_MS) },
      }]));
    it('refuses a won or lost opportunity, and an unknown one', () => {
      given([...inNegotiation, won(2 * DAY_MS, DAY_MS)]).when(win(3 * DAY_MS)).thenThrows('opportunity_closed');
      given([...inNegotiation, lost(2 * DAY_MS, DAY_MS)]).when(win(3 * DAY_MS)).thenThrows('opportunity_closed');
      given([]).when(win(3 * DAY_MS)).thenThrows('opportunity_not_found');
    });
  });

  describe('LoseOpportunity', () => {
    it('loses with a reason code from the tenant’s list, a note and the competitor', () =>
      given(inNegotiation).when(lose('competitor', 3 * DAY_MS, { note: 'went with Rival', competitor: 'Rival' })).then([{
        type: T.OpportunityLost,
        data: {
          opportunityId, pipelineId: 'default', stageId: 'negotiation', reason: 'competitor', note: 'went with Rival', competitor: 'Rival',
          amount: cny(50_000_000), ownerId: 'rep-1', msInPreviousStage: 2 * DAY_MS, lostAt: iso(3 * DAY_MS),
        },
      }]));
    it('requires a reason', () => {
      given(inNegotiation).when(lose(undefined)).thenThrows('lost_reason_required');
      given(inNegotiation).when(lose('  ')).thenThrows('lost_reason_required');
    });
    it('refuses a code that is not in the tenant’s list', () => given(inNegotiation).when(lose('aliens')).thenThrows('unknown_lost_reason'));
    it('refuses a won or lost opportunity', () => {
      given([...inNegotiation, won(2 * DAY_MS, DAY_MS)]).when(lose('price')).thenThrows('opportunity_closed');
      given([...inNegotiation, lost(2 * DAY_MS, DAY_MS)]).when(lose('price')).thenThrows('opportunity_closed');
    });
  });

  describe('ReopenOpportunity', () => {
    const reopen = (stageId?: string, p: PipelineDefinition = pipeline): OpportunityCommand => ({
      type: 'ReopenOpportunity', data: { opportunityId, ...(stageId !== undefined && { stageId }), pipeline: p, now: at(5 * DAY_MS) },
    });
    const reopened = (stageId: string, probability: number): OpportunityEvent => ({ type: T.OpportunityReopened, data: { opportunityId, stageId, probability, reopenedAt: iso(5 * DAY_MS) } });
    it('reopens a lost or won one in the stage it was closed in', () => {
      given([...inNegotiation, lost(2 * DAY_MS, DAY_MS)]).when(reopen()).then([reopened('negotiation', 75)]);
      given([...inNegotiation, won(2 * DAY_MS, DAY_MS)]).when(reopen()).then([reopened('negotiation', 75)]);
    });
    it('reopens in a named stage; a new stage stay starts and the stalled clock restarts', () => {
      given([...inNegotiation, lost(2 * DAY_MS, DAY_MS)]).when(reopen('proposal')).then([reopened('proposal', 50)]);
      given([...inNegotiation, lost(2 * DAY_MS, DAY_MS)]).when(reopen('proposal')).thenState(state((o) => {
        expect(o.status).toBe('open');
        expect(o.lost).toBeUndefined();
        expect(o.stageHistory.at(-1)).toEqual({ stageId: 'proposal', enteredAt: iso(5 * DAY_MS) });
        expect(o.lastUpdateAt).toBe(iso(5 * DAY_MS));
      }));
    });
    it('into a closed-in stage that the pipeline dropped keeps the probability it had', () => {
      const shrunk = { ...pipeline, stages: pipeline.stages.filter((s) => s.stageId !== 'negotiation') };
      given([...inNegotiation, lost(2 * DAY_MS, DAY_MS)]).when(reopen(undefined, shrunk)).then([reopened('negotiation', 75)]);
    });
    it('refuses an unknown stage and an open opportunity', () => {
      given([...inNegotiation, lost(2 * DAY_MS, DAY_MS)]).when(reopen('nirvana')).thenThrows('unknown_stage');
      given(inNegotiation).when(reopen()).thenThrows('opportunity_not_closed');
    });
  });

  describe('DetectStall (negotiation: 10 days, then 5 more)', () => {
    it('reports the owner level exactly 10 days after the last update, not a millisecond before', () => {
      given(inNegotiation).when(stall('owner', 11 * DAY_MS - 1)).thenNothingHappened();
      given(inNegotiation).when(stall('owner', 11 * DAY_MS)).then([stalled('owner', 10, 11 * DAY_MS)]);
    });
    it('an update in between restarts the clock', () => {
      const updated: OpportunityEvent = { type: T.OpportunityUpdated, data: { opportunityId, changes: { name: 'n' }, updatedAt: iso(4 * DAY_MS) } };
      given([...inNegotiation, updated]).when(stall('owner', 11 * DAY_MS)).thenNothingHappened();
      given([...inNegotiation, updated]).when(stall('owner', 14 * DAY_MS)).then([stalled('owner', 10, 14 * DAY_MS, 4 * DAY_MS)]);
    });
    it('reports each level once per idle spell', () =>
      given([...inNegotiation, stalled('owner', 10, 11 * DAY_MS)]).when(stall('owner', 12 * DAY_MS)).thenNothingHappened());
    it('tells the manager after the second period, only once the owner was reminded', () => {
      const reminded = [...inNegotiation, stalled('owner', 10, 11 * DAY_MS)];
      given(reminded).when(stall('manager', 16 * DAY_MS - 1, 'mgr-1')).thenNothingHappened();
      given(reminded).when(stall('manager', 16 * DAY_MS, 'mgr-1')).then([stalled('manager', 15, 16 * DAY_MS, DAY_MS, 'mgr-1')]);
      given(reminded).when(stall('manager', 16 * DAY_MS)).then([stalled('manager', 15, 16 * DAY_MS)]);
      given(inNegotiation).when(stall('manager', 16 * DAY_MS, 'mgr-1')).thenNothingHappened();
    });
    it('a rule without escalation never tells the manager', () =>
      given([...inNegotiation, stalled('owner', 10, 11 * DAY_MS)])
        .when({ type: 'DetectStall', data: { opportunityId, level: 'manager', rule: { stageId: 'negotiation', days: 10 }, now: at(100 * DAY_MS) } })
        .thenNothingHappened());
    it('nothing for a closed opportunity or a rule of another stage', () => {
      given([...inNegotiation, won(2 * DAY_MS, DAY_MS)]).when(stall('owner', 30 * DAY_MS)).thenNothingHappened();
      given([created()]).when(stall('owner', 30 * DAY_MS)).thenNothingHappened();
    });
    it('a stage move starts a new idle spell (both levels may fire again)', () =>
      given([...inNegotiation, stalled('owner', 10, 11 * DAY_MS), moved('negotiation', 'proposal', 'backward', 50, 11 * DAY_MS, 12 * DAY_MS), moved('proposal', 'negotiation', 'forward', 75, 0, 12 * DAY_MS)])
        .when(stall('owner', 22 * DAY_MS)).then([stalled('owner', 10, 22 * DAY_MS, 12 * DAY_MS)]));
  });

  describe('RecordOpportunityActivity (an activity logged about the deal counts as an update)', () => {
    const activityId = '0190eeee-0000-7000-8000-000000000001';
    const other = '0190eeee-0000-7000-8000-000000000002';
    const record = (occurredMs: number, nowMs = occurredMs, id = activityId): OpportunityCommand => ({
      type: 'RecordOpportunityActivity', data: { opportunityId, activityId: id, kind: 'call', occurredAt: at(occurredMs), now: at(nowMs) },
    });
    const recorded = (occurredMs: number, nowMs = occurredMs, id = activityId): OpportunityEvent => ({
      type: T.OpportunityActivityRecorded, data: { opportunityId, activityId: id, kind: 'call', occurredAt: iso(occurredMs), recordedAt: iso(nowMs) },
    });
    const updated = (atMs: number): OpportunityEvent => ({ type: T.OpportunityUpdated, data: { opportunityId, changes: { name: 'n' }, updatedAt: iso(atMs) } });

    it('records the activity with when it happened and when it was recorded', () =>
      given(inNegotiation).when(record(9 * DAY_MS, 9 * DAY_MS + 60_000)).then([recorded(9 * DAY_MS, 9 * DAY_MS + 60_000)]));
    it('moves the stalled clock to when the activity happened and shows it as the last activity', () =>
      given(inNegotiation).when(record(9 * DAY_MS, 12 * DAY_MS)).thenState(state((o) => {
        expect(o.lastUpdateAt).toBe(iso(9 * DAY_MS));
        expect(o.lastActivityAt).toBe(iso(9 * DAY_MS));
      })));
    it('restarts the stalled clock: 10 days after the activity, not after the stage move', () => {
      given([...inNegotiation, recorded(9 * DAY_MS)]).when(stall('owner', 11 * DAY_MS)).thenNothingHappened();
      given([...inNegotiation, recorded(9 * DAY_MS)]).when(stall('owner', 19 * DAY_MS - 1)).thenNothingHappened();
      given([...inNegotiation, recorded(9 * DAY_MS)]).when(stall('owner', 19 * DAY_MS)).then([stalled('owner', 10, 19 * DAY_MS, 9 * DAY_MS)]);
    });
    it('records each activity once (a redelivery appends nothing); another activity is recorded', () => {
      given([...inNegotiation, recorded(3 * DAY_MS)]).when(record(3 * DAY_MS, 4 * DAY_MS)).thenNothingHappened();
      given([...inNegotiation, recorded(3 * DAY_MS)]).when(record(4 * DAY_MS, 4 * DAY_MS, other)).then([recorded(4 * DAY_MS, 4 * DAY_MS, other)]);
    });
    it('never moves the clock back: an activity logged late about an earlier day is recorded but leaves the clock', () => {
      given([...inNegotiation, updated(6 * DAY_MS)]).when(record(3 * DAY_MS, 7 * DAY_MS)).then([recorded(3 * DAY_MS, 7 * DAY_MS)]);
      given([...inNegotiation, updated(6 * DAY_MS)]).when(record(3 * DAY_MS, 7 * DAY_MS)).thenState(state((o) => {
        expect(o.lastUpdateAt).toBe(iso(6 * DAY_MS));
        expect(o.lastActivityAt).toBe(iso(3 * DAY_MS));
      }));
      given([...inNegotiation, recorded(8 * DAY_MS)]).when(record(5 * DAY_MS, 9 * DAY_MS, other)).thenState(state((o) => {
        expect(o.lastUpdateAt).toBe(iso(8 * DAY_MS));
        expect(o.lastActivityAt).toBe(iso(8 * DAY_MS));
      }));
      given([...inNegotiation, updated(6 * DAY_MS), recorded(3 * DAY_MS, 7 * DAY_MS)]).when(stall('owner', 16 * DAY_MS)).then([stalled('owner', 10, 16 * DAY_MS, 6 * DAY_MS)]);
    });
    it('a late activity from before the last update keeps the reminder already sent; a newer one starts a new idle spell', () => {
      const reminded = [...inNegotiation, stalled('owner', 10, 11 * DAY_MS)];
      given([...reminded, recorded(DAY_MS / 2, 12 * DAY_MS)]).when(stall('owner', 12 * DAY_MS)).thenNothingHappened();
      given([...reminded, recorded(DAY_MS / 2, 12 * DAY_MS)]).when(stall('manager', 16 * DAY_MS, 'mgr-1')).then([stalled('manager', 15, 16 * DAY_MS, DAY_MS, 'mgr-1')]);
      given([...reminded, recorded(5 * DAY_MS, 12 * DAY_MS)]).when(stall('manager', 16 * DAY_MS, 'mgr-1')).thenNothingHappened();
      given([...reminded, recorded(5 * DAY_MS, 12 * DAY_MS)]).when(stall('owner', 15 * DAY_MS)).then([stalled('owner', 10, 15 * DAY_MS, 5 * DAY_MS)]);
    });
    it('records nothing on a won, lost or unknown opportunity (and does not throw)', () => {
      given([...inNegotiation, won(2 * DAY_MS, DAY_MS)]).when(record(3 * DAY_MS)).thenNothingHappened();
      given([...inNegotiation, lost(2 * DAY_MS, DAY_MS)]).when(record(3 * DAY_MS)).thenNothingHappened();
      given([]).when(record(3 * DAY_MS)).thenNothingHappened();
    });
    it('records again once the opportunity is reopened', () => {
      const reopened: OpportunityEvent = { type: T.OpportunityReopened, data: { opportunityId, stageId: 'negotiation', probability: 75, reopenedAt: iso(4 * DAY_MS) } };
      given([...inNegotiation, won(2 * DAY_MS, DAY_MS), reopened]).when(record(5 * DAY_MS)).then([recorded(5 * DAY_MS)]);
    });
  });

  it('emits only events that match their published schemas', () => {
    const samples: OpportunityEvent[] = [
      created({ contactId: 'c', teamId: 't', competitors: ['x'], source: { leadId: 'l' } }), ...inNegotiation, won(2, 1), lost(2, 1), stalled('manager', 15, 16, 1, 'm'),
      { type: T.OpportunityUpdated, data: { opportunityId, changes: { teamId: null, contactId: null, amount: cny(1) }, updatedAt: iso(1) } },
      { type: T.OpportunityReopened, data: { opportunityId, stageId: 'proposal', probability: 50, reopenedAt: iso(1) } },
      { type: T.OpportunityActivityRecorded, data: { opportunityId, activityId: 'a-1', kind: 'visit', occurredAt: iso(1), recordedAt: iso(2) } },
    ];
    expect(new Set(samples.map((e) => e.type))).toEqual(new Set(Object.values(T).filter((t) => t.startsWith('sales.Opportunity'))));
    for (const e of samples) expect(eventSchemas[e.type].data.safeParse(e.data)).toMatchObject({ success: true });
  });
});
