// Lead capture benchmark (docs/PERFORMANCE.md: "HTTP command (lead capture) end to end ≥ 0.50 × a
// bare Fastify endpoint doing the same single INSERT; p99 < 50 ms"), measured in one run against
// one throw-away embedded PostgreSQL with fsync and synchronous_commit ON:
//  - baseline: a bare Fastify app, one POST route, no validation, one INSERT of an event-like row
//    through a pg Pool of 10 (the size of the service's pool);
//  - leads: the real leads service (migrated as the launcher does, background scoring and
//    consumers on), POST /v1/leads with a new person each request, so every request claims its
//    match keys and creates a lead.
// Both are driven over real HTTP on 127.0.0.1 by N keep-alive connections (node:http; undici is
// not installed) from THIS process: client, baseline and service share the process and its CPU,
// and the peak RSS printed is the whole process's. The pair runs BENCH_RUNS times; medians at the end.
// Afterwards one instrumented pass breaks a capture into store reads, appends, round trips and
// pool waits (that pass is slower than the timed ones and is not part of the ratio).
//   npm run bench:capture     BENCH_SECONDS=10 BENCH_WARMUP_SECONDS=2 BENCH_CONNECTIONS=32 BENCH_RUNS=3
//                             BENCH_MAX_REQUESTS=100000 (per phase) BENCH_ANATOMY=1 BENCH_CPU_PROFILE=/tmp/capture.cpuprofile
import { createServiceApp, EVENT_STORE, loadBaseConfig, PG_POOL } from '@crm/nest-kit';
import type { EventStore } from '@crm/eventstore';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { fastify } from 'fastify';
import { AsyncLocalStorage } from 'node:async_hooks';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { Session } from 'node:inspector';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { Pool } from 'pg';
import { AppModule } from '../src/app.module';
import { LeadCommandsService } from '../src/lead/application/lead-commands.service';
import { LeadModule } from '../src/lead/lead.module';

// The service's request log would dominate the output (and the process's work).
process.env.LOG_LEVEL ??= 'silent';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const MAX_REQUESTS = Number(process.env.BENCH_MAX_REQUESTS ?? 100_000);
const ANATOMY = process.env.BENCH_ANATOMY !== '0';
const CPU_PROFILE = process.env.BENCH_CPU_PROFILE;

const out = (line = '') => process.stdout.write(`${line}\n`);
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

let peakRss = 0;
const rssSampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

// ---------------------------------------------------------------------------------------------
// Distinct, realistic people: request n gets company n mod 997 and name ⌊n / 997⌋ mod |names|, so
// (company, name) never repeats below 997 × |names| requests; e-mail and phone carry n itself.

