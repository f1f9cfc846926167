// Event store append/read benchmark on a private embedded PostgreSQL (fsync and
// synchronous_commit ON). Prints events/s and the ratios that docs/PERFORMANCE.md targets.
//   npm run bench:eventstore              BENCH_SECONDS=10 per scenario by default
import { newId, type NewEvent, type RecordedEvent } from '@crm/contracts';
import { migratePostgresEventStore, PostgresEventStore, WrongExpectedVersionError } from '../src';
import { Pool } from 'pg';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SCHEMA = 'bench';

type Row = { scenario: string; events: number; seconds: number; note?: string };

const data = (i: number) => ({
  leadId: newId(),
  name: `Lead number ${i} — Ångström GmbH`,
  email: `lead${i}@example.com`,
  phone: '+49 30 1234567',
  source: 'web-form',
  campaign: 'spring-2025-newsletter',
  score: i % 100,
  tags: ['b2b', 'enterprise', 'emea'],
  address: { street: 'Hauptstraße 1', city: 'Berlin', zip: '10115', country: 'DE' },
});
const metadata = () => ({
  tenantId: 'tenant-0001',
  actor: 'user:0190a1b2-c3d4',
  correlationId: newId(),
  causationId: newId(),
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
});
const newEvent = (i: number): NewEvent => ({ id: newId(), type: 'leads.LeadCaptured', data: data(i), metadata: metadata() });

/** Runs `workers` loops until the time is up; each loop iteration returns how many events it stored. */
const timed = async (workers: number, seconds: number, step: (worker: number, n: number) => Promise<number>) => {
  const deadline = Date.now() + seconds * 1000;
  const started = Date.now();
  let events = 0;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let n = 0; Date.now() < deadline; n++) {
        const stored = await step(w, n); // not `events += await …`: that would read `events` before awaiting
        events += stored;
      }
    }),
  );
  return { events, seconds: (Date.now() - started) / 1000 };
};

