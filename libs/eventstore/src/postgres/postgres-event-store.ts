import { newId, type EventMetadata, type NewEvent, type RecordedEvent } from '@crm/contracts';
import type { Pool, PoolClient } from 'pg';
import { DuplicateEventIdError, WrongExpectedVersionError } from '../errors';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  EventSubscription,
  ExpectedState,
  ReadAllOptions,
  ReadStreamOptions,
  StreamAppend,
  SubscribeOptions,
} from '../event-store.port';
import { assertDistinctStreams } from '../filter';
import { pollingSubscription, WakeUp } from '../polling-subscription';
import { PostgresListener } from './postgres-listener';
import { assertSchemaName } from './postgres-migrations';

export type PostgresEventStoreOptions = {
  pool: Pool;
  /** The service's schema, migrated by `migratePostgresEventStore(pool, schema)`. */
  schema: string;
  /**
   * NOTIFY inside the append transaction instead of right after it. Off by default: PostgreSQL
   * holds a cluster-wide lock from a notifying transaction's pre-commit until after its commit
   * record is flushed, so notifying appends cannot share a WAL flush (no group commit).
   */
  notifyInTransaction?: boolean;
  /** Minimum gap between two NOTIFYs sent by this store (default 10 ms). */
  notifyIntervalMs?: number;
  /** Subscriptions poll at least this often when no notification arrives. */
  idleWaitMs?: number;
  pageSize?: number;
};

type EventRow = {
  position: string;
  event_id: string;
  stream_name: string;
  revision: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
  occurred_at: Date;
};

type AppendRow = {
  outcome: 'ok' | 'replayed' | 'wrong_expected_version' | 'duplicate_event_id';
  out_revision: string | null;
  out_position: string | null;
  out_event_id: string | null;
};

type MultiAppendRow = AppendRow & { ord: number };

type PgError = Error & { code?: string; constraint?: string };

/** Unique violation: the append raced another one on a revision or an event id. */
const UNIQUE_VIOLATION = '23505';
/** Deadlock: a multi-stream append's `any` lock met another's exact insert; PostgreSQL aborted one. */
const DEADLOCK_DETECTED = '40P01';

const MAX_APPEND_ATTEMPTS = 5;

/** A unique violation left after the retries, or inside a caller's transaction (which it aborted). */
const mapAppendError = (e: PgError, streamName: string, expected: ExpectedState, ids: readonly string[]): Error => {
  if (e.code !== UNIQUE_VIOLATION) return e;
  if (e.constraint?.endsWith('event_id_key')) {
    return new DuplicateEventIdError(/\(event_id\)=\(([^)]+)\)/.exec(e.message)?.[1] ?? ids[0] ?? '', streamName);
  }
  return new WrongExpectedVersionError(streamName, expected, -1);
};

const COLUMNS = 'position, event_id, stream_name, revision, type, data, metadata, occurred_at';

/**
 * The event store on PostgreSQL: one `events` table per service schema (see
 * `libs/eventstore/migrations` and README.md for the position scheme that makes `$all` gap-safe).
 */
export class PostgresEventStore implements EventStore {
  private readonly pool: Pool;
  private readonly schema: string;
  private readonly table: string;
  private readonly channel: string;
  private readonly appendSql: string;
  private readonly appendManySql: string;
  private readonly readAllSql: string;
  private readonly wakeUp = new WakeUp();
  private readonly listener: PostgresListener;
  private readonly options: PostgresEventStoreOptions;
  private notifyTimer: NodeJS.Timeout | undefined;
  private lastNotifyAt = 0;
  private closed = false;

  constructor(options: PostgresEventStoreOptions) {
    assertSchemaName(options.schema);
    this.options = options;
    this.pool = options.pool;
    this.schema = options.schema;
    this.table = `"${options.schema}".events`;
    this.channel = `eventstore_${options.schema}`.slice(0, 63);
    this.appendSql = `SELECT outcome, out_revision, out_position, out_event_id FROM "${options.schema}".append_to_stream($1, $2, $3::uuid[], $4::text[], $5::jsonb[], $6::jsonb[], $7, $8)`;
    this.appendManySql = `SELECT ord, outcome, out_revision, out_position, out_event_id FROM "${options.schema}".append_to_streams($1::text[], $2::text[], $3::int[], $4::uuid[], $5::text[], $6::jsonb[], $7::jsonb[], $8, $9)`;
    this.readAllSql = `SELECT ${COLUMNS} FROM "${options.schema}".read_all($1, $2, $3, $4, $5, $6)`;
    this.listener = new PostgresListener(this.pool, this.channel, this.wakeUp);
  }

  async appendToStream(streamName: string, events: readonly NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    return this.append(this.pool, streamName, events, options);
  }

