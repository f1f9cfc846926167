import { newId, type NewEvent, type RecordedEvent } from '@crm/contracts';
import { DuplicateEventIdError, WrongExpectedVersionError } from './errors';
import type { AppendOptions, AppendResult, EventStore, ReadAllOptions, ReadStreamOptions, StreamAppend, SubscribeOptions } from './event-store.port';
import { assertDistinctStreams, expectedStateHolds, matchesFilter } from './filter';
import { pollingSubscription, WakeUp } from './polling-subscription';

/** The event store in process memory: for fast service tests and tooling. */
export class InMemoryEventStore implements EventStore {
  private readonly all: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly byId = new Map<string, RecordedEvent>();
  private readonly wakeUp = new WakeUp();

  constructor(private readonly now: () => Date = () => new Date()) {}

  async appendToStream(streamName: string, events: readonly NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    const [result] = await this.appendToStreams([{ streamName, events, expectedState: options.expectedState }]);
    return result;
  }

  async appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    assertDistinctStreams(appends);
    // Everything is checked before anything is stored: all or nothing.
    const planned = appends.map(({ streamName, events, expectedState }) => {
      const stream = this.streams.get(streamName) ?? [];
      const replay = this.idempotentReplay(streamName, events);
      if (replay) return { kind: 'replay' as const, replay };
      const actual = stream.length - 1;
      const expected = expectedState ?? 'any';
      if (!expectedStateHolds(expected, actual)) throw new WrongExpectedVersionError(streamName, expected, actual);
      return { kind: 'append' as const, streamName, stream, events, actual };
    });
    const fresh = planned.flatMap((p) => (p.kind === 'replay' ? [] : p.events.map((e) => e.id).filter((id): id is string => !!id)));
    const repeated = fresh.find((id, i) => fresh.indexOf(id) !== i);
    if (repeated) throw new DuplicateEventIdError(repeated, appends.find((a) => a.events.some((e) => e.id === repeated))!.streamName);
    const occurredAt = this.now();
    const results = planned.map((p): AppendResult => {
      if (p.kind === 'replay') return p.replay;
      const { streamName, stream, events, actual } = p;
      if (events.length === 0) {
        return { nextExpectedRevision: actual, position: stream.at(-1)?.position ?? BigInt(this.all.length - 1) };
      }
      const recorded = events.map((e, i): RecordedEvent => ({
        id: e.id ?? newId(),
        type: e.type,
        streamName,
        revision: actual + 1 + i,
        position: BigInt(this.all.length + i),
        occurredAt,
        data: structuredClone(e.data),
        metadata: structuredClone(e.metadata),
      }));
      for (const r of recorded) {
        this.all.push(r);
        stream.push(r);
        this.byId.set(r.id, r);
      }
      this.streams.set(streamName, stream);
      const last = recorded[recorded.length - 1];
      return { nextExpectedRevision: last.revision, position: last.position };
    });
    if (planned.some((p) => p.kind === 'append' && p.events.length > 0)) this.wakeUp.notify();
    return results;
  }

  /** A retried append whose event ids are all stored, in this stream, returns the original result. */
  private idempotentReplay(streamName: string, events: readonly NewEvent[]): AppendResult | undefined {
    const ids = events.map((e) => e.id).filter((id): id is string => !!id);
    if (ids.length === 0) return undefined;
    const stored = ids.map((id) => this.byId.get(id));
    if (stored.every((s) => s === undefined)) return undefined;
    for (let i = 0; i < ids.length; i++) {
      const s = stored[i];
      if (!s || s.streamName !== streamName) throw new DuplicateEventIdError(ids[i], streamName);
    }
    const last = stored.reduce((a, b) => (a!.revision > b!.revision ? a : b))!;
    return { nextExpectedRevision: last.revision, position: last.position };
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const stream = this.streams.get(streamName) ?? [];
    const max = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    if (options.direction === 'backwards') {
      const from = options.fromRevision ?? stream.length - 1;
      return stream.filter((e) => e.revision <= from).reverse().slice(0, max).map(copy);
    }
    const from = options.fromRevision ?? 0;
    return stream.filter((e) => e.revision >= from).slice(0, max).map(copy);
  }

  async readStreams(streamNames: readonly string[]): Promise<RecordedEvent[][]> {
    return streamNames.map((name) => (this.streams.get(name) ?? []).map(copy));
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const start = options.after === undefined ? 0 : Number(options.after) + 1;
    const max = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    const out: RecordedEvent[] = [];
    for (let i = start; i < this.all.length && out.length < max; i++) {
      if (matchesFilter(this.all[i], options.filter)) out.push(copy(this.all[i]));
    }
    return out;
  }

  subscribeToAll(options: SubscribeOptions = {}) {
    return pollingSubscription(
      { readPage: (o) => this.readAll(o), waitForMore: (ms, signal) => this.wakeUp.wait(ms, signal) },
      options,
    );
  }

  async close(): Promise<void> {
    this.wakeUp.notify();
  }
}

const copy = (e: RecordedEvent): RecordedEvent => ({ ...e, data: structuredClone(e.data), metadata: structuredClone(e.metadata) });