const main = async () => {
  // fsync and synchronous_commit stay ON: this is a benchmark.
  const { startTemporaryPostgres } = await import('@crm/testing/src/local-servers.mjs');
  const server = await startTemporaryPostgres({ prefix: 'crm-bench-pg-', flags: ['-c', 'max_connections=100', '-c', 'fsync=on', '-c', 'synchronous_commit=on'] });
  const pool = new Pool({ connectionString: server.url, max: 24 });
  pool.on('error', () => undefined); // idle clients see the server stop at the end
  const rows: Row[] = [];
  const run = async (scenario: string, workers: number, step: (w: number, n: number) => Promise<number>, note?: () => string) => {
    const r = await timed(workers, SECONDS, step);
    rows.push({ scenario, ...r, note: note?.() });
    process.stdout.write(`${scenario}: ${Math.round(r.events / r.seconds)} events/s${note ? ` (${note()})` : ''}\n`);
  };

  try {
    const settings = await pool.query(`SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS sc, version() AS v`);
    process.stdout.write(`PostgreSQL: ${settings.rows[0].v.split(' on ')[0]}, fsync=${settings.rows[0].fsync}, synchronous_commit=${settings.rows[0].sc}, ${SECONDS} s per scenario\n\n`);
    await pool.query(`CREATE TABLE raw_events (
      id uuid NOT NULL UNIQUE, stream text NOT NULL, revision bigint NOT NULL, type text NOT NULL,
      data jsonb NOT NULL, metadata jsonb NOT NULL, PRIMARY KEY (stream, revision))`);
    await migratePostgresEventStore(pool, SCHEMA);
    const store = new PostgresEventStore({ pool, schema: SCHEMA });
    const run1 = Date.now().toString(36);

    await run('a raw INSERT, 1 row/tx, 16 clients', 16, async (w, n) => {
      const e = newEvent(n);
      await pool.query('INSERT INTO raw_events (id, stream, revision, type, data, metadata) VALUES ($1, $2, $3, $4, $5, $6)', [
        e.id, `a${run1}-${w}`, n, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata),
      ]);
      return 1;
    });

    await run('b store append, 1 event, 16 writers', 16, async (w, n) => {
      await store.appendToStream(`lead-b${run1}${w}`, [newEvent(n)], { expectedState: n === 0 ? 'no_stream' : n - 1 });
      return 1;
    });

    const notifying = new PostgresEventStore({ pool, schema: SCHEMA, notifyInTransaction: true });
    await run('b* same, NOTIFY inside the tx', 16, async (w, n) => {
      await notifying.appendToStream(`lead-bn${run1}${w}`, [newEvent(n)], { expectedState: n === 0 ? 'no_stream' : n - 1 });
      return 1;
    });
    await notifying.close();

    await run('c raw INSERT, 100 rows/tx, 4 clients', 4, async (w, n) => {
      const batch = Array.from({ length: 100 }, (_, i) => newEvent(i));
      await pool.query(
        `INSERT INTO raw_events (id, stream, revision, type, data, metadata)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::text[], $5::jsonb[], $6::jsonb[])`,
        [
          batch.map((e) => e.id),
          batch.map(() => `c${run1}-${w}`),
          batch.map((_, i) => n * 100 + i),
          batch.map((e) => e.type),
          batch.map((e) => JSON.stringify(e.data)),
          batch.map((e) => JSON.stringify(e.metadata)),
        ],
      );
      return 100;
    });

    await run('d store append, 100 events, 4 writers', 4, async (w, n) => {
      const batch = Array.from({ length: 100 }, (_, i) => newEvent(i));
      await store.appendToStream(`lead-d${run1}${w}`, batch, { expectedState: n === 0 ? 'no_stream' : n * 100 - 1 });
      return 100;
    });

    const hot = `lead-hot${run1}`;
    let conflicts = 0;
    let maxRetries = 0;
    const retryLimit = 1_000;
    await run(
      'e one hot stream, 16 writers, expected revisions',
      16,
      async (w, n) => {
        const e = newEvent(n);
        for (let attempt = 0; ; attempt++) {
          if (attempt > retryLimit) throw new Error(`more than ${retryLimit} retries`);
          const [last] = await store.readStream(hot, { direction: 'backwards', maxCount: 1 });
          try {
            await store.appendToStream(hot, [e], { expectedState: last ? last.revision : 'no_stream' });
            maxRetries = Math.max(maxRetries, attempt);
            return 1;
          } catch (error) {
            if (!(error instanceof WrongExpectedVersionError)) throw error;
            conflicts++;
            await new Promise((r) => setTimeout(r, Math.random() * Math.min(2 ** attempt, 16)));
          }
        }
      },
      () => `${conflicts} conflicts, max ${maxRetries} retries for one append`,
    );

    // f: a catch-up subscription from the beginning over everything the store holds.
    const { rows: idRows } = await pool.query<{ id: string }>(`SELECT event_id AS id FROM ${SCHEMA}.events`);
    const expected = new Set(idRows.map((r) => r.id));
    const seen = new Set<string>();
    let delivered = 0;
    let outOfOrder = 0;
    let last: RecordedEvent | undefined;
    const reader = new PostgresEventStore({ pool, schema: SCHEMA, pageSize: 5_000 });
    const sub = reader.subscribeToAll();
    const started = Date.now();
    for await (const e of sub) {
      delivered++;
      seen.add(e.id);
      if (last && e.position <= last.position) outOfOrder++;
      last = e;
      if (delivered >= expected.size) break;
    }
    const seconds = (Date.now() - started) / 1000;
    await sub.close();
    await reader.close();
    const missing = [...expected].filter((id) => !seen.has(id)).length;
    const duplicated = delivered - seen.size;
    const note = `${delivered} delivered of ${expected.size}: ${missing} missing, ${duplicated} duplicated, ${outOfOrder} out of order`;
    rows.push({ scenario: 'f catch-up subscription from 0', events: delivered, seconds, note });
    process.stdout.write(`f catch-up subscription: ${Math.round(delivered / seconds)} events/s (${note})\n`);
    await store.close();

    const rate = (prefix: string) => {
      const r = rows.find((x) => x.scenario.startsWith(prefix))!;
      return r.events / r.seconds;
    };
    const verdict = (ok: boolean) => (ok ? 'MET' : 'MISSED');
    process.stdout.write('\n| scenario | events/s | note |\n|---|---:|---|\n');
    for (const r of rows) process.stdout.write(`| ${r.scenario} | ${Math.round(r.events / r.seconds)} | ${r.note ?? ''} |\n`);
    const ba = rate('b ') / rate('a ');
    const dc = rate('d ') / rate('c ');
    const e = rate('e ');
    const f = rate('f ');
    process.stdout.write('\n| target | measured | verdict |\n|---|---:|---|\n');
    process.stdout.write(`| b/a single appends ≥ 0.60 × raw INSERT | ${ba.toFixed(2)} | ${verdict(ba >= 0.6)} |\n`);
    process.stdout.write(`| b*/a with NOTIFY inside the tx (for comparison) | ${(rate('b* ') / rate('a ')).toFixed(2)} | - |\n`);
    process.stdout.write(`| d/c batches of 100 ≥ 0.80 × raw INSERT | ${dc.toFixed(2)} | ${verdict(dc >= 0.8)} |\n`);
    process.stdout.write(`| e hot stream ≥ 806 events/s (2 × Emmett's 403) | ${Math.round(e)} | ${verdict(e >= 806)} |\n`);
    process.stdout.write(`| f catch-up ≥ 50,000 events/s, 0 missing, 0 duplicated | ${Math.round(f)} | ${verdict(f >= 50_000 && missing === 0 && duplicated === 0)} |\n`);
  } finally {
    await pool.end();
    await server.stop();
  }
};

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
