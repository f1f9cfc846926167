import { newId } from '@crm/contracts';
import {
  activityLogged,
  opportunityCreated,
  opportunityLost,
  opportunityReopened,
  opportunityUpdated,
  opportunityWon,
  pipelineDefined,
  settingsChanged,
  stageChanged,
  targetSet,
  teamDefined,
  useSalesReports,
  type OpportunitySpec,
  type SalesEvent,
} from './sales-events.fixture';

const { readModel, tenant, recorded, delivered } = useSalesReports('insights_sales_projection');
const otherTenant = `t-${newId()}`;

const project = async (tenantId: string, events: SalesEvent[]): Promise<void> => {
  for (const event of events) {
    const wrapped = recorded(tenantId, event);
    delivered.push(wrapped);
    expect(await readModel().projections.salesReports.project(wrapped)).toBe('applied');
  }
};

const at = (iso: string): Date => new Date(iso);

const opportunity = (tenantId: string, id: string) => readModel().prisma.salesOpportunity.findUnique({ where: { tenantId_id: { tenantId, id } } });
const visits = async (tenantId: string, opportunityId: string) =>
  (await readModel().prisma.salesStageVisit.findMany({ where: { tenantId, opportunityId }, orderBy: { visit: 'asc' } })).map((v) => [
    v.visit,
    v.stageId,
    v.enteredAt.toISOString(),
    v.leftAt?.toISOString() ?? null,
  ]);
const wonDeal = (tenantId: string, dealId: string) => readModel().prisma.wonDeal.findUnique({ where: { tenantId_dealId: { tenantId, dealId } } });

const O1: OpportunitySpec = { id: 'O1', ownerId: 'rep-a', amountMinor: 100_000, createdAt: '2026-10-01T00:00:00.000Z', leadId: 'L1', campaignId: 'camp-A', teamId: 'north' };
const O2: OpportunitySpec = { id: 'O2', ownerId: 'rep-b', amountMinor: 50_000, currency: 'USD', createdAt: '2026-10-02T00:00:00.000Z' };

