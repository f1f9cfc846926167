// A service app on its own temporary PostgreSQL database, for integration specs. It takes the
// store and the app as factories rather than importing @crm/eventstore and @crm/nest-kit: the
// eventstore's specs and bench, and @crm/messaging (which nest-kit imports), import @crm/testing,
// so importing them here would make a dependency cycle.
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from './servers';

/** The store methods `storeCalls` counts. */
export const STORE_IO_METHODS = ['readStream', 'readStreams', 'appendToStream', 'appendToStreams'] as const;
export type StoreIoMethod = (typeof STORE_IO_METHODS)[number];

type SpiedStore = { close(): Promise<void> } & Record<StoreIoMethod, (...args: never[]) => unknown>;

export type PostgresApp<Store> = {
  readonly pool: Pool;
  readonly store: Store;
  readonly app: NestFastifyApplication;
  /** Counts the store calls made while `run` runs (meaningful only with no background consumers on). */
  storeCalls: (run: () => Promise<unknown>) => Promise<Record<StoreIoMethod, number>>;
};

/**
 * Registers the suite's `beforeAll`/`afterAll`: a fresh database named after `database`, a pool
 * on it, the store `createStore` makes on that pool (migrations included) and the app `createApp`
 * builds on that store, initialised and ready for `inject`. The fields are set once `beforeAll` ran.
 */
export const usePostgresApp = <Store extends SpiedStore>(
  database: string,
  createStore: (pool: Pool) => Promise<Store>,
  createApp: (store: Store) => Promise<NestFastifyApplication>,
): PostgresApp<Store> => {
  let db: TestDatabase | undefined;
  let pool: Pool | undefined;
  let store: Store | undefined;
  let app: NestFastifyApplication | undefined;

  beforeAll(async () => {
    db = await createTestDatabase(database);
    pool = new Pool({ connectionString: db.url, max: 10 });
    store = await createStore(pool);
    app = await createApp(store);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
    await pool?.end();
    await db?.drop();
  });

  const storeCalls = async (run: () => Promise<unknown>) => {
    const spied = store as unknown as Record<StoreIoMethod, () => unknown>;
    const spies = STORE_IO_METHODS.map((method) => jest.spyOn(spied, method));
    try {
      await run();
      return Object.fromEntries(spies.map((spy, i) => [STORE_IO_METHODS[i], spy.mock.calls.length])) as Record<StoreIoMethod, number>;
    } finally {
      spies.forEach((spy) => spy.mockRestore());
    }
  };

  return {
    get pool() {
      return pool!;
    },
    get store() {
      return store!;
    },
    get app() {
      return app!;
    },
    storeCalls,
  };
};
