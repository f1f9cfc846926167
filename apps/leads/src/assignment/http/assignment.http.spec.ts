import { InMemoryEventStore } from '@crm/eventstore';
import { createServiceApp, loadBaseConfig, SCHEDULER } from '@crm/nest-kit';
import { InMemoryTimerStore, ManualClock, type Scheduler } from '@crm/scheduler';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '../../app.module';

const DAY = 86_400_000;

describe('lead pool and assignment HTTP API', () => {
  const store = new InMemoryEventStore();
  const timers = new InMemoryTimerStore();
  const clock = new ManualClock('2026-03-01T08:00:00.000Z');
  let app: NestFastifyApplication;

  /** The app on the same stores and clock each time (a restart keeps the timers). */
  const start = async () => {
    const config = loadBaseConfig('leads', 3101, { EVENT_STORE: 'memory' });
    const root = AppModule.forRoot(config, {
      eventStore: store, clock, timers: { timerStore: timers, start: false }, scoring: { background: false }, assignment: { background: false },
    });
    const started = await createServiceApp(root, { name: 'leads', description: 'test' }, { logger: false });
    await started.init();
    await started.getHttpAdapter().getInstance().ready();
    return started;
  };
  beforeAll(async () => {
    app = await start();
  });
  afterAll(() => app.close());

  const scheduler = () => app.get<Scheduler>(SCHEDULER);
  const req = (method: 'POST' | 'PUT' | 'GET', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    app.inject({ method, url, payload: payload as object, headers: { 'x-tenant-id': tenant, ...headers } });
  let tenant = 't0';
  let n = 0;
  beforeEach(() => {
    tenant = `pool-${++n}`;
  });
  const capture = async () => {
    const res = await req('POST', '/v1/leads', { name: '李雷', email: `li${Math.random()}@example.cn` });
    expect(res.statusCode).toBe(201);
    return res.json<{ id: string }>().id;
  };
  const types = async (id: string) => (await store.readStream(`lead-${id}`)).map((e) => e.type);
  const configure = (body: object) => req('PUT', '/v1/assignment-settings', body);

  it('serves default settings, then replaces them with If-Match', async () => {
    const first = await req('GET', '/v1/assignment-settings');
    expect(first.json()).toEqual({ repIds: [], rules: [], claimCap: 50, returnAfterDays: 30 });
    expect(first.headers.etag).toBe('"-1"');
    const put = await configure({ repIds: ['rep-1'], rules: [] });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ claimCap: 50, returnAfterDays: 30 });
    expect((await req('PUT', '/v1/assignment-settings', { repIds: [], rules: [] }, { 'if-match': '"7"' })).statusCode).toBe(409);
    expect((await configure({ repIds: ['rep-1'], rules: [{ id: 'r', channels: ['pigeon'], repIds: ['x'] }] })).statusCode).toBe(400);
  });

  it('assigns manually, by rule and round-robin', async () => {
    await configure({ repIds: ['rep-a', 'rep-b'], rules: [{ id: 'webform', channels: ['web_form'], repIds: ['rep-w'] }] });
    const id1 = await capture();
    const id2 = await capture();
    expect((await req('POST', `/v1/leads/${id1}/assign`, { auto: true })).json()).toMatchObject({ ownerId: 'rep-a' });
    expect((await req('POST', `/v1/leads/${id2}/assign`, { auto: true })).json()).toMatchObject({ ownerId: 'rep-b' });
    expect((await req('POST', `/v1/leads/${id1}/assign`, { ownerId: 'rep-m' })).json()).toMatchObject({ ownerId: 'rep-m' });
    const events = await store.readStream(`lead-${id1}`);
    expect(events.filter((e) => e.type === 'leads.LeadAssigned').map((e) => e.data)).toMatchObject([
      { ownerId: 'rep-a', how: 'round_robin' },
      { ownerId: 'rep-m', how: 'manual', previousOwnerId: 'rep-a' },
    ]);
    const form = await req('POST', '/v1/leads', { name: 'W', email: 'w@example.cn', channel: 'web_form' });
    const res = await req('POST', `/v1/leads/${form.json<{ id: string }>().id}/assign`, { auto: true });
    expect(res.json()).toMatchObject({ ownerId: 'rep-w' });
  });

  it('claims from the pool under the per-rep cap; an owned lead is 409', async () => {
    await configure({ repIds: [], rules: [], claimCap: 2 });
    const [a, b, c] = [await capture(), await capture(), await capture()];
    const rep = { 'x-actor-id': 'rep-1' };
    expect((await req('POST', `/v1/leads/${a}/claim`, undefined, rep)).statusCode).toBe(200);
    expect((await req('POST', `/v1/leads/${a}/claim`, undefined, { 'x-actor-id': 'rep-2' })).statusCode).toBe(409);
    expect((await req('POST', `/v1/leads/${b}/claim`, undefined, rep)).statusCode).toBe(200);
    const over = await req('POST', `/v1/leads/${c}/claim`, undefined, rep);
    expect(over.statusCode).toBe(422);
    expect(over.json()).toMatchObject({ code: 'rep_lead_cap_reached' });
    expect(await types(c)).toEqual(['leads.LeadCaptured']);
    expect((await req('POST', `/v1/leads/${a}/release`, undefined, rep)).json()).toMatchObject({ ownerId: null });
    expect((await req('POST', `/v1/leads/${c}/claim`, undefined, rep)).statusCode).toBe(200);
  });

  it('never lets concurrent claims exceed the cap', async () => {
    await configure({ repIds: [], rules: [], claimCap: 3 });
    const ids = await Promise.all(Array.from({ length: 8 }, capture));
    const results = await Promise.all(ids.map((id) => req('POST', `/v1/leads/${id}/claim`, undefined, { 'x-actor-id': 'rep-9' })));
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(3);
    expect(results.filter((r) => r.statusCode === 422)).toHaveLength(5);
  });

  it('returns a lead after 30 days without follow-up, exactly once; a follow-up moves the deadline; a restart still fires', async () => {
    await configure({ repIds: ['rep-1'], rules: [] });
    const id = await capture();
    await req('POST', `/v1/leads/${id}/claim`, undefined, { 'x-actor-id': 'rep-1' });
    clock.advance(20 * DAY);
    expect((await req('POST', `/v1/leads/${id}/follow-ups`, { note: 'called' }, { 'x-actor-id': 'rep-1' })).statusCode).toBe(200);
    clock.advance(15 * DAY); // day 35: 15 days after the follow-up
    await scheduler().runOnce();
    expect(await types(id)).not.toContain('leads.LeadReturnedToPool');

    await app.close(); // restart on the same stores
    app = await start();
    clock.advance(16 * DAY); // day 51: 31 days after the follow-up
    expect(await scheduler().runOnce()).toBe(1);
    expect(await scheduler().runOnce()).toBe(0);
    const returned = (await store.readStream(`lead-${id}`)).filter((e) => e.type === 'leads.LeadReturnedToPool');
    expect(returned.map((e) => e.data)).toMatchObject([{ previousOwnerId: 'rep-1', reason: 'no_follow_up' }]);
    // the slot came back: the rep may claim it again
    expect((await req('POST', `/v1/leads/${id}/claim`, undefined, { 'x-actor-id': 'rep-1' })).statusCode).toBe(200);
  });

  it.each([
    ['converting', (id: string) => req('POST', `/v1/leads/${id}/qualify`).then(() => req('POST', `/v1/leads/${id}/convert`, {}))],
    ['disqualifying', (id: string) => req('POST', `/v1/leads/${id}/disqualify`, { reason: 'no budget' })],
  ])('%s a lead gives its rep’s slot back and cancels its return-to-pool timer at once', async (_, close) => {
    await configure({ repIds: [], rules: [], claimCap: 1 });
    const [a, b] = [await capture(), await capture()];
    expect((await req('POST', `/v1/leads/${a}/claim`, undefined, { 'x-actor-id': 'rep-c' })).statusCode).toBe(200);
    const timer = { tenantId: tenant, id: `lead-${a}:return-to-pool` };
    expect(await timers.get(timer)).toMatchObject({ status: 'pending' });
    expect((await close(a)).statusCode).toBe(200);
    const slots = await store.readStream(`repleads-${tenant}-rep-c`);
    expect(slots.map((e) => [e.type, (e.data as { leadId: string }).leadId])).toEqual([['leads.RepLeadTaken', a], ['leads.RepLeadDropped', a]]);
    expect(await timers.get(timer)).toMatchObject({ status: 'cancelled' });
    expect((await req('POST', `/v1/leads/${b}/claim`, undefined, { 'x-actor-id': 'rep-c' })).statusCode).toBe(200);
  });

  it('merging a lead away gives its rep’s slot back and cancels its timer', async () => {
    await configure({ repIds: [], rules: [], claimCap: 5 });
    const [survivor, merged] = [await capture(), await capture()];
    await req('POST', `/v1/leads/${merged}/claim`, undefined, { 'x-actor-id': 'rep-m' });
    expect((await req('POST', `/v1/leads/${survivor}/merge`, { mergedId: merged })).statusCode).toBe(200);
    expect((await store.readStream(`repleads-${tenant}-rep-m`)).map((e) => e.type)).toEqual(['leads.RepLeadTaken', 'leads.RepLeadDropped']);
    expect(await timers.get({ tenantId: tenant, id: `lead-${merged}:return-to-pool` })).toMatchObject({ status: 'cancelled' });
  });

  it('refuses a follow-up on a pool lead (422)', async () => {
    const id = await capture();
    expect((await req('POST', `/v1/leads/${id}/follow-ups`, {}, { 'x-actor-id': 'rep-1' })).statusCode).toBe(422);
  });
});
