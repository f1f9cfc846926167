import { migratePostgresEventStore } from '@crm/eventstore';
import { createTestDatabase, eventually, type TestDatabase } from '@crm/testing';
import { Pool } from 'pg';
import { ManualClock } from '../manual-clock';
import { Scheduler, type SchedulerIncident } from '../scheduler';
import { timerStoreContract } from '../timer-store.contract';
import { migrateScheduler, PostgresTimerStore } from './postgres-timer-store';

const SCHEMA = 'timers_contract';

timerStoreContract('postgres', async () => {
  const db = await createTestDatabase('scheduler');
  const pool = new Pool({ connectionString: db.url, max: 12 });
  await migrateScheduler(pool, SCHEMA);
  const store = new PostgresTimerStore({ pool, schema: SCHEMA });
  const reopened: Pool[] = [];
  return {
    store,
    // A new pool and store, as a restarted process would have.
    reopen: async () => {
      const fresh = new Pool({ connectionString: db.url, max: 2 });
      reopened.push(fresh);
      return new PostgresTimerStore({ pool: fresh, schema: SCHEMA });
    },
    teardown: async () => {
      await store.close();
      await Promise.all(reopened.map((p) => p.end()));
      await pool.end();
      await db.drop();
    },
  };
});

describe('PostgresTimerStore specifics', () => {
  let db: TestDatabase;
  let pool: Pool;
  beforeAll(async () => {
    db = await createTestDatabase('scheduler');
    pool = new Pool({ connectionString: db.url, max: 4 });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('migrates idempotently through the shared runner, also when two processes migrate at once, next to the event store', async () => {
    await migratePostgresEventStore(pool, 'leads');
    const [a, b] = await Promise.all([migrateScheduler(pool, 'leads'), migrateScheduler(pool, 'leads')]);
    expect([...a.applied, ...b.applied]).toEqual(['scheduler/0001_timers']);
    expect((await migrateScheduler(pool, 'leads')).applied).toEqual([]);
    const { rows } = await pool.query('SELECT version FROM leads.schema_migrations ORDER BY version');
    expect(rows).toEqual([{ version: '0001_create_events' }, { version: '0002_append_to_streams' }, { version: 'scheduler/0001_timers' }]);
  });

  it('refuses schema names that are not plain lowercase identifiers', async () => {
    for (const bad of ['Leads', 'a"b', 'x; DROP TABLE y', '', 'a-b']) {
      await expect(migrateScheduler(pool, bad)).rejects.toThrow(/invalid schema name/);
      expect(() => new PostgresTimerStore({ pool, schema: bad })).toThrow(/invalid schema name/);
    }
  });

  it('keeps the timers of each schema apart', async () => {
    await migrateScheduler(pool, 'svc_a');
    await migrateScheduler(pool, 'svc_b');
    const a = new PostgresTimerStore({ pool, schema: 'svc_a' });
    const b = new PostgresTimerStore({ pool, schema: 'svc_b' });
    const timer = { tenantId: 't', id: 'x', kind: 'k.K', dueAt: new Date('2030-01-01T00:00:00Z'), payload: null };
    await a.schedule(timer);
    expect(await b.get(timer)).toBeUndefined();
    expect(await b.claimDue(new Date('2031-01-01T00:00:00Z'), 10, 1000, 'o')).toEqual([]);
    expect(await a.get(timer)).toMatchObject({ status: 'pending', payload: null });
  });

  it('claims through the partial index on pending timers', async () => {
    await migrateScheduler(pool, 'plan');
    const { rows } = await pool.query(
      `EXPLAIN (FORMAT JSON) SELECT tenant_id, id FROM plan.timers WHERE status = 'pending' AND next_at <= now() ORDER BY next_at LIMIT 10 FOR UPDATE SKIP LOCKED`,
    );
    await pool.query('SET enable_seqscan = off');
    const forced = await pool.query(
      `EXPLAIN SELECT tenant_id, id FROM plan.timers WHERE status = 'pending' AND next_at <= now() ORDER BY next_at LIMIT 10 FOR UPDATE SKIP LOCKED`,
    );
    await pool.query('RESET enable_seqscan');
    expect(rows).toHaveLength(1);
    expect(forced.rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join('\n')).toMatch(/timers_claimable/);
  });

  it('three runners (pods, each with its own pool) handle each of 300 due timers exactly once', async () => {
    await migrateScheduler(pool, 'pods');
    const clock = new ManualClock('2030-01-01T00:00:00Z');
    const seeder = new PostgresTimerStore({ pool, schema: 'pods' });
    for (let i = 0; i < 300; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, j) =>
          seeder.schedule({ tenantId: `t${(i + j) % 3}`, id: `lead-${i + j}:return-to-pool`, kind: 'leads.ReturnLeadToPool', dueAt: clock.now(), payload: { n: i + j } }),
        ),
      );
    }
    const handled = new Map<string, string[]>();
    const incidents: SchedulerIncident[] = [];
    const pods = [1, 2, 3].map((n) => {
      const podPool = new Pool({ connectionString: db.url, max: 3 });
      const scheduler = new Scheduler({
        store: new PostgresTimerStore({ pool: podPool, schema: 'pods' }),
        clock,
        owner: `pod-${n}`,
        pollMs: 20,
        concurrency: 5,
        onIncident: (i) => incidents.push(i),
      }).on('leads.ReturnLeadToPool', async (t) => {
        const key = `${t.tenantId}/${t.id}`;
        handled.set(key, [...(handled.get(key) ?? []), `pod-${n}`]);
        await new Promise((r) => setImmediate(r));
      });
      return { podPool, scheduler };
    });
    try {
      pods.forEach((p) => p.scheduler.start());
      await eventually(async () => {
        const { rows } = await pool.query(`SELECT count(*)::int AS n FROM pods.timers WHERE status = 'fired'`);
        return rows[0].n === 300 ? true : undefined;
      }, 30_000, 50);
    } finally {
      await Promise.all(pods.map((p) => p.scheduler.stop()));
      await Promise.all(pods.map((p) => p.podPool.end()));
    }
    expect(handled.size).toBe(300);
    expect([...handled.values()].filter((owners) => owners.length !== 1)).toEqual([]);
    expect(new Set([...handled.values()].flat()).size).toBeGreaterThan(1);
    expect(incidents).toEqual([]);
  });
});