const SURNAMES: [string, string][] = [
  ['王', 'wang'], ['李', 'li'], ['张', 'zhang'], ['刘', 'liu'], ['陈', 'chen'], ['杨', 'yang'], ['赵', 'zhao'], ['黄', 'huang'],
  ['周', 'zhou'], ['吴', 'wu'], ['徐', 'xu'], ['孙', 'sun'], ['胡', 'hu'], ['朱', 'zhu'], ['高', 'gao'], ['林', 'lin'],
  ['何', 'he'], ['郭', 'guo'], ['马', 'ma'], ['罗', 'luo'], ['梁', 'liang'], ['宋', 'song'], ['郑', 'zheng'], ['谢', 'xie'],
];
const GIVEN: [string, string][] = [
  ['伟', 'wei'], ['芳', 'fang'], ['娜', 'na'], ['秀英', 'xiuying'], ['敏', 'min'], ['静', 'jing'], ['丽', 'li'], ['强', 'qiang'],
  ['磊', 'lei'], ['军', 'jun'], ['洋', 'yang'], ['勇', 'yong'], ['艳', 'yan'], ['杰', 'jie'], ['娟', 'juan'], ['涛', 'tao'],
  ['明', 'ming'], ['超', 'chao'], ['秀兰', 'xiulan'], ['霞', 'xia'], ['平', 'ping'], ['刚', 'gang'], ['桂英', 'guiying'], ['建华', 'jianhua'],
  ['晓东', 'xiaodong'], ['海燕', 'haiyan'], ['志强', 'zhiqiang'], ['雪梅', 'xuemei'], ['宇轩', 'yuxuan'], ['子涵', 'zihan'],
];
const LATIN_FIRST = ['Anna', 'Lukas', 'Emma', 'Noah', 'Sofia', 'Elias', 'Mia', 'Jonas', 'Lea', 'Felix', 'Clara', 'David'];
const LATIN_LAST = ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Hoffmann', 'Schulz'];
const NAMES: { name: string; local: string }[] = [
  ...SURNAMES.flatMap(([s, sp]) => GIVEN.map(([g, gp]) => ({ name: `${s}${g}`, local: `${gp}.${sp}` }))),
  ...LATIN_FIRST.flatMap((f) => LATIN_LAST.map((l) => ({ name: `${f} ${l}`, local: `${f}.${l.replace('ü', 'ue')}`.toLowerCase() }))),
];
const CITIES = ['上海', '北京', '深圳', '杭州', '成都', '苏州', '南京', '武汉', '西安', '广州'];
const CORES: [string, string][] = [
  ['华信', 'huaxin'], ['远景', 'yuanjing'], ['星河', 'xinghe'], ['云帆', 'yunfan'], ['瑞达', 'ruida'], ['博远', 'boyuan'], ['恒通', 'hengtong'],
  ['启明', 'qiming'], ['新锐', 'xinrui'], ['天成', 'tiancheng'], ['海纳', 'haina'], ['智联', 'zhilian'], ['宏图', 'hongtu'], ['金桥', 'jinqiao'],
  ['鼎盛', 'dingsheng'], ['优创', 'youchuang'], ['中科', 'zhongke'], ['易达', 'yida'], ['长风', 'changfeng'], ['嘉禾', 'jiahe'],
];
const KINDS = ['科技有限公司', '信息技术有限公司', '贸易有限公司', '软件有限公司', '实业有限公司'];
const COMPANY_COUNT = 997; // prime, below |CITIES| × |CORES| × |KINDS| = 1,000
const company = (i: number) => {
  const [core, domain] = CORES[Math.floor(i / CITIES.length) % CORES.length];
  return { name: `${CITIES[i % CITIES.length]}${core}${KINDS[Math.floor(i / (CITIES.length * CORES.length))]}`, domain: `${domain}.com.cn` };
};
const UTM = [
  { source: 'baidu', medium: 'cpc', campaign: 'spring-2025-search' },
  { source: 'wechat', medium: 'social', campaign: 'webinar-ai-crm' },
  { source: 'newsletter', medium: 'email', campaign: 'product-update-05' },
];

let personCounter = 0;
/** A capture body for a person never sent before in this process. */
const nextPerson = () => {
  const n = ++personCounter;
  const firm = company(n % COMPANY_COUNT);
  const who = NAMES[Math.floor(n / COMPANY_COUNT) % NAMES.length];
  const digits = String(n).padStart(8, '0');
  return {
    name: who.name,
    company: firm.name,
    email: `${who.local}.${n}@${firm.domain}`,
    phone: `+86 139 ${digits.slice(0, 4)} ${digits.slice(4)}`,
    channel: 'web_form',
    utm: UTM[n % UTM.length],
    consentPurposes: ['marketing'],
  };
};

// ---------------------------------------------------------------------------------------------
// The load generator: CONNECTIONS loops, each one request at a time on its own keep-alive socket.

type Target = { label: string; port: number; path: string; headers?: Record<string, string> };
type PhaseResult = {
  requests: number;
  ok: number;
  statuses: Map<string, number>;
  latencies: number[];
  seconds: number;
};

const post = (agent: Agent, target: Target, body: string) =>
  new Promise<number>((resolve) => {
    const req = request(
      {
        host: '127.0.0.1', port: target.port, path: target.path, method: 'POST', agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...target.headers },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0)).on('error', () => resolve(0));
      },
    );
    req.on('error', () => resolve(0)); // 0: the connection failed
    req.end(body);
  });

