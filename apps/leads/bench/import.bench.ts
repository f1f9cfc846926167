// Lead import benchmark: a generated CSV (100,000 rows by default) uploaded to the leads service
// running on the PostgreSQL event store (throw-away embedded PostgreSQL, fsync and
// synchronous_commit ON), over real HTTP on 127.0.0.1. Prints rows/s, peak RSS, and the ratio to a
// raw single-row INSERT baseline (16 clients) taken in the same run (docs/PERFORMANCE.md).
//   npm run bench:import                  BENCH_ROWS=100000  BENCH_BAD_EVERY=1000  BENCH_RERUN=0
import { createServiceApp, loadBaseConfig } from '@crm/nest-kit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { Pool } from 'pg';
import { AppModule } from '../src/app.module';

// The service's request log would dominate the output (and the process's work).
process.env.LOG_LEVEL ??= 'silent';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
/** Every n-th row has a bad e-mail (0: none), so the error path is measured too. */
const BAD_EVERY = Number(process.env.BENCH_BAD_EVERY ?? 1_000);
const RERUN = process.env.BENCH_RERUN === '1';
const BASELINE_SECONDS = Number(process.env.BENCH_BASELINE_SECONDS ?? 5);

type Job = { id: string; status: string; processed: number; failed: number; created: number; attached: number; error?: string };

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const out = (line: string) => process.stdout.write(`${line}\n`);

const generate = async (path: string): Promise<number> => {
  const file = createWriteStream(path);
  const write = async (s: string) => {
    if (!file.write(s)) await once(file, 'drain');
  };
  await write('姓名,公司,邮箱,手机,渠道,utm_source,utm_campaign\n');
  for (let i = 1; i <= ROWS; i++) {
    const email = BAD_EVERY > 0 && i % BAD_EVERY === 0 ? `broken-${i}-at-example` : `lead${i}@example.com`;
    const phone = `139 ${String(i).padStart(8, '0').replace(/(\d{4})(\d{4})/, '$1 $2')}`;
    await write(`测试用户${i},"Acme ${i % 500} Co., Ltd.",${email},${phone},import,newsletter,spring-${i % 7}\n`);
  }
  file.end();
  await once(file, 'finish');
  return BAD_EVERY > 0 ? Math.floor(ROWS / BAD_EVERY) : 0;
};

const upload = (port: number, path: string): Promise<{ status: number; body: Job }> =>
  new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/v1/lead-imports?fileName=bench.csv', headers: { 'content-type': 'text/csv', 'content-length': statSync(path).size } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(body) as Job }));
    });
    req.on('error', reject);
    createReadStream(path).on('error', reject).pipe(req);
  });

const getJob = async (port: number, id: string): Promise<Job> => (await fetch(`http://127.0.0.1:${port}/v1/lead-imports/${id}`)).json() as Promise<Job>;

const runImport = async (port: number, path: string, label: string) => {
  const started = Date.now();
  const accepted = await upload(port, path);
  if (accepted.status !== 202) throw new Error(`upload answered ${accepted.status}: ${JSON.stringify(accepted.body)}`);
  const uploadedMs = Date.now() - started;
  let job = accepted.body;
  let lastPrint = 0;
  while (job.status === 'running') {
    await new Promise((r) => setTimeout(r, 250));
    job = await getJob(port, job.id);
    if (Date.now() - lastPrint > 5_000) {
      lastPrint = Date.now();
      out(`  ${label}: ${job.processed} rows after ${((Date.now() - started) / 1000).toFixed(0)} s (created ${job.created}, attached ${job.attached}, failed ${job.failed}), RSS ${mib(process.memoryUsage().rss)}, heap ${mib(process.memoryUsage().heapUsed)}`);
    }
  }
  const seconds = (Date.now() - started) / 1000;
  return { job, seconds, uploadedMs };
};