describe('sales-reports projection', () => {
  it('OpportunityCreated: the row with its source, and the first stage visit', async () => {
    await project(tenant, [opportunityCreated(O1)]);
    expect(await opportunity(tenant, 'O1')).toMatchObject({
      name: 'Deal O1',
      accountId: 'acc-O1',
      pipelineId: 'default',
      stageId: 'initial_contact',
      status: 'open',
      amountMinor: 100_000n,
      currency: 'CNY',
      probability: 10,
      expectedCloseDate: at('2026-12-31'),
      ownerId: 'rep-a',
      teamId: 'north',
      leadId: 'L1',
      campaignId: 'camp-A',
      channel: null,
      createdAt: at(O1.createdAt),
      wonAt: null,
      visits: 1,
    });
    expect(await visits(tenant, 'O1')).toEqual([[1, 'initial_contact', '2026-10-01T00:00:00.000Z', null]]);
  });

  it('OpportunityUpdated changes the given fields; a null team clears it', async () => {
    await project(tenant, [opportunityUpdated(O1, { amount: { amountMinor: 120_000, currency: 'CNY' }, expectedCloseDate: '2026-11-30', teamId: null }, '2026-10-02T00:00:00.000Z')]);
    expect(await opportunity(tenant, 'O1')).toMatchObject({ amountMinor: 120_000n, expectedCloseDate: at('2026-11-30'), teamId: null, ownerId: 'rep-a', name: 'Deal O1' });
  });

  it('stage changes close the visit and open the next; a backwards move is a new visit of the earlier stage', async () => {
    await project(tenant, [
      stageChanged(O1, 'initial_contact', 'needs_analysis', 25, '2026-10-03T00:00:00.000Z'),
      stageChanged(O1, 'needs_analysis', 'initial_contact', 10, '2026-10-04T12:00:00.000Z', 'backward'),
      stageChanged(O1, 'initial_contact', 'proposal', 50, '2026-10-05T00:00:00.000Z'),
    ]);
    expect(await opportunity(tenant, 'O1')).toMatchObject({ stageId: 'proposal', probability: 50, visits: 4 });
    expect(await visits(tenant, 'O1')).toEqual([
      [1, 'initial_contact', '2026-10-01T00:00:00.000Z', '2026-10-03T00:00:00.000Z'],
      [2, 'needs_analysis', '2026-10-03T00:00:00.000Z', '2026-10-04T12:00:00.000Z'],
      [3, 'initial_contact', '2026-10-04T12:00:00.000Z', '2026-10-05T00:00:00.000Z'],
      [4, 'proposal', '2026-10-05T00:00:00.000Z', null],
    ]);
  });

  it('OpportunityWon closes the visit and fills won_deal with the opportunity\'s lead', async () => {
    await project(tenant, [opportunityWon(O1, 'proposal', '2026-10-10T08:00:00.000Z', 130_000)]);
    expect(await opportunity(tenant, 'O1')).toMatchObject({ status: 'won', amountMinor: 130_000n, wonAt: at('2026-10-10T08:00:00.000Z'), teamId: 'north' });
    expect((await visits(tenant, 'O1')).at(-1)).toEqual([4, 'proposal', '2026-10-05T00:00:00.000Z', '2026-10-10T08:00:00.000Z']);
    expect(await wonDeal(tenant, 'O1')).toEqual({ tenantId: tenant, dealId: 'O1', leadId: 'L1', amountMinor: 130_000n, currency: 'CNY', wonAt: at('2026-10-10T08:00:00.000Z') });
  });

  it('OpportunityReopened removes the won deal and opens a new visit; a second win puts it back', async () => {
    await project(tenant, [opportunityReopened(O1, 'negotiation', 75, '2026-10-12T00:00:00.000Z')]);
    expect(await opportunity(tenant, 'O1')).toMatchObject({ status: 'open', stageId: 'negotiation', probability: 75, wonAt: null, visits: 5 });
    expect((await visits(tenant, 'O1')).at(-1)).toEqual([5, 'negotiation', '2026-10-12T00:00:00.000Z', null]);
    expect(await wonDeal(tenant, 'O1')).toBeNull();

    await project(tenant, [opportunityWon(O1, 'negotiation', '2026-10-15T00:00:00.000Z', 140_000)]);
    expect(await wonDeal(tenant, 'O1')).toMatchObject({ leadId: 'L1', amountMinor: 140_000n, wonAt: at('2026-10-15T00:00:00.000Z') });
  });

  it('OpportunityLost records the reason; no won deal', async () => {
    await project(tenant, [opportunityCreated(O2), opportunityLost(O2, 'initial_contact', 'price', '2026-10-04T00:00:00.000Z')]);
    expect(await opportunity(tenant, 'O2')).toMatchObject({ status: 'lost', lostReason: 'price', lostAt: at('2026-10-04T00:00:00.000Z'), currency: 'USD' });
    expect(await visits(tenant, 'O2')).toEqual([[1, 'initial_contact', '2026-10-02T00:00:00.000Z', '2026-10-04T00:00:00.000Z']]);
    expect(await wonDeal(tenant, 'O2')).toBeNull();

    // Reopening a lost opportunity clears the reason.
    await project(tenant, [opportunityReopened(O2, 'proposal', 50, '2026-10-06T00:00:00.000Z')]);
    expect(await opportunity(tenant, 'O2')).toMatchObject({ status: 'open', lostReason: null, lostAt: null, stageId: 'proposal', visits: 2 });
  });

  it('teams, targets, activities, pipelines and settings: a redefinition replaces, an activity counts once', async () => {
    const activity = activityLogged('rep-a', '2026-10-05T09:00:00.000Z', 'visit');
    await project(tenant, [
      teamDefined('north', 'boss', ['rep-a', 'rep-b']),
      teamDefined('north', 'boss-2', ['rep-b', 'rep-c'], 'North'),
      targetSet('rep', 'rep-a', '2026-11', 350_000),
      targetSet('rep', 'rep-a', '2026-11', 400_000),
      activity,
      activity,
      pipelineDefined('enterprise', 'Enterprise', [{ stageId: 'qualify', name: 'Qualify', probability: 20 }]),
      settingsChanged('USD'),
    ]);
    expect(await readModel().prisma.salesTeam.findMany({ where: { tenantId: tenant } })).toEqual([expect.objectContaining({ id: 'north', name: 'North', managerId: 'boss-2' })]);
    expect((await readModel().prisma.salesTeamMember.findMany({ where: { tenantId: tenant }, orderBy: { memberId: 'asc' } })).map((m) => m.memberId)).toEqual(['rep-b', 'rep-c']);
    expect(await readModel().prisma.salesTarget.findMany({ where: { tenantId: tenant } })).toEqual([
      expect.objectContaining({ scopeKind: 'rep', scopeId: 'rep-a', period: '2026-11', amountMinor: 400_000n, currency: 'CNY' }),
    ]);
    expect(await readModel().prisma.salesActivity.findMany({ where: { tenantId: tenant } })).toEqual([
      expect.objectContaining({ actorId: 'rep-a', kind: 'visit', occurredAt: at('2026-10-05T09:00:00.000Z'), accountId: 'acc-1' }),
    ]);
    expect(await readModel().prisma.salesPipeline.findUnique({ where: { tenantId_id: { tenantId: tenant, id: 'enterprise' } } })).toMatchObject({
      name: 'Enterprise',
      stages: [{ stageId: 'qualify', name: 'Qualify', probability: 20 }],
    });
    expect(await readModel().prisma.salesSettings.findUnique({ where: { tenantId: tenant } })).toMatchObject({ defaultCurrency: 'USD', version: 1 });
  });

  it('is tenant-scoped: another tenant\'s opportunity of the same id is its own row', async () => {
    await project(otherTenant, [opportunityCreated({ ...O1, amountMinor: 7 })]);
    expect(await opportunity(otherTenant, 'O1')).toMatchObject({ amountMinor: 7n, status: 'open' });
    expect(await opportunity(tenant, 'O1')).toMatchObject({ amountMinor: 140_000n, status: 'won' });
  });

  it('an event of an opportunity never created fails the delivery and leaves the checkpoint where it was', async () => {
    const before = await readModel().projections.salesReports.position();
    const orphan = recorded(tenant, opportunityWon({ ...O1, id: 'ghost' }, 'proposal', '2026-10-10T00:00:00.000Z'));
    await expect(readModel().projections.salesReports.project(orphan)).rejects.toMatchObject({ code: 'opportunity_not_projected', kind: 'conflict' });
    expect(await readModel().projections.salesReports.position()).toBe(before);
    expect(await wonDeal(tenant, 'ghost')).toBeNull();
  });

  it('redelivery of every event changes nothing', async () => {
    const snapshot = async () => [
      await readModel().prisma.salesOpportunity.findMany({ orderBy: [{ tenantId: 'asc' }, { id: 'asc' }] }),
      await readModel().prisma.salesStageVisit.findMany({ orderBy: [{ tenantId: 'asc' }, { opportunityId: 'asc' }, { visit: 'asc' }] }),
      await readModel().prisma.wonDeal.findMany({ orderBy: [{ tenantId: 'asc' }, { dealId: 'asc' }] }),
      await readModel().prisma.salesActivity.count(),
      await readModel().prisma.salesTeamMember.count(),
    ];
    const before = await snapshot();
    const outcomes = new Set<string>();
    for (const event of delivered) outcomes.add(await readModel().projections.salesReports.project(event));
    expect(outcomes).toEqual(new Set(['skipped']));
    expect(await snapshot()).toEqual(before);
  });
});