/** Drives `target` for `seconds` (or until `cap` requests were issued); 201 is success. */
const drive = async (agent: Agent, target: Target, seconds: number, cap: number): Promise<PhaseResult> => {
  const latencies: number[] = [];
  const statuses = new Map<string, number>();
  let issued = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < deadline && issued < cap) {
        issued++;
        const body = JSON.stringify(nextPerson());
        const t0 = performance.now();
        const status = await post(agent, target, body);
        latencies.push(performance.now() - t0);
        const key = status === 0 ? 'network error' : String(status);
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
      }
    }),
  );
  return { requests: issued, ok: statuses.get('201') ?? 0, statuses, latencies, seconds: (performance.now() - started) / 1000 };
};

const percentile = (sorted: number[], q: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]);

type Summary = { rate: number; p50: number; p95: number; p99: number; max: number; errors: number; peakRss: number };

const summarize = (r: PhaseResult, rss: number): Summary => {
  const sorted = Float64Array.from(r.latencies).sort();
  const xs = Array.from(sorted);
  return { rate: r.ok / r.seconds, p50: percentile(xs, 0.5), p95: percentile(xs, 0.95), p99: percentile(xs, 0.99), max: xs[xs.length - 1] ?? NaN, errors: r.requests - r.ok, peakRss: rss };
};

const describe = (s: Summary, r: PhaseResult) => {
  const codes = [...r.statuses.entries()].map(([k, v]) => `${k}×${v}`).join(' ');
  return `${Math.round(s.rate)} req/s, p50 ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms, max ${s.max.toFixed(0)} ms, ` +
    `${s.errors} errors (${codes}), ${r.requests} requests in ${r.seconds.toFixed(1)} s, peak RSS ${mib(s.peakRss)}`;
};

// ---------------------------------------------------------------------------------------------
// Database-side counters (whole cluster, so the service's background work is included). The next
// transaction id and the WAL position are exact at any time; statement and fsync counts come from
// the statistics system, which an idle backend publishes up to 10 s late (PGSTAT_IDLE_INTERVAL),
// so those are only read after a quiet period (`quietMs`).

type DbCounters = { commits: number; nextXid: number; walFsyncs?: number; walLsn: string; position: string };

const readCounters = async (monitor: Pool, quietMs = 0): Promise<DbCounters> => {
  if (quietMs > 0) await sleep(quietMs);
  const { rows: [db] } = await monitor.query<{ commits: string; next_xid: string; lsn: string; position: string | null }>(
    `SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database())::text AS commits,
            pg_snapshot_xmax(pg_current_snapshot())::text AS next_xid,
            pg_current_wal_lsn()::text AS lsn,
            (SELECT max(position) FROM leads.events)::text AS position`,
  );
  // PostgreSQL 18 counts WAL fsyncs in pg_stat_io.
  const fsyncs = await monitor.query<{ n: string }>(`SELECT sum(fsyncs)::text AS n FROM pg_stat_io WHERE object = 'wal'`).then((r) => Number(r.rows[0].n), () => undefined);
  return { commits: Number(db.commits), nextXid: Number(db.next_xid), walFsyncs: fsyncs, walLsn: db.lsn, position: db.position ?? '-1' };
};

const walBytes = async (monitor: Pool, from: DbCounters, to: DbCounters) =>
  Number((await monitor.query<{ n: string }>('SELECT pg_wal_lsn_diff($1, $2)::text AS n', [to.walLsn, from.walLsn])).rows[0].n);

/** Exact per-request figures: write transactions and WAL volume. */
const describeWrites = async (monitor: Pool, before: DbCounters, after: DbCounters, requests: number) =>
  `per request (warm-up and background included): ${((after.nextXid - before.nextXid) / requests).toFixed(2)} write transactions, ` +
  `${((await walBytes(monitor, before, after)) / requests / 1024).toFixed(1)} KiB WAL`;

/** Statement and fsync figures, valid when both readings were taken after a quiet period. */
const describeStatements = (before: DbCounters, after: DbCounters, requests: number) => {
  const writes = after.nextXid - before.nextXid;
  const fsyncs = before.walFsyncs === undefined || after.walFsyncs === undefined ? undefined : after.walFsyncs - before.walFsyncs;
  return `${((after.commits - before.commits) / requests).toFixed(2)} statements (autocommit transactions), ${(writes / requests).toFixed(2)} write transactions, ` +
    (fsyncs === undefined ? 'WAL fsyncs n/a' : `${(fsyncs / requests).toFixed(2)} WAL fsyncs (${(writes / Math.max(1, fsyncs)).toFixed(1)} commits per fsync)`);
};

