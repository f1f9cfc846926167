import type { ImportFormat } from './import-file.reader';

export type LeadImportStatus = 'running' | 'completed' | 'failed' | 'interrupted';

/** An import job as the API shows it. */
export type LeadImportJob = {
  id: string;
  tenantId: string;
  status: LeadImportStatus;
  format: ImportFormat;
  fileName?: string;
  bytes: number;
  /** SHA-256 of the uploaded bytes (informational: idempotency comes from each row's identity). */
  sha256: string;
  headers: string[];
  /** Data rows read so far (created + attached + failed). */
  processed: number;
  failed: number;
  created: number;
  attached: number;
  error?: string;
  startedAt: string;
  finishedAt?: string;
};

/** A row that could not be imported, with its cells as they were in the file. */
export type LeadImportRowError = { rowNumber: number; columns: string[]; messages: string[]; values: string[] };

export type LeadImportProgress = Pick<LeadImportJob, 'processed' | 'failed' | 'created' | 'attached'> &
  Partial<Pick<LeadImportJob, 'status' | 'error' | 'finishedAt'>>;

/** Where import jobs and their row errors live (PostgreSQL when the service has a pool, memory otherwise). */
export type LeadImportJobStore = {
  /** Creates the job, or returns the one that already has this id (`created: false`). */
  create(job: LeadImportJob): Promise<{ job: LeadImportJob; created: boolean }>;
  get(tenantId: string, id: string): Promise<LeadImportJob | undefined>;
  /** Records progress and the row errors found since the last call, together. */
  saveProgress(id: string, progress: LeadImportProgress, errors: readonly LeadImportRowError[]): Promise<void>;
  /** The job's row errors in row order, a page at a time. */
  errors(id: string): AsyncIterable<LeadImportRowError>;
  /** At start-up: jobs left `running` by a previous process are marked `interrupted`. */
  interruptRunning(): Promise<number>;
};

/** Row errors kept per job in memory; beyond this only the count grows (PostgreSQL keeps them all). */
export const MAX_ERRORS_IN_MEMORY = 100_000;

export class InMemoryLeadImportJobStore implements LeadImportJobStore {
  private readonly jobs = new Map<string, { job: LeadImportJob; errors: LeadImportRowError[] }>();

  async create(job: LeadImportJob) {
    const existing = this.jobs.get(job.id);
    if (existing) return { job: { ...existing.job }, created: false };
    this.jobs.set(job.id, { job: { ...job }, errors: [] });
    return { job: { ...job }, created: true };
  }

  async get(tenantId: string, id: string) {
    const entry = this.jobs.get(id);
    return entry && entry.job.tenantId === tenantId ? { ...entry.job } : undefined;
  }

  async saveProgress(id: string, progress: LeadImportProgress, errors: readonly LeadImportRowError[]) {
    const entry = this.jobs.get(id);
    if (!entry) return;
    Object.assign(entry.job, progress);
    entry.errors.push(...errors.slice(0, Math.max(0, MAX_ERRORS_IN_MEMORY - entry.errors.length)));
  }

  async *errors(id: string) {
    yield* this.jobs.get(id)?.errors ?? [];
  }

  async interruptRunning() {
    return 0;
  }
}
