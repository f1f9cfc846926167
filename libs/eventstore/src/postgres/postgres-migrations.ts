import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Pool } from 'pg';

/** Lowercase SQL identifiers only, so the name never needs escaping beyond double quotes. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** First key of the two-int advisory lock taken while migrating (the second is the schema's hash). */
const MIGRATION_LOCK_CLASS = 0x45_53_4d_47; // "ESMG"

export const assertSchemaName = (schema: string): void => {
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(`invalid schema name ${JSON.stringify(schema)}: expected ${SCHEMA_NAME.source}`);
  }
};

export type Migration = { version: string; sql: string; checksum: string };

/**
 * The `migrations` folder of the package that contains `fromDir`, found by walking up: it works
 * from `src/…` (jest) and from any compiled layout under the package (`dist/…`), and fails
 * loudly when the folder was not shipped next to the package.
 */
export const packageMigrationsDir = (fromDir: string): string => {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'migrations');
    if (existsSync(join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`migrations folder not found above ${fromDir}`);
  }
};

/** `libs/eventstore/migrations`. */
export const eventStoreMigrationsDir = (): string => packageMigrationsDir(__dirname);

/**
 * The checked-in migrations of a folder, in version order, with the schema substituted for
 * `{{schema}}` (quoted) and `{{schema_literal}}`. `component` prefixes the recorded versions, so
 * several components can keep their migrations in one schema.
 */
export const loadSqlMigrations = (schema: string, dir: string, component?: string): Migration[] => {
  assertSchemaName(schema);
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const raw = readFileSync(join(dir, file), 'utf8');
      const version = file.replace(/\.sql$/, '');
      return {
        version: component ? `${component}/${version}` : version,
        checksum: createHash('sha256').update(raw).digest('hex'),
        sql: raw.replaceAll('{{schema_literal}}', schema).replaceAll('{{schema}}', `"${schema}"`),
      };
    });
};

/** The event store's migrations for `schema`. */
export const loadEventStoreMigrations = (schema: string, dir = eventStoreMigrationsDir()): Migration[] => loadSqlMigrations(schema, dir);

/**
 * Applies the missing migrations of a folder to `schema` in one transaction that holds an
 * advisory lock, with `search_path` set to the schema, and records them in
 * `<schema>.schema_migrations`. Idempotent, and safe when several processes run it at once (the
 * others wait, then find nothing to do). An applied migration whose file has changed since is
 * an error. Every component that keeps tables in a service's schema migrates through this.
 */
export const applySqlMigrations = async (
  pool: Pool,
  schema: string,
  source: { dir: string; component?: string },
): Promise<{ applied: string[] }> => {
  const migrations = loadSqlMigrations(schema, source.dir, source.component);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [MIGRATION_LOCK_CLASS, schema]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(`SET LOCAL search_path TO "${schema}"`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS "${schema}".schema_migrations (
         version text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const { rows } = await client.query<{ version: string; checksum: string }>(
      `SELECT version, checksum FROM "${schema}".schema_migrations`,
    );
    const done = new Map(rows.map((r) => [r.version, r.checksum]));
    const applied: string[] = [];
    for (const m of migrations) {
      const checksum = done.get(m.version);
      if (checksum !== undefined) {
        if (checksum !== m.checksum) throw new Error(`migration ${m.version} changed after it was applied to schema ${schema}`);
        continue;
      }
      await client.query(m.sql);
      await client.query(`INSERT INTO "${schema}".schema_migrations (version, checksum) VALUES ($1, $2)`, [m.version, m.checksum]);
      applied.push(m.version);
    }
    await client.query('COMMIT');
    return { applied };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
};

/** Creates or upgrades the event store in `schema` (see `applySqlMigrations`). */
export const migratePostgresEventStore = (pool: Pool, schema: string): Promise<{ applied: string[] }> =>
  applySqlMigrations(pool, schema, { dir: eventStoreMigrationsDir() });
