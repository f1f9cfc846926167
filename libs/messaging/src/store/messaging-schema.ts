import type { Pool } from 'pg';

const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;

/** A schema name, checked and quoted for SQL. */
export const quoteSchema = (schema: string): string => {
  if (!SCHEMA.test(schema)) throw new TypeError(`invalid PostgreSQL schema name "${schema}"`);
  return `"${schema}"`;
};

/**
 * The migrations, in order. Each is checked in as SQL under libs/messaging/migrations/ for
 * review, and kept here as well so that bundled builds need no files at run time;
 * `messaging-schema.spec.ts` fails when the two differ.
 */
export const MESSAGING_MIGRATIONS: ReadonlyArray<{ name: string; sql: string }> = [
  {
    name: '0001_consumer_state.sql',
    sql: `-- Consumer state of libs/messaging (embedded mode and relays): checkpoints and dead letters.
-- Idempotent: applied by ensureMessagingSchema() with search_path set to the service's schema.

CREATE TABLE IF NOT EXISTS consumer_checkpoints (
  consumer   text        NOT NULL,
  source     text        NOT NULL,
  -- $all position of the last event the consumer (or relay) finished with
  position   bigint      NOT NULL CHECK (position >= 0),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, source)
);

CREATE TABLE IF NOT EXISTS consumer_dead_letters (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  consumer       text        NOT NULL,
  source         text        NOT NULL,
  event_id       text        NOT NULL,
  event_position bigint      NOT NULL,
  -- the event as a CloudEvent (structured JSON), the same form it has on the wire
  event          jsonb       NOT NULL,
  error          text        NOT NULL,
  attempts       integer     NOT NULL CHECK (attempts > 0),
  failed_at      timestamptz NOT NULL,
  UNIQUE (consumer, source, event_id)
);
`,
  },
];

/**
 * Creates the schema and the consumer-state tables in it (idempotent; an advisory lock makes
 * concurrent callers take turns).
 */
export const ensureMessagingSchema = async (pool: Pool, schema: string): Promise<void> => {
  const quoted = quoteSchema(schema);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query("SELECT pg_advisory_xact_lock(hashtext('crm.messaging.schema'))");
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`);
    await client.query(`SET LOCAL search_path TO ${quoted}`);
    for (const migration of MESSAGING_MIGRATIONS) await client.query(migration.sql);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
};

/** The name the launcher's `migrate` uses. */
export const migrateMessaging = ensureMessagingSchema;
