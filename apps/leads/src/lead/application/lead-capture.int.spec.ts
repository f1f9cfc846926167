import { LeadEventType, LeadMatchKeyEventType } from '@crm/contracts';
import { migratePostgresEventStore, PostgresEventStore } from '@crm/eventstore';
import { createServiceApp, loadBaseConfig } from '@crm/nest-kit';
import { InMemoryTimerStore } from '@crm/scheduler';
import { committedEvents, usePostgresApp } from '@crm/testing';
import { AppModule } from '../../app.module';

/**
 * Captures on the PostgreSQL event store: the request path of a new person (one multi-stream
 * read, one atomic multi-stream append) and the race between captures of one person, where the
 * match-key claims must let exactly one capture create the lead.
 */
describe('lead capture on PostgreSQL', () => {
  const pg = usePostgresApp(
    'leads_capture',
    async (pool) => {
      await migratePostgresEventStore(pool, 'leads');
      return new PostgresEventStore({ pool, schema: 'leads' });
    },
    (store) => {
      const config = loadBaseConfig('leads', 3101, { EVENT_STORE: 'memory' });
      const module = AppModule.forRoot(config, {
        eventStore: store,
        timers: { timerStore: new InMemoryTimerStore() },
        scoring: { background: false },
        assignment: { background: false },
      });
      return createServiceApp(module, { name: 'leads', description: 'test' }, { logger: false });
    },
  );

  const capture = (tenant: string, payload: object, headers: Record<string, string> = {}) =>
    pg.app.inject({ method: 'POST', url: '/v1/leads', headers: { 'x-tenant-id': tenant, ...headers }, payload });


  it('captures a new person with one read of every key stream and one atomic append of the claims and the lead', async () => {
    const person = { name: 'Han Meimei', company: 'Acme', email: 'han@example.cn', phone: '138 0013 8000' };
    let id = '';
    const calls = await pg.storeCalls(async () => {
      const res = await capture('pg-capture', person);
      expect(res.statusCode).toBe(201);
      id = res.json<{ id: string }>().id;
    });
    expect(calls).toEqual({ readStream: 0, readStreams: 1, appendToStream: 0, appendToStreams: 1 });
    const events = await committedEvents(pg.pool, 'leads', { types: [LeadEventType.LeadCaptured, LeadMatchKeyEventType.LeadMatchKeyPointed] });
    const mine = events.filter((e) => e.metadata.tenantId === 'pg-capture');
    expect(mine.map((e) => e.type)).toEqual([...Array(3).fill(LeadMatchKeyEventType.LeadMatchKeyPointed), LeadEventType.LeadCaptured]);
    expect(mine.slice(0, 3).every((e) => (e.data as { leadId: string }).leadId === id)).toBe(true);
    // One transaction: the four events share the transaction's position block.
    expect(new Set(mine.map((e) => e.position >> 20n)).size).toBe(1);
  });

  it('replays a capture retried with the same Idempotency-Key: the same answer, nothing appended', async () => {
    const person = { name: 'Li Lei', email: 'lilei@example.cn' };
    const first = await capture('pg-capture', person, { 'idempotency-key': 'capture-1' });
    expect(first.statusCode).toBe(201);
    const leadEvents = async () => (await pg.store.readStream(`lead-${first.json<{ id: string }>().id}`)).length;
    const before = await leadEvents();
    const calls = await pg.storeCalls(async () => {
      const again = await capture('pg-capture', person, { 'idempotency-key': 'capture-1' });
      expect(again.statusCode).toBe(201);
      expect(again.json()).toEqual(first.json());
    });
    expect(calls).toMatchObject({ appendToStream: 0, appendToStreams: 0 });
    expect(await leadEvents()).toBe(before);
  });

  it('of 12 captures of one person at once, exactly one creates the lead and the others attach to it', async () => {
    const tenant = 'pg-race';
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        capture(tenant, { name: 'Wang Fang', company: 'Huaxin', email: 'wang.fang@example.cn', ...(i % 3 === 0 && { phone: '139 0013 9000' }) }),
      ),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([...Array(11).fill(200), 201]);
    const ids = new Set(results.map((r) => r.json<{ id: string }>().id));
    expect(ids.size).toBe(1);
    const [leadId] = [...ids];
    const captured = await committedEvents(pg.pool, 'leads', { tenantId: tenant, types: [LeadEventType.LeadCaptured] });
    expect(captured.map((e) => e.streamName)).toEqual([`lead-${leadId}`]);
    const pointers = await committedEvents(pg.pool, 'leads', { tenantId: tenant, types: [LeadMatchKeyEventType.LeadMatchKeyPointed] });
    // Every key stream of the person points at that lead, once.
    expect(pointers.every((e) => (e.data as { leadId: string }).leadId === leadId)).toBe(true);
    expect(new Set(pointers.map((e) => e.streamName)).size).toBe(pointers.length);
    expect(pointers.length).toBe(3);
  });
});