/** Waits until the leads store stops growing for a second (the background consumers caught up). */
const settle = async (monitor: Pool): Promise<number> => {
  const started = Date.now();
  let last = '';
  let stableSince = Date.now();
  while (Date.now() - started < 120_000) {
    const { rows } = await monitor.query<{ p: string | null }>('SELECT max(position)::text AS p FROM leads.events');
    if (rows[0].p !== last) {
      last = rows[0].p ?? '';
      stableSince = Date.now();
    } else if (Date.now() - stableSince >= 1_000) break;
    await sleep(100);
  }
  return (stableSince - started) / 1000;
};

// ---------------------------------------------------------------------------------------------
// Where the CPU goes: process and machine CPU, event-loop utilisation, and (BENCH_CPU_PROFILE=file)
// a V8 CPU profile of run 1's measured leads phase, summarised by code origin.

const machineTicks = () => {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const ticks = fields.map(Number);
  const idle = ticks[3] + (ticks[4] ?? 0); // idle + iowait
  return { busy: ticks.reduce((a, b) => a + b, 0) - idle, total: ticks.reduce((a, b) => a + b, 0) };
};

const startLoadMeter = () => {
  const elu = performance.eventLoopUtilization();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const machine = machineTicks();
  return () => {
    const wallMicros = (performance.now() - started) * 1000;
    const used = process.cpuUsage(cpu);
    const m = machineTicks();
    return {
      processCores: (used.user + used.system) / wallMicros,
      eventLoop: performance.eventLoopUtilization(elu).utilization,
      machine: (m.busy - machine.busy) / Math.max(1, m.total - machine.total),
      cores: availableParallelism(),
    };
  };
};

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number };

/** Self time by origin: a package, a repo folder, node internals, GC, idle. */
const originOf = (url: string, fn: string) => {
  if (url === '') return fn.startsWith('(') ? fn : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return 'node internals';
  const own = /\/(apps|libs)\/([^/]+)\//.exec(url);
  return own ? `${own[1]}/${own[2]}` : url;
};

const startProfile = async () => {
  const session = new Session();
  session.connect();
  const post = <T>(method: string, params?: object) =>
    new Promise<T>((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 500 });
  await post('Profiler.start');
  return async (): Promise<string> => {
    const { profile } = await post<{ profile: { nodes: ProfileNode[]; samples: number[]; startTime: number; endTime: number } }>('Profiler.stop');
    session.disconnect();
    writeFileSync(CPU_PROFILE!, JSON.stringify(profile));
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const origins = new Map<string, number>();
    const functions = new Map<string, number>();
    for (const id of profile.samples) {
      const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
      const origin = originOf(url, functionName);
      origins.set(origin, (origins.get(origin) ?? 0) + 1);
      const fn = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(node_modules|apps|libs)\//, '$1/')}:${lineNumber + 1}`;
      functions.set(fn, (functions.get(fn) ?? 0) + 1);
    }
    const n = profile.samples.length;
    const top = (m: Map<string, number>, k: number) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, k).map(([name, c]) => `${name} ${((100 * c) / n).toFixed(1)} %`);
    return `               CPU profile (${CPU_PROFILE}), self time by origin: ${top(origins, 14).join(', ')}\n` +
      `               top functions: ${top(functions, 12).join('; ')}`;
  };
};

// ---------------------------------------------------------------------------------------------
// The two servers.

const RAW_TABLE = 'bench_capture_events';