  /**
   * Appends through a client the caller controls (e.g. one inside an open transaction). The
   * events become visible to `$all` readers when that transaction commits; `$all` readers wait
   * for it, they never skip it. Used by tests to hold transactions open.
   */
  async appendWithClient(client: PoolClient, streamName: string, events: readonly NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    return this.append(client, streamName, events, options, true);
  }

  private async append(
    runner: Pool | PoolClient,
    streamName: string,
    events: readonly NewEvent[],
    options: AppendOptions,
    inCallerTransaction = false,
  ): Promise<AppendResult> {
    const expected = options.expectedState ?? 'any';
    const ids = events.map((e) => e.id ?? newId());
    const values = [
      streamName,
      String(expected),
      ids,
      events.map((e) => e.type),
      events.map((e) => JSON.stringify(e.data ?? null)),
      events.map((e) => JSON.stringify(e.metadata)),
      inCallerTransaction, // check ids up front there: a unique violation would abort the caller's transaction
      this.options.notifyInTransaction ? this.channel : null,
    ];
    // A unique violation means this append raced another one on the same stream revision or
    // event id; once that one has committed, calling again gives the definitive answer
    // (conflict, replay, duplicate id, or success at the next revision for `any`).
    for (let attempt = 1; ; attempt++) {
      let row: AppendRow;
      try {
        row = (await runner.query<AppendRow>({ name: `eventstore-append-${this.schema}`, text: this.appendSql, values })).rows[0];
      } catch (e) {
        const error = e as PgError;
        if (error.code === UNIQUE_VIOLATION && !inCallerTransaction && attempt < MAX_APPEND_ATTEMPTS) {
          values[6] = true; // look the ids up this time
          continue;
        }
        throw mapAppendError(error, streamName, expected, ids);
      }
      switch (row.outcome) {
        case 'wrong_expected_version':
          throw new WrongExpectedVersionError(streamName, expected, Number(row.out_revision));
        case 'duplicate_event_id':
          throw new DuplicateEventIdError(row.out_event_id ?? '', streamName);
        case 'ok':
          if (events.length > 0 && !inCallerTransaction) this.announce();
          break;
        case 'replayed':
          break;
      }
      return { nextExpectedRevision: Number(row.out_revision), position: BigInt(row.out_position ?? '-1') };
    }
  }

