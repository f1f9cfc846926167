import { applySqlMigrations, assertSchemaName, packageMigrationsDir } from '@crm/eventstore';
import type { Pool } from 'pg';

/** A schema name, checked and quoted for SQL. */
export const quoteSchema = (schema: string): string => {
  assertSchemaName(schema);
  return `"${schema}"`;
};

/**
 * Creates or upgrades the consumer-state tables (checkpoints, dead letters) in `schema` from the
 * checked-in SQL in `libs/messaging/migrations`, through the same migration runner as the event
 * store (versions recorded as `messaging/<file>` in `<schema>.schema_migrations`).
 */
export const migrateMessaging = (pool: Pool, schema: string): Promise<{ applied: string[] }> =>
  applySqlMigrations(pool, schema, { dir: packageMigrationsDir(__dirname), component: 'messaging' });
