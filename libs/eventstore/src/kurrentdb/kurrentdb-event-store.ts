import { newId, type EventMetadata, type NewEvent, type RecordedEvent } from '@crm/contracts';
import {
  ANY,
  BACKWARDS,
  END,
  FORWARDS,
  KurrentDBClient,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError as KurrentWrongExpectedVersionError,
  eventTypeFilter,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AppendStreamState,
  type Filter,
  type JSONType,
  type Position,
  type ReadPosition,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client';
import { DuplicateEventIdError, WrongExpectedVersionError } from '../errors';
import type {
  AppendOptions,
  AppendResult,
  EventFilter,
  EventStore,
  EventSubscription,
  ExpectedState,
  ReadAllOptions,
  ReadStreamOptions,
  StreamAppend,
  SubscribeOptions,
} from '../event-store.port';
import { assertDistinctStreams, expectedStateHolds, matchesFilter } from '../filter';

type KurrentRecorded = NonNullable<ResolvedEvent['event']>;

/**
 * `multiStreamAppend` takes metadata only as a flat map of strings (record properties), so our
 * metadata (numbers, nested objects) travels JSON-encoded in this one property, and is decoded
 * on read.
 */
const METADATA_PROPERTY = 'crm-metadata';

/** Calls of `multiStreamAppend` one `appendToStreams` may make (a partial retry takes a second). */
const MAX_MULTI_APPEND_ATTEMPTS = 3;

/**
 * The event store on KurrentDB / EventStoreDB through the official client.
 *
 * Positions: our `position` is the event's commit position. Events appended through gRPC are
 * never in explicit transactions, so each has its own commit position, equal to its prepare
 * position; resuming `$all` after `p` therefore reads from `{ commit: p, prepare: p }`.
 *
 * Filters: the server applies one filter dimension (stream names or event types, as a regex);
 * the full `EventFilter` is always re-checked here, so results are exact either way. System
 * events (`$…` types) and links are never returned.
 *
 * Event ids: KurrentDB de-duplicates a retried append in the same stream, but does not index ids
 * across streams, so an id already stored in another stream is NOT refused
 * (`globallyUniqueEventIds: false` in the contract).
 */
export type KurrentDBEventStoreOptions = ({ connectionString: string } | { client: KurrentDBClient }) & {
  /**
   * A service's own slice of a shared KurrentDB: prepended to every stream name on write,
   * stripped on read, and `$all` only returns streams that carry it. Empty: no prefix.
   */
  streamPrefix?: string;
};

export class KurrentDBEventStore implements EventStore {
  private readonly client: KurrentDBClient;
  private readonly prefix: string;

  constructor(options: KurrentDBEventStoreOptions) {
    this.client = 'client' in options ? options.client : KurrentDBClient.connectionString(options.connectionString);
    this.prefix = options.streamPrefix ?? '';
  }

  /** e.g. `kurrentdb://localhost:2113?tls=false`. */
  static fromConnectionString(connectionString: string, streamPrefix = ''): KurrentDBEventStore {
    return new KurrentDBEventStore({ connectionString, streamPrefix });
  }

  async appendToStream(streamName: string, events: readonly NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    const expected = options.expectedState ?? 'any';
    const withIds = events.map((e) => ({ ...e, id: e.id ?? newId() }));
    if (withIds.length === 0) return this.emptyAppend(streamName, expected);
    try {
      const result = await this.client.appendToStream(
        this.prefix + streamName,
        withIds.map((e) =>
          jsonEvent({ id: e.id, type: e.type, data: (e.data ?? null) as JSONType, metadata: e.metadata as JSONType }),
        ),
        { streamState: toStreamState(expected) },
      );
      const revision = Number(result.nextExpectedRevision);
      const position = result.position?.commit ?? (await this.positionOf(streamName, revision));
      return { nextExpectedRevision: revision, position };
    } catch (error) {
      if (error instanceof KurrentWrongExpectedVersionError) {
        const replay = await this.idempotentReplay(streamName, withIds.map((e) => e.id));
        if (replay) return replay;
        const actual = error.actualState === NO_STREAM ? -1 : Number(error.actualState);
        throw new WrongExpectedVersionError(streamName, expected, actual);
      }
      throw error;
    }
  }

  /**
   * One `multiStreamAppend` (KurrentDB ≥ 25.1): the server writes every stream's events in one
   * transaction and checks each stream's expected state; one failure writes nothing.
   * NEVER RUN against a server here (none can run on our machines): written and typechecked only.
   *
   * What the client cannot express, and how it is approximated:
   * - per-stream idempotent retry: the call has no idempotency option. Exact expectations make a
   *   retry conflict, and then the ids are looked up per stream (as in `appendToStream`); for
   *   `any` and `stream_exists` streams the ids are looked up BEFORE the call (a read per such
   *   stream), which is not race-safe: two identical retries at the same moment can both write;
   * - a stream with no events to append is checked by a read before the call, not inside the
   *   server's transaction (`appendRecords` with consistency checks could, on newer servers);
   * - per-stream positions: the response carries one position for the whole call, so each
   *   stream's last position is read back (one read per stream).
   */
  async appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    assertDistinctStreams(appends);
    const entries = appends.map((a) => ({
      streamName: a.streamName,
      expected: a.expectedState ?? 'any',
      events: a.events.map((e) => ({ ...e, id: e.id ?? newId() })),
    }));
    const results: (AppendResult | undefined)[] = await Promise.all(
      entries.map(async (e) => {
        if (e.events.length === 0) return this.emptyAppend(e.streamName, e.expected);
        if (e.expected === 'any' || e.expected === 'stream_exists') return this.idempotentReplay(e.streamName, e.events.map((x) => x.id));
        return undefined;
      }),
    );
    for (let attempt = 1; ; attempt++) {
      const pending = entries.filter((_, i) => results[i] === undefined);
      if (pending.length === 0) return results as AppendResult[];
      try {
        await this.client.multiStreamAppend(
          pending.map((e) => ({
            streamName: this.prefix + e.streamName,
            expectedState: toStreamState(e.expected),
            events: e.events.map((x) =>
              jsonEvent({ id: x.id, type: x.type, data: (x.data ?? null) as JSONType, metadata: { [METADATA_PROPERTY]: JSON.stringify(x.metadata) } }),
            ),
          })),
        );
      } catch (error) {
        if (!(error instanceof KurrentWrongExpectedVersionError)) throw error;
        // Was it a retry? Look the ids up in every stream of the call.
        const replays = await Promise.all(pending.map((e) => this.idempotentReplay(e.streamName, e.events.map((x) => x.id))));
        pending.forEach((e, i) => (results[entries.indexOf(e)] = replays[i]));
        if (replays.some((r) => r !== undefined) && attempt < MAX_MULTI_APPEND_ATTEMPTS) continue;
        const streamName = error.streamName.slice(this.prefix.length);
        const failed = entries.find((e) => e.streamName === streamName) ?? pending[0];
        const actual = error.actualState === NO_STREAM ? -1 : Number(error.actualState);
        throw new WrongExpectedVersionError(failed.streamName, failed.expected, actual);
      }
      const written = await Promise.all(pending.map((e) => this.readStream(e.streamName, { direction: 'backwards', maxCount: 1 })));
      pending.forEach((e, i) => {
        const [last] = written[i];
        results[entries.indexOf(e)] = { nextExpectedRevision: last?.revision ?? -1, position: last?.position ?? -1n };
      });
    }
  }

  /** Parallel reads: the client has no multi-stream read. */
  readStreams(streamNames: readonly string[]): Promise<RecordedEvent[][]> {
    return Promise.all(streamNames.map((name) => this.readStream(name)));
  }

  /**
   * The server treats a retry whose ids match the events right after the expected revision as
   * a no-op; a retry with a stale expected revision fails instead. Ours must return the original
   * result, so on a conflict look the ids up in the stream.
   */
  private async idempotentReplay(streamName: string, ids: string[]): Promise<AppendResult | undefined> {
    const stored = await this.readStream(streamName);
    const byId = new Map(stored.map((e) => [e.id, e]));
    const found = ids.map((id) => byId.get(id));
    if (found.every((e) => e === undefined)) return undefined;
    const missing = ids.find((id) => !byId.has(id));
    if (missing) throw new DuplicateEventIdError(missing, streamName);
    const last = found.reduce((a, b) => (a!.revision > b!.revision ? a : b))!;
    return { nextExpectedRevision: last.revision, position: last.position };
  }

  private async emptyAppend(streamName: string, expected: ExpectedState): Promise<AppendResult> {
    const [last] = await this.readStream(streamName, { direction: 'backwards', maxCount: 1 });
    const actual = last?.revision ?? -1;
    if (!expectedStateHolds(expected, actual)) throw new WrongExpectedVersionError(streamName, expected, actual);
    return { nextExpectedRevision: actual, position: last?.position ?? -1n };
  }

  private async positionOf(streamName: string, revision: number): Promise<bigint> {
    const [e] = await this.readStream(streamName, { fromRevision: revision, maxCount: 1 });
    return e?.position ?? -1n;
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const out: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(this.prefix + streamName, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: options.fromRevision !== undefined ? BigInt(options.fromRevision) : backwards ? END : START,
        maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
      })) {
        const e = this.toRecordedEvent(resolved.event, resolved.commitPosition);
        if (e) out.push(e);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return out;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const max = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    const out: RecordedEvent[] = [];
    if (max <= 0) return out;
    const serverFilter = toServerFilter(options.filter, this.prefix);
    for await (const resolved of this.client.readAll({
      direction: FORWARDS,
      fromPosition: fromCheckpoint(options.after),
      resolveLinkTos: false,
      ...(serverFilter ? { filter: serverFilter } : {}),
    })) {
      const e = this.fromAll(resolved, options.after, options.filter);
      if (!e) continue;
      out.push(e);
      if (out.length >= max) break;
    }
    return out;
  }

  subscribeToAll(options: SubscribeOptions = {}): EventSubscription {
    const serverFilter = toServerFilter(options.filter, this.prefix);
    const subscription = this.client.subscribeToAll({
      fromPosition: fromCheckpoint(options.after),
      resolveLinkTos: false,
      ...(serverFilter ? { filter: serverFilter } : {}),
    });
    let closed = false;
    const fromAll = (resolved: AllStreamResolvedEvent, after: bigint | undefined) => this.fromAll(resolved, after, options.filter);
    async function* iterate(): AsyncGenerator<RecordedEvent> {
      let after = options.after;
      for await (const resolved of subscription) {
        if (closed) return;
        const e = fromAll(resolved, after);
        if (!e) continue;
        after = e.position;
        yield e;
      }
    }
    const iterator = iterate();
    return {
      [Symbol.asyncIterator]: () => iterator,
      close: async () => {
        closed = true;
        await subscription.unsubscribe();
        await iterator.return(undefined);
      },
    };
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }

  private fromAll(resolved: AllStreamResolvedEvent, after: bigint | undefined, filter: EventFilter | undefined): RecordedEvent | undefined {
    const e = this.toRecordedEvent(resolved.event, resolved.commitPosition);
    if (!e || e.type.startsWith('$')) return undefined;
    if (after !== undefined && e.position <= after) return undefined;
    return matchesFilter(e, filter) ? e : undefined;
  }

  /** Our envelope, or undefined for what is not ours: links, binary and system events, other prefixes. */
  private toRecordedEvent(event: KurrentRecorded | undefined, commitPosition: bigint | undefined): RecordedEvent | undefined {
    if (!event || !event.isJson || event.streamId.startsWith('$') || !event.streamId.startsWith(this.prefix)) return undefined;
    return {
      id: event.id,
      type: event.type,
      streamName: event.streamId.slice(this.prefix.length),
      revision: Number(event.revision),
      position: event.position?.commit ?? commitPosition ?? -1n,
      occurredAt: event.created,
      data: event.data,
      metadata: fromStoredMetadata(event.metadata),
    };
  }
}