const startBaseline = async (url: string, port: number) => {
  const pool = new Pool({ connectionString: url, max: 10 });
  pool.on('error', () => undefined); // idle clients see the server stop at the end
  await pool.query(`CREATE TABLE ${RAW_TABLE} (id uuid NOT NULL UNIQUE, stream text NOT NULL, revision bigint NOT NULL, type text NOT NULL,
    data jsonb NOT NULL, metadata jsonb NOT NULL, PRIMARY KEY (stream, revision))`);
  const app = fastify({ logger: false });
  app.post('/v1/leads', async (req, reply) => {
    const id = randomUUID();
    const data = { leadId: id, ...(req.body as object), capturedAt: new Date().toISOString() };
    const metadata = { tenantId: 'default', actor: 'anonymous', correlationId: randomUUID(), causationId: randomUUID() };
    await pool.query(`INSERT INTO ${RAW_TABLE} (id, stream, revision, type, data, metadata) VALUES ($1, $2, 0, $3, $4, $5)`, [
      id, `lead-${id}`, 'leads.LeadCaptured', JSON.stringify(data), JSON.stringify(metadata),
    ]);
    return reply.code(201).send({ id });
  });
  await app.listen({ host: '127.0.0.1', port });
  return { app, pool };
};

const startLeads = async (url: string, port: number) => {
  const config = loadBaseConfig('leads', port, { DATABASE_URL: url });
  const app = await createServiceApp(AppModule.forRoot(config), { name: 'leads', description: 'bench' }, { logger: false });
  await app.listen(port, '127.0.0.1');
  return app;
};

// ---------------------------------------------------------------------------------------------
// Anatomy of a capture: the store, its pool and the capture service, wrapped for one pass.

type Span = [number, number];
type Trace = { reads: number; appends: number; queries: number; notifies: number; waitMs: number; readSpans: Span[]; appendSpans: Span[]; querySpans: Span[]; serviceMs: number };
type QueryFn = (...args: unknown[]) => unknown;

const timed = <T>(spans: Span[] | undefined, run: () => Promise<T>): Promise<T> => {
  if (!spans) return run();
  const started = performance.now();
  return run().finally(() => void spans.push([started, performance.now()]));
};

const instrument = (app: NestFastifyApplication) => {
  const als = new AsyncLocalStorage<Trace>();
  const traces: Trace[] = [];
  const store = app.get<EventStore>(EVENT_STORE);
  const pool = app.get<Pool>(PG_POOL) as unknown as { query: QueryFn; connect: QueryFn };
  // The capture controller's instance (the import module has its own).
  const service = app.select(LeadModule).get(LeadCommandsService, { strict: true });
  const originals = {
    read: store.readStream, reads: store.readStreams, append: store.appendToStream, appends: store.appendToStreams,
    query: pool.query, connect: pool.connect, capture: service.capture,
  };

  store.readStream = (...args) => {
    const t = als.getStore();
    if (t) t.reads++;
    return timed(t?.readSpans, () => originals.read.apply(store, args));
  };
  // A multi-stream read or append is one call (one round trip) however many streams it covers.
  store.readStreams = (...args) => {
    const t = als.getStore();
    if (t) t.reads++;
    return timed(t?.readSpans, () => originals.reads.apply(store, args));
  };
  store.appendToStream = (...args) => {
    const t = als.getStore();
    if (t) t.appends++;
    return timed(t?.appendSpans, () => originals.append.apply(store, args));
  };
  store.appendToStreams = (...args) => {
    const t = als.getStore();
    if (t) t.appends++;
    return timed(t?.appendSpans, () => originals.appends.apply(store, args));
  };
  pool.query = (...args) => {
    const t = als.getStore();
    if (!t) return originals.query.apply(pool, args);
    // The store's NOTIFY after a commit runs from a timer that inherits the request's context; it is not on the request path.
    if (typeof args[0] === 'string' && args[0].includes('pg_notify')) {
      t.notifies++;
      return als.exit(() => originals.query.apply(pool, args));
    }
    const result = originals.query.apply(pool, args);
    if (!(result instanceof Promise)) return result;
    t.queries++;
    return timed(t.querySpans, () => result);
  };
  // pg-pool's query() checks a client out through this.connect(callback): the time until the
  // callback is the wait for a free connection.
  pool.connect = (...args) => {
    const t = als.getStore();
    const callback = args[0];
    if (!t || typeof callback !== 'function') return originals.connect.apply(pool, args);
    const started = performance.now();
    return originals.connect.call(pool, (...cbArgs: unknown[]) => {
      t.waitMs += performance.now() - started;
      return (callback as QueryFn)(...cbArgs);
    });
  };
  service.capture = (ctx, body) => {
    const trace: Trace = { reads: 0, appends: 0, queries: 0, notifies: 0, waitMs: 0, readSpans: [], appendSpans: [], querySpans: [], serviceMs: 0 };
    traces.push(trace);
    const started = performance.now();
    return als.run(trace, () => originals.capture.call(service, ctx, body).finally(() => (trace.serviceMs = performance.now() - started)));
  };
  const restore = () => {
    Object.assign(store, { readStream: originals.read, readStreams: originals.reads, appendToStream: originals.append, appendToStreams: originals.appends });
    Object.assign(pool, { query: originals.query, connect: originals.connect });
    service.capture = originals.capture;
  };
  return { traces, restore };
};

