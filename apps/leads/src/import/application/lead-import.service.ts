import { idFromKey, LeadEventType, newId } from '@crm/contracts';
import { DomainError, type Clock } from '@crm/domain';
import { CLOCK, type RequestContext } from '@crm/nest-kit';
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit, PayloadTooLargeException } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { LeadCommandsService } from '../../lead/application/lead-commands.service';
import { mapColumns, mapRow, missingColumns, rowIdentityKey, type ColumnMap } from './import-columns';
import { openImportFile, type ImportFormat, type ImportRows } from './import-file.reader';
import type { LeadImportJob, LeadImportJobStore, LeadImportRowError } from './lead-import-job.store';
import { LeadImportError } from './lead-import.errors';

export const LEAD_IMPORT_JOBS = Symbol('LEAD_IMPORT_JOBS');

/** Tuning; the defaults suit one service instance with a pool of 10 connections. */
export type LeadImportSettings = {
  /** Captures in flight at once. */
  concurrency: number;
  /** Largest upload accepted, in bytes. */
  maxBytes: number;
  /** Progress (counts and new row errors) is written at most this often… */
  flushEveryMs: number;
  /** …or after this many rows, whichever comes first. */
  flushEveryRows: number;
};
export const LEAD_IMPORT_SETTINGS = Symbol('LEAD_IMPORT_SETTINGS');
export const DEFAULT_LEAD_IMPORT_SETTINGS: LeadImportSettings = { concurrency: 16, maxBytes: 200 * 1024 * 1024, flushEveryMs: 500, flushEveryRows: 2_000 };

export type LeadImportUpload = { body: Readable; format: ImportFormat; fileName?: string };

/** Counts the bytes and hashes them on the way to disk; refuses more than `max`. */
class MeteredStream extends Transform {
  readonly hash = createHash('sha256');
  bytes = 0;

  constructor(private readonly max: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.max) return callback(new PayloadTooLargeException(`an import file may have at most ${this.max} bytes`));
    this.hash.update(chunk);
    callback(null, chunk);
  }
}

const isBlank = (values: readonly string[]) => values.every((v) => v.trim() === '');

/**
 * Imports leads from an uploaded CSV or XLSX file. The upload is spooled to a temporary file
 * (streamed, hashed, size-limited) and the request answered 202; the rows are then read one by
 * one and captured through `LeadCommandsService.capture` — the same validation and
 * normalisation as `POST /v1/leads` — with at most `concurrency` captures in flight. Reading
 * waits while that many are in flight, so memory stays flat whatever the file's size.
 *
 * Idempotency: each row's lead id derives from the tenant and the row's normalised e-mail (or,
 * without one, its phone). Importing the same person again — the same file, a renamed copy, an
 * edited file, another file — addresses the same lead stream; the capture is replayed, nothing
 * is appended, and the row counts as `attached`.
 */
