import { eventually } from '@crm/testing';
import { useSalesApp } from '../../../test/sales-app.fixture';
import { stalledTimerId } from '../application/stalled-deal.service';

const DAY = 86_400_000;

/**
 * Activities keep a deal from counting as stalled, end to end: the activities API appends
 * `sales.ActivityLogged`, the background consumer `sales.opportunity-activity` records it on the
 * opportunity, and the fixture's ManualClock and scheduler fire the stalled timers.
 */
describe('stalled deals and activities (background consumer + durable timers)', () => {
  const tenantId = 'acme-worked';
  const fixture = useSalesApp({ sales: { background: true }, headers: { 'x-tenant-id': tenantId, 'x-actor-id': 'rep-1' } });
  const { store, send } = fixture;
  const drain = async () => {
    while ((await fixture.scheduler().runOnce()) > 0);
  };
  const eventsOf = async (id: string, type: string) => (await store().readStream(`opportunity-${id}`)).filter((e) => e.type === type);
  /** Waits until the background consumer has recorded `count` activities on the opportunity. */
  const recorded = (id: string, count: number) =>
    eventually(async () => ((await eventsOf(id, 'sales.OpportunityActivityRecorded')).length === count ? true : undefined));
  const enterNegotiation = async () => {
    const res = await send('POST', '/v1/opportunities', {
      name: 'ERP rollout', accountId: '0190dddd-0000-7000-8000-000000000001', amount: { amountMinor: 50_000_000, currency: 'CNY' }, expectedCloseDate: '2027-03-31', stageId: 'proposal',
    });
    expect(res.statusCode).toBe(201);
    const id = res.json<{ id: string }>().id;
    expect((await send('POST', `/v1/opportunities/${id}/stage`, { stageId: 'negotiation' })).statusCode).toBe(200);
    return { id, at: fixture.clock.now() };
  };
  const logActivity = async (opportunityId: string, occurredAt?: Date) => {
    const res = await send('POST', '/v1/activities', {
      kind: 'visit', subject: 'On-site review with procurement', about: { opportunityId }, ...(occurredAt !== undefined && { occurredAt: occurredAt.toISOString() }),
    });
    expect(res.statusCode).toBe(201);
    return occurredAt ?? fixture.clock.now();
  };

  it('an activity 8 days into negotiation: nothing at day 10; the owner is reminded 10 days after the activity', async () => {
    const { id, at } = await enterNegotiation();
    fixture.clock.advance(8 * DAY);
    const activityAt = await logActivity(id);
    await recorded(id, 1);
    expect(await fixture.timerStore.get({ tenantId, id: stalledTimerId(id, 'owner') })).toMatchObject({ status: 'pending', dueAt: new Date(activityAt.getTime() + 10 * DAY) });

    fixture.clock.set(new Date(at.getTime() + 10 * DAY));
    await drain();
    expect(await eventsOf(id, 'sales.OpportunityStalled')).toHaveLength(0);

    fixture.clock.advance(8 * DAY - 1);
    await drain();
    expect(await eventsOf(id, 'sales.OpportunityStalled')).toHaveLength(0);

    fixture.clock.advance(1);
    await drain();
    const stalled = await eventsOf(id, 'sales.OpportunityStalled');
    expect(stalled.map((e) => e.data)).toEqual([{
      opportunityId: id, stageId: 'negotiation', ownerId: 'rep-1', level: 'owner', idleDays: 10, lastActivityAt: activityAt.toISOString(), detectedAt: fixture.clock.now().toISOString(),
    }]);
    const view = (await send('GET', `/v1/opportunities/${id}`)).json<{ lastUpdateAt: string; lastActivityAt: string }>();
    expect(view).toMatchObject({ lastUpdateAt: activityAt.toISOString(), lastActivityAt: activityAt.toISOString() });
  });

  it('an activity logged late about a day before the stage move does not move the deadline', async () => {
    const { id, at } = await enterNegotiation();
    fixture.clock.advance(8 * DAY);
    await logActivity(id, new Date(at.getTime() - DAY));
    await recorded(id, 1);
    fixture.clock.set(new Date(at.getTime() + 10 * DAY));
    await drain();
    expect((await eventsOf(id, 'sales.OpportunityStalled')).map((e) => e.data)).toEqual([expect.objectContaining({ level: 'owner', idleDays: 10, lastActivityAt: at.toISOString() })]);
  });
});
