import { Scheduler } from '@crm/scheduler';
import { useSalesApp } from '../../../test/sales-app.fixture';
import { STALLED_DEAL_CHECK, StalledDealService, stalledTimerId } from '../application/stalled-deal.service';

const DAY = 86_400_000;

/** The stalled-deal rule end to end: HTTP commands arm durable timers; the fixture's ManualClock and scheduler fire them. */
describe('stalled deals (durable timers)', () => {
  const tenantId = 'acme-stalled';
  const fixture = useSalesApp({ headers: { 'x-tenant-id': tenantId, 'x-actor-id': 'rep-1' } });
  const { store, send } = fixture;
  const erp = { name: 'ERP rollout', accountId: '0190dddd-0000-7000-8000-000000000001', amount: { amountMinor: 50_000_000, currency: 'CNY' }, expectedCloseDate: '2026-12-31' };
  /** Fires every due timer (a runOnce claims at most the runner's free slots). */
  const drain = async (scheduler = fixture.scheduler()) => {
    while ((await scheduler.runOnce()) > 0);
  };
  const stalledOf = async (id: string) => (await store().readStream(`opportunity-${id}`)).filter((e) => e.type === 'sales.OpportunityStalled');
  const inNegotiation = async (extra: object = {}) => {
    const res = await send('POST', '/v1/opportunities', { ...erp, stageId: 'negotiation', ...extra });
    expect(res.statusCode).toBe(201);
    return { id: res.json<{ id: string }>().id, at: fixture.clock.now() };
  };
  const timer = (id: string, level: 'owner' | 'manager' = 'owner') => fixture.timerStore.get({ tenantId, id: stalledTimerId(id, level) });

  beforeAll(async () => {
    expect((await send('PUT', '/v1/sales-teams/east', { name: 'East', managerId: 'mgr-east', memberIds: ['rep-1'] })).statusCode).toBe(200);
  });

  it('10 days in negotiation without an update → one OpportunityStalled for the owner; 5 more → the manager', async () => {
    const { id, at } = await inNegotiation({ teamId: 'east' });
    expect(await timer(id)).toMatchObject({ status: 'pending', kind: STALLED_DEAL_CHECK, dueAt: new Date(at.getTime() + 10 * DAY) });

    fixture.clock.advance(10 * DAY - 1);
    await drain();
    expect(await stalledOf(id)).toHaveLength(0);

    fixture.clock.advance(1);
    await drain();
    await drain();
    const [owner] = await stalledOf(id);
    expect(await stalledOf(id)).toHaveLength(1);
    expect(owner.data).toEqual({
      opportunityId: id, stageId: 'negotiation', ownerId: 'rep-1', level: 'owner', idleDays: 10, lastActivityAt: at.toISOString(), detectedAt: fixture.clock.now().toISOString(),
    });
    expect(owner.metadata).toMatchObject({ tenantId, actor: 'system' });
    expect(await timer(id, 'manager')).toMatchObject({ status: 'pending', dueAt: new Date(at.getTime() + 15 * DAY) });

    fixture.clock.advance(5 * DAY);
    await drain();
    const levels = (await stalledOf(id)).map((e) => e.data as { level: string; managerId?: string; idleDays: number });
    expect(levels).toEqual([expect.objectContaining({ level: 'owner' }), expect.objectContaining({ level: 'manager', managerId: 'mgr-east', idleDays: 15 })]);
    const view = (await send('GET', `/v1/opportunities/${id}`)).json<{ stalled: object }>();
    expect(Object.keys(view.stalled)).toEqual(['owner', 'manager']);
  });

  it('an update in between pushes the deadline out (and restarts both levels)', async () => {
    const { id } = await inNegotiation();
    fixture.clock.advance(6 * DAY);
    const updatedAt = fixture.clock.now();
    expect((await send('PATCH', `/v1/opportunities/${id}`, { expectedCloseDate: '2027-01-31' })).statusCode).toBe(200);
    fixture.clock.advance(4 * DAY);
    await drain();
    expect(await stalledOf(id)).toHaveLength(0);
    fixture.clock.advance(6 * DAY);
    await drain();
    expect((await stalledOf(id)).map((e) => e.data)).toEqual([expect.objectContaining({ level: 'owner', lastActivityAt: updatedAt.toISOString() })]);
  });

  it('the manager is the rep’s team’s when the opportunity has no team, and omitted when the rep has none', async () => {
    const mine = await inNegotiation();
    const res = await send('POST', '/v1/opportunities', { ...erp, stageId: 'negotiation' }, { 'x-actor-id': 'rep-lonely' });
    const lonely = res.json<{ id: string }>().id;
    fixture.clock.advance(15 * DAY);
    await drain();
    await drain();
    expect((await stalledOf(mine.id)).map((e) => e.data)).toEqual([expect.objectContaining({ level: 'owner' }), expect.objectContaining({ level: 'manager', managerId: 'mgr-east' })]);
    const manager = (await stalledOf(lonely)).find((e) => (e.data as { level: string }).level === 'manager');
    expect(manager?.data).toMatchObject({ level: 'manager', ownerId: 'rep-lonely' });
    expect(manager?.data).not.toHaveProperty('managerId');
  });

  it('winning or losing cancels the timers; a stage without a rule has none; moving into negotiation arms one', async () => {
    const { id } = await inNegotiation();
    await send('POST', `/v1/opportunities/${id}/win`);
    expect(await timer(id)).toMatchObject({ status: 'cancelled' });
    const early = (await send('POST', '/v1/opportunities', erp)).json<{ id: string }>().id;
    expect(await timer(early)).toBeUndefined();
    await send('POST', `/v1/opportunities/${early}/stage`, { stageId: 'negotiation' });
    expect(await timer(early)).toMatchObject({ status: 'pending' });
    await send('POST', `/v1/opportunities/${early}/stage`, { stageId: 'proposal' });
    expect(await timer(early)).toMatchObject({ status: 'cancelled' });
    fixture.clock.advance(30 * DAY);
    await drain();
    expect(await stalledOf(id)).toHaveLength(0);
    expect(await stalledOf(early)).toHaveLength(0);
  });

  it('a tenant’s own rule applies (3 days in proposal, no escalation)', async () => {
    const h = { 'x-tenant-id': 'acme-rules' };
    const { version: _v, ...settings } = (await send('GET', '/v1/sales-settings', undefined, h)).json<Record<string, unknown>>();
    expect((await send('PUT', '/v1/sales-settings', { ...settings, stalledRules: [{ stageId: 'proposal', days: 3 }] }, h)).statusCode).toBe(200);
    const id = (await send('POST', '/v1/opportunities', { ...erp, stageId: 'proposal' }, h)).json<{ id: string }>().id;
    fixture.clock.advance(3 * DAY);
    await drain();
    fixture.clock.advance(30 * DAY);
    await drain();
    expect((await stalledOf(id)).map((e) => e.data)).toEqual([expect.objectContaining({ level: 'owner', stageId: 'proposal', idleDays: 3 })]);
  });

  it('a timer left at an old deadline (missed re-arm) raises no false alarm: it re-arms itself for the real one', async () => {
    const { id, at } = await inNegotiation();
    fixture.clock.advance(6 * DAY);
    await send('PATCH', `/v1/opportunities/${id}`, { name: 'ERP rollout, phase 1' });
    // As if the re-arm after the update had been lost: the timer still points at the first deadline.
    await fixture.timerStore.schedule({ tenantId, id: stalledTimerId(id, 'owner'), kind: STALLED_DEAL_CHECK, dueAt: new Date(at.getTime() + 10 * DAY), payload: { opportunityId: id, level: 'owner' } }, { replace: true });
    fixture.clock.advance(4 * DAY);
    await drain();
    expect(await stalledOf(id)).toHaveLength(0);
    expect(await timer(id)).toMatchObject({ status: 'pending', dueAt: new Date(at.getTime() + 16 * DAY) });
    fixture.clock.advance(6 * DAY);
    await drain();
    expect(await stalledOf(id)).toHaveLength(1);
  });

  it('restart safety: a fresh Scheduler over the same timer store fires it exactly once; a duplicated firing appends nothing', async () => {
    const { id } = await inNegotiation();
    fixture.clock.advance(10 * DAY);
    const service = fixture.app().get(StalledDealService);
    const fresh = new Scheduler({ store: fixture.timerStore, clock: fixture.clock });
    fresh.on(STALLED_DEAL_CHECK, (t, c) => service.fire(t, c));
    await drain(fresh);
    await drain(fixture.scheduler());
    await drain(fresh);
    expect(await stalledOf(id)).toHaveLength(1);

    // At-least-once delivery: the same firing handled again (same generation, same idempotency key) appends nothing.
    const record = (await timer(id))!;
    const claim = { ...record, attempt: 2, owner: 'other-runner', leaseExpiresAt: fixture.clock.now() };
    await service.fire(claim, { idempotencyKey: `timer:${tenantId}:${record.id}:${record.generation}` });
    expect(await stalledOf(id)).toHaveLength(1);
  });
});