/** Our metadata as stored: as-is by `appendToStream`, JSON-encoded in one property by `appendToStreams`. */
const fromStoredMetadata = (stored: unknown): EventMetadata => {
  const encoded = (stored as Record<string, unknown> | null)?.[METADATA_PROPERTY];
  return typeof encoded === 'string' ? (JSON.parse(encoded) as EventMetadata) : (stored as EventMetadata);
};

const toStreamState = (expected: ExpectedState): AppendStreamState => {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      return BigInt(expected);
  }
};

const fromCheckpoint = (after: bigint | undefined): ReadPosition =>
  after === undefined ? START : ({ commit: after, prepare: after } satisfies Position);

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The most selective single dimension the server can filter on. Event types are preferred
 * (a type list or prefix list is exact); otherwise stream names (within the store's prefix).
 * The rest is checked locally.
 */
const toServerFilter = (filter: EventFilter | undefined, prefix: string): Filter | undefined => {
  const types = [...(filter?.eventTypes ?? []).map((t) => `^${escapeRegex(t)}$`), ...(filter?.eventTypePrefixes ?? []).map((p) => `^${escapeRegex(p)}`)];
  if (types.length) return eventTypeFilter({ regex: types.join('|') });
  const p = escapeRegex(prefix);
  const streams = [
    ...(filter?.categories ?? []).map((c) => `^${p}${escapeRegex(c)}(-|$)`),
    ...(filter?.streamPrefixes ?? []).map((sp) => `^${p}${escapeRegex(sp)}`),
  ];
  if (streams.length) return streamNameFilter({ regex: streams.join('|') });
  if (prefix) return streamNameFilter({ prefixes: [prefix] });
  return undefined;
};

