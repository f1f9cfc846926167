import { newId, type NewEvent } from '@crm/contracts';
import { createTestDatabase, type TestDatabase } from '@crm/testing';
import { Pool } from 'pg';
import { eventStoreContract } from '../event-store.contract';
import { PostgresEventStore } from './postgres-event-store';
import { migratePostgresEventStore } from './postgres-migrations';

const SCHEMA = 'es_contract';
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const anEvent = (): NewEvent => ({ id: newId(), type: 'test.Happened', data: { at: Date.now() }, metadata: { tenantId: 't', correlationId: newId() } });

// Isolated: these tests assert exactly when `$all` shows an event, and its horizon is cluster-wide.
const openDatabase = async (): Promise<{ db: TestDatabase; pool: Pool }> => {
  const db = await createTestDatabase('eventstore', { isolated: true });
  const pool = new Pool({ connectionString: db.url, max: 40 });
  return { db, pool };
};

eventStoreContract('postgres', async () => {
  const { db, pool } = await openDatabase();
  await migratePostgresEventStore(pool, SCHEMA);
  const store = new PostgresEventStore({ pool, schema: SCHEMA });
  return {
    store,
    // A transaction that stays open after its insert: it holds a lower position than the
    // appends that commit meanwhile, which is exactly the late commit `$all` must not skip.
    appendHeldOpen: async (streamName, events, holdMs) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await store.appendWithClient(client, streamName, events);
        await sleep(holdMs);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    teardown: async () => {
      await store.close();
      await pool.end();
      await db.drop();
    },
  };
});

describe('PostgresEventStore specifics', () => {
  let db: TestDatabase;
  let pool: Pool;
  beforeAll(async () => {
    ({ db, pool } = await openDatabase());
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('migrates idempotently, also when two processes migrate at once', async () => {
    const [a, b] = await Promise.all([migratePostgresEventStore(pool, 'leads'), migratePostgresEventStore(pool, 'leads')]);
    expect([...a.applied, ...b.applied]).toEqual(['0001_create_events', '0002_append_to_streams']);
    expect((await migratePostgresEventStore(pool, 'leads')).applied).toEqual([]);
    const { rows } = await pool.query('SELECT version FROM leads.schema_migrations ORDER BY version');
    expect(rows).toEqual([{ version: '0001_create_events' }, { version: '0002_append_to_streams' }]);
  });

  it('refuses schema names that are not plain lowercase identifiers', async () => {
    for (const bad of ['Leads', 'a"b', 'x; DROP TABLE y', '', '1abc', 'a-b']) {
      await expect(migratePostgresEventStore(pool, bad)).rejects.toThrow(/invalid schema name/);
      expect(() => new PostgresEventStore({ pool, schema: bad })).toThrow(/invalid schema name/);
    }
  });

  it('keeps the events of each schema apart', async () => {
    await migratePostgresEventStore(pool, 'svc_a');
    await migratePostgresEventStore(pool, 'svc_b');
    const a = new PostgresEventStore({ pool, schema: 'svc_a' });
    const b = new PostgresEventStore({ pool, schema: 'svc_b' });
    await a.appendToStream('lead-1', [anEvent()]);
    expect(await b.readStream('lead-1')).toEqual([]);
    expect(await a.readStream('lead-1')).toHaveLength(1);
  });

  it('$all hides a committed event while a transaction with a lower position is still open, then returns both in order', async () => {
    await migratePostgresEventStore(pool, 'gap');
    const store = new PostgresEventStore({ pool, schema: 'gap' });
    const mark = await store.appendToStream('mark-1', [anEvent()]);
    const slow = await pool.connect();
    try {
      await slow.query('BEGIN');
      const early = anEvent();
      const held = await store.appendWithClient(slow, 'lead-early', [early]);
      const late = anEvent();
      const committed = await store.appendToStream('lead-late', [late]);
      expect(committed.position).toBeGreaterThan(held.position);
      expect(await store.readAll({ after: mark.position })).toEqual([]);
      await slow.query('COMMIT');
      expect((await store.readAll({ after: mark.position })).map((e) => e.id)).toEqual([early.id, late.id]);
    } finally {
      slow.release();
    }
  });

  it('delivers an event whose wake-up arrived while an older transaction still held the horizon', async () => {
    await migratePostgresEventStore(pool, 'horizon');
    // A poll interval far above the waits below: only the re-check after the wake-up can deliver.
    const reader = new PostgresEventStore({ pool, schema: 'horizon', idleWaitMs: 60_000 });
    const writer = new PostgresEventStore({ pool, schema: 'horizon' });
    const seen: string[] = [];
    const sub = reader.subscribeToAll();
    const loop = (async () => {
      for await (const e of sub) seen.push(e.id);
    })();
    const blocker = await pool.connect();
    try {
      await sleep(300);
      await blocker.query('BEGIN');
      await blocker.query('SELECT pg_current_xact_id()'); // an open write transaction, older than the append
      const event = anEvent();
      await writer.appendToStream('lead-h1', [event]); // its NOTIFY wakes the reader, whose read is still empty
      await sleep(300);
      expect(seen).toEqual([]);
      await blocker.query('COMMIT');
      const deadline = Date.now() + 3_000;
      while (!seen.includes(event.id!) && Date.now() < deadline) await sleep(10);
      expect(seen).toEqual([event.id]);
    } finally {
      await blocker.query('ROLLBACK').catch(() => undefined);
      blocker.release();
      await sub.close();
      await loop;
      await reader.close();
      await writer.close();
    }
  });

  it('wakes subscriptions of another process through NOTIFY, and again after the LISTEN connection was killed', async () => {
    await migratePostgresEventStore(pool, 'notify');
    // A poll interval far above the waits below: only a notification can deliver in time.
    const reader = new PostgresEventStore({ pool, schema: 'notify', idleWaitMs: 60_000 });
    const writer = new PostgresEventStore({ pool, schema: 'notify' });
    const seen: string[] = [];
    const sub = reader.subscribeToAll();
    const loop = (async () => {
      for await (const e of sub) seen.push(e.id);
    })();
    const deliveredWithin = async (id: string, ms: number) => {
      const deadline = Date.now() + ms;
      while (!seen.includes(id) && Date.now() < deadline) await sleep(10);
      return seen.includes(id);
    };
    try {
      await sleep(300);
      const first = anEvent();
      await writer.appendToStream('lead-n1', [first]);
      expect(await deliveredWithin(first.id!, 5_000)).toBe(true);

      const killed = await pool.query(
        `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE query ILIKE 'LISTEN "eventstore_notify"%' AND datname = current_database()`,
      );
      expect(killed.rows).toHaveLength(1);
      await sleep(1_000); // reconnect back-off
      const second = anEvent();
      await writer.appendToStream('lead-n2', [second]);
      expect(await deliveredWithin(second.id!, 5_000)).toBe(true);
    } finally {
      await sub.close();
      await loop;
      await reader.close();
      await writer.close();
    }
    const listening = await pool.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE query ILIKE 'LISTEN%' AND datname = current_database()`);
    expect(listening.rows[0].n).toBe(0);
  });
});
