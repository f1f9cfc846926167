import { applySqlMigrations, assertSchemaName, packageMigrationsDir } from '@crm/eventstore';
import type { Pool } from 'pg';
import { assertValidTimer, timerConflict } from '../scheduler.errors';
import type {
  ClaimedTimer,
  JsonValue,
  ScheduleOptions,
  ScheduleResult,
  Timer,
  TimerClaim,
  TimerKey,
  TimerRecord,
  TimerStatus,
  TimerStore,
} from '../scheduler.port';

/**
 * Creates or upgrades the `timers` table in `schema` with the checked-in SQL of
 * `libs/scheduler/migrations`, through the event store's migration runner (advisory-locked,
 * idempotent, checksummed; recorded as `scheduler/<version>` next to the service's other
 * migrations in `<schema>.schema_migrations`).
 */
export const migrateScheduler = (pool: Pool, schema: string): Promise<{ applied: string[] }> =>
  applySqlMigrations(pool, schema, { dir: packageMigrationsDir(__dirname), component: 'scheduler' });

export type PostgresTimerStoreOptions = {
  pool: Pool;
  /** The service's schema, migrated with `migrateScheduler`. */
  schema: string;
};

type TimerRow = {
  tenant_id: string;
  id: string;
  kind: string;
  due_at: Date;
  payload: JsonValue;
  correlation_id: string | null;
  status: TimerStatus;
  generation: number;
  attempts: number;
  lease_owner: string | null;
  lease_expires_at: Date | null;
  last_error: string | null;
};

const COLUMNS = 'tenant_id, id, kind, due_at, payload, correlation_id, status, generation, attempts, lease_owner, lease_expires_at, last_error';

const toTimer = (row: TimerRow): Timer => ({
  tenantId: row.tenant_id,
  id: row.id,
  kind: row.kind,
  dueAt: row.due_at,
  payload: row.payload,
  ...(row.correlation_id !== null ? { correlationId: row.correlation_id } : {}),
});

const lastError = (row: TimerRow): { lastError?: string } => (row.last_error !== null ? { lastError: row.last_error } : {});

/**
 * Timers in one table of the service's schema. Claims are a single
 * `UPDATE … WHERE (tenant_id, id) IN (SELECT … FOR UPDATE SKIP LOCKED LIMIT n) RETURNING …`:
 * concurrent claimers (any number of pods) skip each other's rows instead of waiting, and a
 * row is only claimable again once its lease (`next_at`) has passed.
 */
export class PostgresTimerStore implements TimerStore {
  private readonly pool: Pool;
  private readonly table: string;

  constructor(options: PostgresTimerStoreOptions) {
    assertSchemaName(options.schema);
    this.pool = options.pool;
    this.table = `"${options.schema}".timers`;
  }

  async schedule(timer: Timer, options: ScheduleOptions = {}): Promise<ScheduleResult> {
    assertValidTimer(timer);
    const payload = JSON.stringify(timer.payload);
    const correlationId = timer.correlationId ?? null;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const inserted = await client.query(
        `INSERT INTO ${this.table} (tenant_id, id, kind, due_at, payload, correlation_id, next_at)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6, $4)
         ON CONFLICT (tenant_id, id) DO NOTHING`,
        [timer.tenantId, timer.id, timer.kind, timer.dueAt, payload, correlationId],
      );
      let result: ScheduleResult = 'scheduled';
      if (inserted.rowCount === 0) {
        // It exists (possibly committed by a concurrent schedule a moment ago): lock and compare.
        const { rows } = await client.query<{ same: boolean }>(
          `SELECT (kind = $3 AND due_at = $4 AND payload = $5::jsonb AND correlation_id IS NOT DISTINCT FROM $6) AS same
           FROM ${this.table} WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
          [timer.tenantId, timer.id, timer.kind, timer.dueAt, payload, correlationId],
        );
        if (rows[0].same) result = 'unchanged';
        else if (!options.replace) throw timerConflict(timer);
        else {
          await client.query(
            `UPDATE ${this.table}
             SET kind = $3, due_at = $4, payload = $5::jsonb, correlation_id = $6, next_at = $4,
                 status = 'pending', generation = generation + 1, attempts = 0,
                 lease_owner = NULL, lease_expires_at = NULL, last_error = NULL, updated_at = now()
             WHERE tenant_id = $1 AND id = $2`,
            [timer.tenantId, timer.id, timer.kind, timer.dueAt, payload, correlationId],
          );
          result = 'rescheduled';
        }
      }
      await client.query('COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  async cancel(key: TimerKey): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE ${this.table} SET status = 'cancelled', lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
       WHERE tenant_id = $1 AND id = $2 AND status = 'pending'`,
      [key.tenantId, key.id],
    );
    return rowCount === 1;
  }

  async get(key: TimerKey): Promise<TimerRecord | undefined> {
    const { rows } = await this.pool.query<TimerRow>(`SELECT ${COLUMNS} FROM ${this.table} WHERE tenant_id = $1 AND id = $2`, [
      key.tenantId,
      key.id,
    ]);
    const row = rows[0];
    if (row === undefined) return undefined;
    return { ...toTimer(row), status: row.status, attempts: row.attempts, generation: row.generation, ...lastError(row) };
  }

  async claimDue(now: Date, limit: number, leaseMs: number, owner: string, kinds?: readonly string[]): Promise<ClaimedTimer[]> {
    if (limit <= 0) return [];
    const leaseExpiresAt = new Date(now.getTime() + leaseMs);
    const { rows } = await this.pool.query<TimerRow>(
      `UPDATE ${this.table}
       SET attempts = attempts + 1, lease_owner = $3, lease_expires_at = $4, next_at = $4, updated_at = now()
       WHERE (tenant_id, id) IN (
         SELECT tenant_id, id FROM ${this.table}
         WHERE status = 'pending' AND next_at <= $1 AND ($5::text[] IS NULL OR kind = ANY($5::text[]))
         ORDER BY next_at
         LIMIT $2
         FOR UPDATE SKIP LOCKED)
       RETURNING ${COLUMNS}`,
      [now, limit, owner, leaseExpiresAt, kinds === undefined ? null : [...kinds]],
    );
    return rows
      .map(
        (row): ClaimedTimer => ({
          ...toTimer(row),
          generation: row.generation,
          attempt: row.attempts,
          owner,
          leaseExpiresAt,
          ...lastError(row),
        }),
      )
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  }

  complete(claim: TimerClaim): Promise<boolean> {
    return this.finish(claim, `status = 'fired'`, []);
  }

  release(claim: TimerClaim, retryAt: Date, error?: string): Promise<boolean> {
    return this.finish(claim, `next_at = $6, last_error = COALESCE($7, last_error)`, [retryAt, error ?? null]);
  }

  deadLetter(claim: TimerClaim, error: string): Promise<boolean> {
    return this.finish(claim, `status = 'dead', last_error = $6`, [error]);
  }

  /** The pool belongs to the caller: nothing to close here. */
  async close(): Promise<void> {}

  /** Applies `set` when `claim` is still the current lease of a pending timer, and ends the lease. */
  private async finish(claim: TimerClaim, set: string, extra: unknown[]): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE ${this.table} SET ${set}, lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
       WHERE tenant_id = $1 AND id = $2 AND status = 'pending' AND lease_owner = $3 AND generation = $4 AND attempts = $5`,
      [claim.tenantId, claim.id, claim.owner, claim.generation, claim.attempt, ...extra],
    );
    return rowCount === 1;
  }
}