/** Wall time covered by at least one of the spans (parallel reads count once). */
const covered = (spans: Span[]) => {
  let total = 0;
  let end = -Infinity;
  for (const [s, e] of [...spans].sort((a, b) => a[0] - b[0])) {
    if (e <= end) continue;
    total += e - Math.max(s, end);
    end = e;
  }
  return total;
};

/** Exactly `requests` requests over `connections` connections; their latencies. */
const fixedLoad = async (target: Target, connections: number, requests: number): Promise<number[]> => {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  let issued = 0;
  try {
    await Promise.all(Array.from({ length: connections }, async () => {
      while (issued < requests) {
        issued++;
        const body = JSON.stringify(nextPerson());
        const t0 = performance.now();
        await post(agent, target, body);
        latencies.push(performance.now() - t0);
      }
    }));
  } finally {
    agent.destroy();
  }
  return latencies;
};

const anatomy = async (app: NestFastifyApplication, target: Target, connections: number, requests: number) => {
  const { traces, restore } = instrument(app);
  let latencies: number[];
  try {
    latencies = await fixedLoad(target, connections, requests);
  } finally {
    restore();
  }
  const avg = (f: (t: Trace) => number) => traces.reduce((s, t) => s + f(t), 0) / traces.length;
  const total = latencies.reduce((s, x) => s + x, 0) / latencies.length;
  const service = avg((t) => t.serviceMs);
  const inQueries = avg((t) => covered(t.querySpans));
  out(`  leads, ${connections} connection(s), ${traces.length} captures: per capture ${avg((t) => t.reads).toFixed(1)} stream reads + ${avg((t) => t.appends).toFixed(1)} appends ` +
    `(a multi-stream read or append counts once) = ${avg((t) => t.queries).toFixed(1)} round trips on the request path (+ ${avg((t) => t.notifies).toFixed(1)} NOTIFY after commits, off the path)`);
  out(`    mean latency ${total.toFixed(2)} ms = HTTP, validation, Nest ${(total - service).toFixed(2)} ms + capture service ${service.toFixed(2)} ms`);
  out(`    in the service: awaiting PostgreSQL ${inQueries.toFixed(2)} ms (waiting for a pooled connection ${avg((t) => t.waitMs).toFixed(2)} ms summed over queries), ` +
    `JS between queries ${(service - inQueries).toFixed(2)} ms; reads ${avg((t) => covered(t.readSpans)).toFixed(2)} ms, appends ${avg((t) => covered(t.appendSpans)).toFixed(2)} ms ` +
    `(${(avg((t) => covered(t.appendSpans)) / Math.max(1e-9, avg((t) => t.appends))).toFixed(2)} ms per append)`);
};

// ---------------------------------------------------------------------------------------------

/**
 * The launcher's migrations (migrateAll: every event store, the scheduler, the messaging tables,
 * the insights read model), run as deployment runs them: its own process (the Helm Job's entry
 * point), since one app may not import another.
 */
const migrate = async (databaseUrl: string): Promise<string> => {
  const root = join(__dirname, '../../..');
  const { stderr } = await promisify(execFile)(process.execPath, ['-r', '@swc-node/register', 'apps/launcher/src/migrate.ts'], {
    cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl, EVENT_STORE: 'postgres' },
  });
  return stderr.trim();
};