@Injectable()
export class LeadImportService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('LeadImport');
  private readonly running = new Set<Promise<void>>();
  private stopping = false;

  constructor(
    private readonly leads: LeadCommandsService,
    @Inject(LEAD_IMPORT_JOBS) private readonly jobs: LeadImportJobStore,
    @Inject(LEAD_IMPORT_SETTINGS) private readonly settings: LeadImportSettings,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    const interrupted = await this.jobs.interruptRunning();
    if (interrupted > 0) this.logger.warn(`${interrupted} import job(s) were interrupted by a restart`);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.running]);
  }

  /** Stores the upload, checks its header row and starts the job; `created: false` when an `Idempotency-Key` names an earlier job. */
  async start(ctx: RequestContext, upload: LeadImportUpload): Promise<{ job: LeadImportJob; created: boolean }> {
    const dir = join(tmpdir(), 'crm-lead-imports');
    await mkdir(dir, { recursive: true });
    const path = join(dir, `${newId()}.${upload.format}`);
    let handedOver = false;
    try {
      const meter = new MeteredStream(this.settings.maxBytes);
      await pipeline(upload.body, meter, createWriteStream(path));
      if (meter.bytes === 0) throw new LeadImportError('empty_file', 'the uploaded file is empty');
      const file = await this.open(path, upload.format);
      const columns = mapColumns(file.headers);
      const missing = missingColumns(columns);
      if (missing) {
        await file.rows.return?.();
        throw new LeadImportError('unrecognised_columns', `cannot import this file: ${missing}`, { headers: file.headers });
      }
      const id = ctx.idempotencyKey ? idFromKey(ctx.tenantId, 'lead-import-job', ctx.idempotencyKey) : newId();
      const result = await this.jobs.create({
        id, tenantId: ctx.tenantId, status: 'running', format: upload.format, ...(upload.fileName && { fileName: upload.fileName }),
        bytes: meter.bytes, sha256: meter.hash.digest('hex'), headers: file.headers,
        processed: 0, failed: 0, created: 0, attached: 0, startedAt: this.clock.now().toISOString(),
      });
      if (!result.created) {
        await file.rows.return?.();
        return result;
      }
      handedOver = true;
      const run = this.run(ctx, result.job, columns, file)
        .catch((error: unknown) => this.logger.error(`import ${id} crashed: ${error instanceof Error ? error.stack : String(error)}`))
        .finally(() => {
          this.running.delete(run);
          return rm(path, { force: true });
        });
      this.running.add(run);
      return result;
    } finally {
      if (!handedOver) await rm(path, { force: true });
    }
  }

  async get(ctx: RequestContext, id: string): Promise<LeadImportJob> {
    const job = await this.jobs.get(ctx.tenantId, id);
    if (!job) throw new LeadImportError('import_not_found', `lead import ${id} does not exist`);
    return job;
  }

  async errors(ctx: RequestContext, id: string): Promise<{ job: LeadImportJob; errors: AsyncIterable<LeadImportRowError> }> {
    const job = await this.get(ctx, id);
    return { job, errors: this.jobs.errors(id) };
  }

  /** Resolves when every job started by this process has finished (tests, benchmarks). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private async open(path: string, format: ImportFormat): Promise<ImportRows> {
    let file: ImportRows | undefined;
    try {
      file = await openImportFile(path, format);
    } catch (error) {
      throw new LeadImportError('unreadable_file', `cannot read the file as ${format.toUpperCase()}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!file) throw new LeadImportError('empty_file', 'the uploaded file has no rows');
    return file;
  }

  private async run(ctx: RequestContext, job: LeadImportJob, columns: ColumnMap, file: ImportRows): Promise<void> {
    const counts = { processed: 0, failed: 0, created: 0, attached: 0 };
    let pendingErrors: LeadImportRowError[] = [];
    let lastFlush = Date.now();
    let rowsSinceFlush = 0;
    const flush = async (final?: Pick<LeadImportJob, 'status'> & { error?: string }) => {
      const errors = pendingErrors;
      pendingErrors = [];
      rowsSinceFlush = 0;
      lastFlush = Date.now();
      await this.jobs.saveProgress(job.id, { ...counts, ...(final && { ...final, finishedAt: this.clock.now().toISOString() }) }, errors);
    };
    const fail = (rowNumber: number, values: string[], issues: { column: string; message: string }[]) => {
      counts.failed++;
      pendingErrors.push({ rowNumber, columns: issues.map((i) => i.column), messages: issues.map((i) => i.message), values });
    };

    const inFlight = new Set<Promise<void>>();
    let fatal: unknown;
    const capture = async (rowNumber: number, values: string[]) => {
      const row = mapRow(columns, values);
      if (!row.ok) return fail(rowNumber, values, row.issues);
      try {
        const result = await this.leads.capture({ ...ctx, expectedRevision: undefined, idempotencyKey: rowIdentityKey(row.body) }, row.body);
        if (!result.replayed && result.events.some((e) => e.type === LeadEventType.LeadCaptured)) counts.created++;
        else counts.attached++;
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        fail(rowNumber, values, [{ column: '', message: `${error.code}: ${error.message}` }]);
      }
    };

    try {
      for (let next = await file.rows.next(); !next.done; next = await file.rows.next()) {
        const { rowNumber, values } = next.value;
        if (isBlank(values)) continue;
        if (this.stopping) throw new Error('the service is shutting down');
        const task = capture(rowNumber, values)
          .catch((error: unknown) => void (fatal ??= error))
          .finally(() => {
            counts.processed++;
            rowsSinceFlush++;
            inFlight.delete(task);
          });
        inFlight.add(task);
        if (inFlight.size >= this.settings.concurrency) await Promise.race(inFlight);
        if (fatal !== undefined) throw fatal;
        if (rowsSinceFlush >= this.settings.flushEveryRows || Date.now() - lastFlush >= this.settings.flushEveryMs) await flush();
      }
      await Promise.all(inFlight);
      if (fatal !== undefined) throw fatal;
      await flush({ status: 'completed' });
    } catch (error) {
      await Promise.allSettled(inFlight);
      await file.rows.return?.();
      const message = error instanceof DomainError || error instanceof Error ? error.message : String(error);
      this.logger.error(`import ${job.id} failed after ${counts.processed} rows: ${message}`);
      await flush({ status: 'failed', error: `stopped after ${counts.processed} rows: ${message}; upload the file again to finish (rows already imported are not duplicated)` });
    }
  }
}
