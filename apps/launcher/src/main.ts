import { SERVICES } from '@crm/contracts';
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve, join } from 'node:path';
import { createInterface } from 'node:readline';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres';
import { migrateAll } from './migrate';

/**
 * `npm start`: the whole suite on one machine with no external servers. Embedded PostgreSQL
 * (data in ./.crm-data), migrations, then every service as its own process. DATABASE_URL,
 * NATS_URL and KURRENTDB_URL switch to real infrastructure. Ctrl-C stops everything.
 */
const root = resolve(__dirname, '../../..');
const env = process.env;
const log = (line: string) => process.stdout.write(`[launcher] ${line}\n`);

type Running = { name: string; port: number; child: ChildProcess; exited: Promise<number | null> };

const waitReady = async (port: number, timeoutMs: number): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
};

const startService = (name: string, port: number, serviceEnv: NodeJS.ProcessEnv): Running => {
  const child = spawn(process.execPath, ['--enable-source-maps', join(root, 'apps', name, 'dist', 'main.js')], {
    cwd: root,
    env: { ...serviceEnv, PORT: String(port), OTEL_SERVICE_NAME: env.OTEL_SERVICE_NAME ?? name },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => process.stdout.write(`[${name}] ${line}\n`));
  }
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { name, port, child, exited };
};

const main = async () => {
  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    const dataDir = resolve(env.CRM_DATA_DIR ?? join(root, '.crm-data'));
    const port = Number(env.CRM_PG_PORT ?? 54320);
    log(`starting embedded PostgreSQL on 127.0.0.1:${port} (data in ${dataDir})`);
    embedded = await startEmbeddedPostgres(dataDir, port, 'crm');
    databaseUrl = embedded.url;
  }
  const eventStore = env.EVENT_STORE ?? (env.KURRENTDB_URL ? 'kurrentdb' : 'postgres');
  log(`event store: ${eventStore}; messaging: ${env.NATS_URL ? `NATS JetStream at ${env.NATS_URL}` : 'embedded (catch-up subscriptions on the event stores)'}`);
  const done = await migrateAll(databaseUrl, { eventStore: eventStore as 'postgres' | 'kurrentdb' });
  log(`migrations up to date: ${done.join(', ')}`);

  const only = env.CRM_SERVICES?.split(',').map((s) => s.trim()).filter(Boolean);
  const selected = SERVICES.filter((s) => !only || only.includes(s.name));
  const serviceEnv: NodeJS.ProcessEnv = { ...env, DATABASE_URL: databaseUrl, EVENT_STORE: eventStore };
  const running: Running[] = [];
  let stopping = false;

  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping…');
    for (const r of running) r.child.kill('SIGTERM');
    const killer = setTimeout(() => running.forEach((r) => r.child.kill('SIGKILL')), 10_000);
    await Promise.all(running.map((r) => r.exited));
    clearTimeout(killer);
    if (embedded) await embedded.stop();
    log('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  for (const s of selected) {
    const port = Number(env[`${s.name.toUpperCase()}_PORT`] ?? s.port);
    const r = startService(s.name, port, serviceEnv);
    running.push(r);
    void r.exited.then((code) => {
      if (!stopping) {
        log(`${s.name} exited unexpectedly (code ${code}); stopping the suite`);
        void stopAll(1);
      }
    });
  }
  const ready = await Promise.all(running.map(async (r) => ({ r, ok: await waitReady(r.port, 60_000) })));
  if (stopping) return;
  const notReady = ready.filter((x) => !x.ok).map((x) => x.r.name);
  if (notReady.length) {
    log(`not ready after 60 s: ${notReady.join(', ')}`);
    await stopAll(1);
    return;
  }
  log('the suite is up:');
  for (const r of running) process.stdout.write(`  ${r.name.padEnd(11)} http://127.0.0.1:${r.port}   (API docs: http://127.0.0.1:${r.port}/docs)\n`);
  log('press Ctrl-C to stop');
};

main().catch((error: unknown) => {
  console.error(`[launcher] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
