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
 * `libs/eventstore/migrations`, found by walking up from this file: it works from `src/postgres`
 * (ts-node, jest) and from any compiled layout under the package (`dist/…`), and fails loudly
 * when the folder was not shipped next to the package.
 */
export const eventStoreMigrationsDir = (): string => {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, 'migrations');
    if (existsSync(join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`event store migrations folder not found above ${__dirname}`);
  }
};

/** The checked-in migrations, in version order, with the schema substituted. */
export const loadEventStoreMigrations = (schema: string, dir = eventStoreMigrationsDir()): Migration[] => {
  assertSchemaName(schema);
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const raw = readFileSync(join(dir, file), 'utf8');
      return {
        version: file.replace(/\.sql$/, ''),
        checksum: createHash('sha256').update(raw).digest('hex'),
        sql: raw.replaceAll('{{schema_literal}}', schema).replaceAll('{{schema}}', `"${schema}"`),
      };
    });
};

/**
 * Creates or upgrades the event store in `schema`: applies the missing migrations in one
 * transaction that holds an advisory lock, and records them in `<schema>.schema_migrations`.
 * Idempotent, and safe when several processes run it at once (the others wait, then find
 * nothing to do). An applied migration whose file has changed since is an error.
 */
export const migratePostgresEventStore = async (pool: Pool, schema: string): Promise<{ applied: string[] }> => {
  const migrations = loadEventStoreMigrations(schema);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [MIGRATION_LOCK_CLASS, schema]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
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