  /**
   * One call of `append_to_streams` (migration 0002): every stream is checked, then all events
   * are inserted by one statement, so the call is one round trip and one commit, all or nothing.
   * Races are handled as in `appendToStream` (call again, looking the ids up).
   */
  async appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    assertDistinctStreams(appends);
    if (appends.length === 0) return [];
    const events = appends.flatMap((a) => a.events);
    const ids = events.map((e) => e.id ?? newId());
    const values = [
      appends.map((a) => a.streamName),
      appends.map((a) => String(a.expectedState ?? 'any')),
      appends.map((a) => a.events.length),
      ids,
      events.map((e) => e.type),
      events.map((e) => JSON.stringify(e.data ?? null)),
      events.map((e) => JSON.stringify(e.metadata)),
      false,
      this.options.notifyInTransaction ? this.channel : null,
    ];
    const expectedOf = (ord: number) => appends[ord - 1]?.expectedState ?? 'any';
    const streamOf = (ord: number) => appends[ord - 1]?.streamName ?? appends[0].streamName;
    for (let attempt = 1; ; attempt++) {
      let rows: MultiAppendRow[];
      try {
        rows = (await this.pool.query<MultiAppendRow>({ name: `eventstore-append-many-${this.schema}`, text: this.appendManySql, values })).rows;
      } catch (e) {
        const error = e as PgError;
        if ((error.code === UNIQUE_VIOLATION || error.code === DEADLOCK_DETECTED) && attempt < MAX_APPEND_ATTEMPTS) {
          values[7] = true; // look the ids up this time
          continue;
        }
        throw mapAppendError(error, appends[0].streamName, expectedOf(1), ids);
      }
      const failed = rows.find((r) => r.outcome === 'wrong_expected_version' || r.outcome === 'duplicate_event_id');
      if (failed?.outcome === 'wrong_expected_version') {
        throw new WrongExpectedVersionError(streamOf(failed.ord), expectedOf(failed.ord), Number(failed.out_revision));
      }
      if (failed) throw new DuplicateEventIdError(failed.out_event_id ?? '', streamOf(failed.ord));
      if (rows.some((r, i) => r.outcome === 'ok' && appends[i].events.length > 0)) this.announce();
      return rows.map((r) => ({ nextExpectedRevision: Number(r.out_revision), position: BigInt(r.out_position ?? '-1') }));
    }
  }

  /**
   * Wakes this process's subscriptions now, and other processes' through a NOTIFY sent after
   * the commit: at most one every `notifyIntervalMs`, covering every append that committed
   * before it is sent. A lost NOTIFY (crash, connection loss) only costs one poll interval.
   */
  private announce(): void {
    this.wakeUp.notify();
    if (this.closed || this.notifyTimer !== undefined) return;
    const wait = Math.max(0, this.lastNotifyAt + (this.options.notifyIntervalMs ?? 10) - Date.now());
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = undefined;
      this.lastNotifyAt = Date.now();
      this.pool.query('SELECT pg_notify($1, $2)', [this.channel, '']).catch(() => undefined);
    }, wait);
    this.notifyTimer.unref();
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0);
    const { rows } = await this.pool.query<EventRow>({
      name: `eventstore-read-stream-${backwards ? 'b' : 'f'}-${this.schema}`,
      text: `SELECT ${COLUMNS} FROM ${this.table}
              WHERE stream_name = $1 AND revision ${backwards ? '<=' : '>='} $2
              ORDER BY revision ${backwards ? 'DESC' : 'ASC'} LIMIT $3`,
      values: [streamName, from, options.maxCount ?? null],
    });
    return rows.map(toRecordedEvent);
  }

  /** One statement for all the streams (the `(stream_name, revision)` index, one snapshot). */
  async readStreams(streamNames: readonly string[]): Promise<RecordedEvent[][]> {
    if (streamNames.length === 0) return [];
    const { rows } = await this.pool.query<EventRow>({
      name: `eventstore-read-streams-${this.schema}`,
      text: `SELECT ${COLUMNS} FROM ${this.table} WHERE stream_name = ANY ($1::text[]) ORDER BY stream_name, revision`,
      values: [[...new Set(streamNames)]],
    });
    const byStream = new Map<string, RecordedEvent[]>();
    for (const row of rows) {
      const list = byStream.get(row.stream_name) ?? [];
      list.push(toRecordedEvent(row));
      byStream.set(row.stream_name, list);
    }
    return streamNames.map((name) => byStream.get(name)?.map((e) => ({ ...e })) ?? []);
  }

  /**
   * Gap-safe page of `$all` (the `read_all` SQL function). Positions are `xid8 << 20 | n` of the
   * writing transaction, and the statement returns only positions below
   * `pg_snapshot_xmin(pg_current_snapshot()) << 20`:
   *  - the horizon and the rows come from the SAME snapshot (one statement, READ COMMITTED), so
   *    every transaction below the horizon has finished and its rows are either all visible
   *    (committed) or never will be (aborted);
   *  - every transaction still running, or not yet started, has an id ≥ that snapshot's xmin, so
   *    it can only ever add rows at or above the horizon, i.e. after everything returned here.
   * A reader that resumes after the last position it saw therefore never skips an event and
   * never sees one twice. The price: `$all` lags behind the oldest running write transaction of
   * the database (any schema), which is short for appends and must stay short elsewhere.
   */
  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const f = options.filter;
    const list = (v: readonly string[] | undefined) => (v?.length ? [...v] : null);
    const { rows } = await this.pool.query<EventRow>({
      name: `eventstore-read-all-${this.schema}`,
      text: this.readAllSql,
      values: [
        (options.after ?? -1n).toString(),
        options.maxCount ?? null,
        list(f?.categories),
        list(f?.streamPrefixes),
        list(f?.eventTypes),
        list(f?.eventTypePrefixes),
      ],
    });
    return rows.map(toRecordedEvent);
  }

  subscribeToAll(options: SubscribeOptions = {}): EventSubscription {
    this.listener.ensureListening();
    return pollingSubscription(
      { readPage: (o) => this.readAll(o), waitForMore: (ms, signal) => this.wakeUp.wait(ms, signal) },
      { ...options, pageSize: this.options.pageSize, idleWaitMs: this.options.idleWaitMs },
    );
  }

  /** Stops the LISTEN connection and wakes the subscriptions. The pool belongs to the caller. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.notifyTimer !== undefined) {
      clearTimeout(this.notifyTimer);
      this.notifyTimer = undefined;
      await this.pool.query('SELECT pg_notify($1, $2)', [this.channel, '']).catch(() => undefined);
    }
    await this.listener.close();
    this.wakeUp.notify();
  }
}

const toRecordedEvent = (r: EventRow): RecordedEvent => ({
  id: r.event_id,
  type: r.type,
  streamName: r.stream_name,
  revision: Number(r.revision),
  position: BigInt(r.position),
  occurredAt: r.occurred_at,
  data: r.data,
  metadata: r.metadata,
});
