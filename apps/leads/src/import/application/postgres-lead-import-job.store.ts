import type { Pool, PoolClient } from 'pg';
import type { LeadImportJob, LeadImportJobStore, LeadImportProgress, LeadImportRowError } from './lead-import-job.store';

type JobRow = {
  id: string; tenant_id: string; status: LeadImportJob['status']; format: LeadImportJob['format']; file_name: string | null;
  bytes: string; sha256: string; headers: string[]; processed: number; failed: number; created: number; attached: number;
  error: string | null; started_at: Date; finished_at: Date | null;
};

const toJob = (r: JobRow): LeadImportJob => ({
  id: r.id, tenantId: r.tenant_id, status: r.status, format: r.format, ...(r.file_name !== null && { fileName: r.file_name }),
  bytes: Number(r.bytes), sha256: r.sha256, headers: r.headers, processed: r.processed, failed: r.failed, created: r.created,
  attached: r.attached, ...(r.error !== null && { error: r.error }), startedAt: r.started_at.toISOString(),
  ...(r.finished_at !== null && { finishedAt: r.finished_at.toISOString() }),
});

const PAGE = 1_000;

/** Import jobs in two tables of the service's schema, created on first use. */
export class PostgresLeadImportJobStore implements LeadImportJobStore {
  private readonly jobs: string;
  private readonly rowErrors: string;

  constructor(private readonly pool: Pool, private readonly schema: string) {
    this.jobs = `"${schema}".lead_import_jobs`;
    this.rowErrors = `"${schema}".lead_import_errors`;
  }

  /** Idempotent; serialised by an advisory lock, so instances (and other modules creating the schema) may start together. */
  async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`${this.schema}.lead_import_jobs`]);
      await this.createTables(client);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private async createTables(client: PoolClient): Promise<void> {
    await client.query(`
      CREATE SCHEMA IF NOT EXISTS "${this.schema}";
      CREATE TABLE IF NOT EXISTS ${this.jobs} (
        id uuid PRIMARY KEY, tenant_id text NOT NULL, status text NOT NULL, format text NOT NULL, file_name text,
        bytes bigint NOT NULL, sha256 text NOT NULL, headers jsonb NOT NULL,
        processed integer NOT NULL DEFAULT 0, failed integer NOT NULL DEFAULT 0, created integer NOT NULL DEFAULT 0, attached integer NOT NULL DEFAULT 0,
        error text, started_at timestamptz NOT NULL, finished_at timestamptz);
      CREATE TABLE IF NOT EXISTS ${this.rowErrors} (
        job_id uuid NOT NULL REFERENCES ${this.jobs} (id) ON DELETE CASCADE, row_number integer NOT NULL,
        columns jsonb NOT NULL, messages jsonb NOT NULL, cells jsonb NOT NULL, PRIMARY KEY (job_id, row_number));`);
  }

  async create(job: LeadImportJob) {
    const inserted = await this.pool.query<JobRow>(
      `INSERT INTO ${this.jobs} (id, tenant_id, status, format, file_name, bytes, sha256, headers, processed, failed, created, attached, started_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, 0, 0, 0, $9) ON CONFLICT (id) DO NOTHING RETURNING *`,
      [job.id, job.tenantId, job.status, job.format, job.fileName ?? null, job.bytes, job.sha256, JSON.stringify(job.headers), job.startedAt],
    );
    if (inserted.rows[0]) return { job: toJob(inserted.rows[0]), created: true };
    const existing = await this.pool.query<JobRow>(`SELECT * FROM ${this.jobs} WHERE id = $1`, [job.id]);
    return { job: toJob(existing.rows[0]), created: false };
  }

  async get(tenantId: string, id: string) {
    const { rows } = await this.pool.query<JobRow>(`SELECT * FROM ${this.jobs} WHERE id = $1 AND tenant_id = $2`, [id, tenantId]);
    return rows[0] && toJob(rows[0]);
  }

  async saveProgress(id: string, p: LeadImportProgress, errors: readonly LeadImportRowError[]) {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      if (errors.length > 0) {
        await client.query(
          `INSERT INTO ${this.rowErrors} (job_id, row_number, columns, messages, cells)
           SELECT $1, * FROM unnest($2::int[], $3::jsonb[], $4::jsonb[], $5::jsonb[]) ON CONFLICT DO NOTHING`,
          [id, errors.map((e) => e.rowNumber), errors.map((e) => JSON.stringify(e.columns)), errors.map((e) => JSON.stringify(e.messages)), errors.map((e) => JSON.stringify(e.values))],
        );
      }
      await client.query(
        `UPDATE ${this.jobs} SET processed = $2, failed = $3, created = $4, attached = $5,
           status = COALESCE($6, status), error = COALESCE($7, error), finished_at = COALESCE($8, finished_at) WHERE id = $1`,
        [id, p.processed, p.failed, p.created, p.attached, p.status ?? null, p.error ?? null, p.finishedAt ?? null],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async *errors(id: string): AsyncIterable<LeadImportRowError> {
    for (let after = 0; ;) {
      const { rows } = await this.pool.query<{ row_number: number; columns: string[]; messages: string[]; cells: string[] }>(
        `SELECT row_number, columns, messages, cells FROM ${this.rowErrors} WHERE job_id = $1 AND row_number > $2 ORDER BY row_number LIMIT ${PAGE}`,
        [id, after],
      );
      for (const r of rows) yield { rowNumber: r.row_number, columns: r.columns, messages: r.messages, values: r.cells };
      if (rows.length < PAGE) return;
      after = rows[rows.length - 1].row_number;
    }
  }

  async interruptRunning() {
    const { rowCount } = await this.pool.query(
      `UPDATE ${this.jobs} SET status = 'interrupted', error = 'the service restarted during the import; upload the file again (rows already imported are not duplicated)', finished_at = now() WHERE status = 'running'`,
    );
    return rowCount ?? 0;
  }
}