const main = async () => {
  const { startTemporaryPostgres, freePort } = await import('@crm/testing/src/local-servers.mjs');
  // fsync and synchronous_commit stay ON: this is a benchmark.
  const server = await startTemporaryPostgres({ prefix: 'crm-bench-pg-', flags: ['-c', 'max_connections=100', '-c', 'fsync=on', '-c', 'synchronous_commit=on'] });
  const monitor = new Pool({ connectionString: server.url, max: 1 });
  monitor.on('error', () => undefined);
  let baseline: Awaited<ReturnType<typeof startBaseline>> | undefined;
  let leads: NestFastifyApplication | undefined;
  try {
    const { rows: [pg] } = await monitor.query(`SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS sc, version() AS v`);
    out(`PostgreSQL: ${String(pg.v).split(' on ')[0]}, fsync=${pg.fsync}, synchronous_commit=${pg.sc}`);
    out(`load: ${CONNECTIONS} keep-alive connections (node:http, in this process), ${WARMUP_SECONDS} s warm-up + ${SECONDS} s measured per phase, ` +
      `≤ ${MAX_REQUESTS} requests per phase, ${RUNS} run(s)`);
    out(await migrate(server.url));

    baseline = await startBaseline(server.url, (await freePort()) as number);
    leads = await startLeads(server.url, (await freePort()) as number);
    const rawTarget: Target = { label: 'baseline', port: (baseline.app.server.address() as { port: number }).port, path: '/v1/leads' };
    const leadsTarget: Target = { label: 'leads', port: (leads.getHttpServer().address() as { port: number }).port, path: '/v1/leads' };
    const leadsPool = leads.get<Pool>(PG_POOL);
    out(`baseline: bare Fastify ${baseline.app.version} on :${rawTarget.port}; leads service on :${leadsTarget.port}; RSS ${mib(process.memoryUsage().rss)}`);
    out();

    const phase = async (target: Target, run: number) => {
      const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
      const before = await readCounters(monitor);
      peakRss = process.memoryUsage().rss;
      const warm = await drive(agent, target, WARMUP_SECONDS, MAX_REQUESTS);
      peakRss = process.memoryUsage().rss;
      // How many requests wait for one of the service's 10 pooled connections, sampled.
      const queue: number[] = [];
      const queueSampler = setInterval(() => queue.push(leadsPool.waitingCount), 20);
      const load = startLoadMeter();
      const profiling = CPU_PROFILE && target === leadsTarget && run === 1 ? await startProfile() : undefined;
      const measured = await drive(agent, target, SECONDS, MAX_REQUESTS);
      const profile = await profiling?.();
      const cpu = load();
      clearInterval(queueSampler);
      const summary = summarize(measured, peakRss);
      agent.destroy();
      const drained = target === leadsTarget ? await settle(monitor) : 0;
      const after = await readCounters(monitor);
      out(`run ${run} ${target.label.padEnd(8)}: ${describe(summary, measured)}`);
      out(`               ${await describeWrites(monitor, before, after, warm.requests + measured.requests)}`);
      out(`               CPU while measured: this process ${cpu.processCores.toFixed(2)} cores, its event loop busy ${(cpu.eventLoop * 100).toFixed(0)} %, ` +
        `machine ${(cpu.machine * 100).toFixed(0)} % of ${cpu.cores} cores busy (PostgreSQL, other processes included); heap used ${mib(process.memoryUsage().heapUsed)}`);
      if (profile) out(profile);
      if (target === leadsTarget) {
        const { rows } = await monitor.query<{ type: string; n: string }>(
          'SELECT type, count(*)::text AS n FROM leads.events WHERE position > $1::bigint GROUP BY type ORDER BY count(*) DESC', [before.position]);
        const avgQueue = queue.reduce((s, x) => s + x, 0) / Math.max(1, queue.length);
        out(`               events appended: ${rows.map((r) => `${r.type} ${r.n}`).join(', ')}; background caught up ${drained.toFixed(1)} s after the load; ` +
          `mean ${avgQueue.toFixed(1)} queries waiting for the service's pool of 10`);
      }
      return summary;
    };

    const results: { raw: Summary; leads: Summary; ratio: number }[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const raw = await phase(rawTarget, run);
      const lead = await phase(leadsTarget, run);
      results.push({ raw, leads: lead, ratio: lead.rate / raw.rate });
      out(`run ${run} ratio leads/baseline: ${(lead.rate / raw.rate).toFixed(3)}`);
      out();
    }

    const m = (pick: (r: (typeof results)[number]) => number) => median(results.map(pick));
    out(`medians of ${RUNS} run(s):`);
    out('| | req/s | p50 ms | p95 ms | p99 ms | errors | peak RSS |');
    out('|---|---:|---:|---:|---:|---:|---:|');
    for (const [label, pick] of [['bare Fastify + 1 INSERT', (r: (typeof results)[number]) => r.raw], ['leads POST /v1/leads', (r: (typeof results)[number]) => r.leads]] as const) {
      out(`| ${label} | ${Math.round(m((r) => pick(r).rate))} | ${m((r) => pick(r).p50).toFixed(1)} | ${m((r) => pick(r).p95).toFixed(1)} | ` +
        `${m((r) => pick(r).p99).toFixed(1)} | ${m((r) => pick(r).errors)} | ${mib(m((r) => pick(r).peakRss))} |`);
    }
    const ratio = m((r) => r.ratio);
    const p99 = m((r) => r.leads.p99);
    out();
    out('| target | measured (median) | verdict |');
    out('|---|---:|---|');
    out(`| capture ≥ 0.50 × bare Fastify + INSERT (ratio within each run) | ${ratio.toFixed(3)} (runs: ${results.map((r) => r.ratio.toFixed(3)).join(', ')}) | ${ratio >= 0.5 ? 'MET' : 'MISSED'} |`);
    out(`| capture p99 < 50 ms at ${CONNECTIONS} connections | ${p99.toFixed(1)} ms | ${p99 < 50 ? 'MET' : 'MISSED'} |`);
    const { rows: [sizes] } = await monitor.query<{ leads_data: string; leads_meta: string; raw_data: string; raw_meta: string }>(
      `SELECT (SELECT round(avg(octet_length(data::text))) FROM leads.events WHERE type = 'leads.LeadCaptured')::text AS leads_data,
              (SELECT round(avg(octet_length(metadata::text))) FROM leads.events WHERE type = 'leads.LeadCaptured')::text AS leads_meta,
              (SELECT round(avg(octet_length(data::text))) FROM ${RAW_TABLE})::text AS raw_data,
              (SELECT round(avg(octet_length(metadata::text))) FROM ${RAW_TABLE})::text AS raw_meta`);
    out(`row sizes (jsonb as text): baseline data ${sizes.raw_data} B + metadata ${sizes.raw_meta} B; leads.LeadCaptured data ${sizes.leads_data} B + metadata ${sizes.leads_meta} B`);

    if (ANATOMY) {
      // Fixed request counts, so the statistics can be read after quiet periods (see readCounters).
      const quiet = 11_000;
      const n = 2_000;
      out();
      out(`accounting and anatomy (after the timed runs, ${n} requests each, statistics read after ${quiet / 1000} s of quiet; the leads pass is instrumented):`);
      let before = await readCounters(monitor, quiet);
      await fixedLoad(rawTarget, CONNECTIONS, n);
      let after = await readCounters(monitor, quiet);
      out(`  baseline, ${CONNECTIONS} connections: per request ${describeStatements(before, after, n)}`);
      const single = await fixedLoad(rawTarget, 1, 300);
      out(`  baseline, 1 connection, 300 requests: mean latency ${(single.reduce((x, y) => x + y, 0) / single.length).toFixed(2)} ms`);
      before = await readCounters(monitor, quiet);
      await anatomy(leads, leadsTarget, CONNECTIONS, n);
      await settle(monitor);
      after = await readCounters(monitor, quiet);
      out(`    database, per capture (background included): ${describeStatements(before, after, n)}`);
      await anatomy(leads, leadsTarget, 1, 300);
      await settle(monitor);
    }
  } catch (error) {
    // Printed before the database stops: a listener losing its connection must not hide the cause.
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  } finally {
    clearInterval(rssSampler);
    await leads?.close();
    await baseline?.app.close();
    await baseline?.pool.end();
    await monitor.end();
    await server.stop();
  }
};

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