const baseline = async (url: string): Promise<number> => {
  const pool = new Pool({ connectionString: url, max: 16 });
  await pool.query(`CREATE TABLE raw_events (id uuid NOT NULL UNIQUE, stream text NOT NULL, revision bigint NOT NULL, type text NOT NULL,
    data jsonb NOT NULL, metadata jsonb NOT NULL, PRIMARY KEY (stream, revision))`);
  const deadline = Date.now() + BASELINE_SECONDS * 1000;
  let rows = 0;
  const started = Date.now();
  await Promise.all(Array.from({ length: 16 }, async (_, w) => {
    for (let n = 0; Date.now() < deadline; n++) {
      await pool.query('INSERT INTO raw_events (id, stream, revision, type, data, metadata) VALUES (gen_random_uuid(), $1, $2, $3, $4, $5)', [
        `raw-${w}`, n, 'leads.LeadCaptured',
        JSON.stringify({ leadId: `x${n}`, name: `测试用户${n}`, company: 'Acme Co., Ltd.', email: `lead${n}@example.com`, phone: '+8613900000001', source: { channel: 'import', utm: { source: 'newsletter' } }, capturedAt: new Date().toISOString() }),
        JSON.stringify({ tenantId: 'default', actor: 'anonymous', correlationId: 'c', causationId: 'c', idempotencyKey: `lead-import:email:lead${n}@example.com` }),
      ]);
      rows++;
    }
  }));
  const rate = rows / ((Date.now() - started) / 1000);
  await pool.end();
  return rate;
};

const main = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'crm-import-bench-'));
  const { startTemporaryPostgres } = await import('@crm/testing/src/local-servers.mjs');
  const server = await startTemporaryPostgres({ prefix: 'crm-bench-pg-', flags: ['-c', 'max_connections=100', '-c', 'fsync=on', '-c', 'synchronous_commit=on'] });
  let app: NestFastifyApplication | undefined;
  try {
    const path = join(dir, 'leads.csv');
    const bad = await generate(path);
    out(`generated ${ROWS} rows (${bad} with a bad e-mail), ${mib(statSync(path).size)} on disk`);

    const raw = await baseline(server.url);
    out(`baseline: raw INSERT of an event-like row, 1 row/tx, 16 clients: ${Math.round(raw)} rows/s`);

    const config = loadBaseConfig('leads', 3101, { EVENT_STORE: 'postgres', DATABASE_URL: server.url, LOG_LEVEL: 'silent' });
    app = await createServiceApp(AppModule.forRoot(config), { name: 'leads', description: 'bench' }, { logger: false });
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as { port: number };
    const rssBefore = process.memoryUsage().rss;
    peakRss = rssBefore;
    out(`leads service on 127.0.0.1:${port}, RSS ${mib(rssBefore)} before the import`);

    const first = await runImport(port, path, 'import');
    const rate = first.job.processed / first.seconds;
    out(`\nimport: ${JSON.stringify({ status: first.job.status, processed: first.job.processed, created: first.job.created, attached: first.job.attached, failed: first.job.failed, error: first.job.error })}`);
    out(`  ${first.seconds.toFixed(1)} s (upload accepted after ${first.uploadedMs} ms): ${Math.round(rate)} rows/s`);
    out(`  peak RSS ${mib(peakRss)} (before ${mib(rssBefore)}, +${mib(peakRss - rssBefore)})`);
    out(`  ratio to the raw INSERT baseline: ${(rate / raw).toFixed(2)} (each new row = 1 multi-stream read + 1 transaction appending the lead and its 3 match-key claims)`);
    const ok = first.job.status === 'completed' && first.job.processed === ROWS && first.job.failed === bad && first.job.created === ROWS - bad;
    out(`  counts ${ok ? 'as expected' : 'NOT as expected'}`);
    // What else the service wrote meanwhile (its own consumers react to the captures, e.g. scoring).
    const pool = new Pool({ connectionString: server.url, max: 1 });
    const { rows: byType } = await pool.query<{ type: string; n: string }>('SELECT type, count(*) AS n FROM leads.events GROUP BY type ORDER BY 2 DESC');
    await pool.end();
    out(`  events in the leads store now: ${byType.map((r) => `${r.type} ${r.n}`).join(', ')}`);

    if (RERUN) {
      peakRss = process.memoryUsage().rss;
      const again = await runImport(port, path, 're-run');
      out(`\nre-run of the same file: ${JSON.stringify({ status: again.job.status, created: again.job.created, attached: again.job.attached, failed: again.job.failed })}`);
      out(`  ${again.seconds.toFixed(1)} s: ${Math.round(again.job.processed / again.seconds)} rows/s, peak RSS ${mib(peakRss)}`);
    }
    if (!ok) process.exitCode = 1;
  } catch (error) {
    // Printed before the database stops: a listener losing its connection must not hide the cause.
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  } finally {
    clearInterval(sampler);
    await app?.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
};

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
