import { consumerStateSchema, SERVICES } from '@crm/contracts';
import { migratePostgresEventStore } from '@crm/eventstore';
import { migrateMessaging } from '@crm/messaging';
import { deployMigrations } from '@crm/prisma-tools';
import { migrateScheduler } from '@crm/scheduler';
import { join, resolve } from 'node:path';
import { Pool } from 'pg';

/**
 * Brings a database up to date for the whole suite: each event-sourced service's event-store
 * schema, the messaging tables (checkpoints, dead letters) of every consumer, and the insights
 * read model (Prisma migrations, applied offline). Idempotent; safe when run twice at once.
 * The Helm chart runs it as a pre-install/pre-upgrade Job: `node apps/launcher/dist/migrate.js`.
 */
export const migrateAll = async (databaseUrl: string, options: { eventStore?: 'postgres' | 'kurrentdb' | 'memory' } = {}): Promise<string[]> => {
  const done: string[] = [];
  const eventSourced = SERVICES.filter((s) => s.eventSourced).map((s) => s.name);
  const consumerSchemas = SERVICES.filter((s) => s.consumes).map((s) => consumerStateSchema(s.name));
  const pool = new Pool({ connectionString: databaseUrl, max: 2 });
  try {
    if ((options.eventStore ?? 'postgres') === 'postgres') {
      for (const schema of eventSourced) {
        await migratePostgresEventStore(pool, schema);
        done.push(`event store ${schema}`);
      }
      // Durable timers of the leads service (return-to-pool); the service also migrates them on start.
      await migrateScheduler(pool, 'leads');
      done.push('scheduler leads');
    }
    // Relay checkpoints live beside each store; consumer checkpoints and dead letters in `<app>_messaging`.
    for (const schema of [...eventSourced, ...consumerSchemas]) {
      await migrateMessaging(pool, schema);
    }
    done.push('messaging checkpoints');
  } finally {
    await pool.end();
  }
  // The insights read model is Prisma's: its checked-in migrations, applied offline (WASM schema engine).
  const root = resolve(__dirname, '../../..');
  await deployMigrations({ databaseUrl, migrationsDir: join(root, 'apps/insights/prisma/migrations'), migrationsSchema: 'insights' });
  done.push('insights read model');
  return done;
};

if (require.main === module) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('migrate: DATABASE_URL is required');
    process.exit(2);
  }
  migrateAll(url, { eventStore: (process.env.EVENT_STORE as 'postgres' | 'kurrentdb' | undefined) ?? (process.env.KURRENTDB_URL ? 'kurrentdb' : 'postgres') })
    .then((done) => console.warn(`migrate: up to date (${done.join(', ')})`))
    .catch((error: unknown) => {
      console.error(`migrate: failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exit(1);
    });
}
