import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

/** Admin URL of the PostgreSQL server that jest's global setup started (or TEST_DATABASE_URL). */
export const testDatabaseAdminUrl = (): string => {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run the tests through jest (its global setup starts PostgreSQL)');
  return url;
};

export type TestDatabase = { url: string; name: string; drop: () => Promise<void> };

/**
 * A fresh, empty database for one suite; `drop()` removes it. `isolated`: on a server no other
 * suite uses (for assertions on exactly when `$all` shows an event: its horizon is cluster-wide).
 */
export const createTestDatabase = async (prefix = 't', options: { isolated?: boolean } = {}): Promise<TestDatabase> => {
  const admin = (options.isolated && process.env.TEST_ISOLATED_DATABASE_URL) || testDatabaseAdminUrl();
  const name = `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 16)}`.toLowerCase();
  const client = new Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const c = new Client({ connectionString: admin });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
};

/** URL of the nats-server that jest's global setup started, or undefined when none is installed. */
export const testNatsUrl = (): string | undefined => process.env.TEST_NATS_URL;

/**
 * `describe` for suites that need a real nats-server: when none is available it registers a
 * single skipped test and shouts about it, so a missing server never passes silently.
 */
export const describeWithNats = (name: string, body: (natsUrl: () => string) => void): void => {
  const url = testNatsUrl();
  if (!url) {
    describe(name, () => {
      console.warn(`SKIPPED "${name}": no nats-server (apt-get install nats-server; CI installs it)`);
      it.skip('needs nats-server', () => undefined);
    });
    return;
  }
  describe(name, () => body(() => url));
};

/** Poll `probe` until it returns a non-undefined value, or fail after `timeoutMs`. Never sleeps blindly. */
export const eventually = async <T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000, everyMs = 25): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`condition not met within ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
};
