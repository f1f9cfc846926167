import { migratePostgresEventStore } from '@crm/eventstore';
import { migrateMessaging } from '@crm/messaging';
import { Pool } from 'pg';
import { EVENT_SOURCED } from './services';

/**
 * Brings a database up to date for the whole suite: each event-sourced service's event-store
 * schema, the messaging tables (checkpoints, dead letters) of every consumer, and the insights
 * read model (Prisma migrations, applied offline). Idempotent; safe when run twice at once.
 * The Helm chart runs it as a pre-install/pre-upgrade Job: `node apps/launcher/dist/migrate.js`.
 */
export const migrateAll = async (databaseUrl: string, options: { eventStore?: 'postgres' | 'kurrentdb' | 'memory' } = {}): Promise<string[]> => {
  const done: string[] = [];
  const pool = new Pool({ connectionString: databaseUrl, max: 2 });
  try {
    if ((options.eventStore ?? 'postgres') === 'postgres') {
      for (const schema of EVENT_SOURCED) {
        await migratePostgresEventStore(pool, schema);
        done.push(`event store ${schema}`);
      }
    }
    for (const schema of ['leads', 'sales', 'service', 'billing', 'insights', 'automation']) {
      await migrateMessaging(pool, schema);
    }
    done.push('messaging checkpoints');
  } finally {
    await pool.end();
  }
  const { migrateInsights } = await import('@crm/insights-read-model');
  await migrateInsights(databaseUrl);
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
