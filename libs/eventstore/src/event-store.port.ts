import type { NewEvent, RecordedEvent } from '@crm/contracts';

/**
 * What the appender expects of the stream before its events are written:
 * - `no_stream`: the stream must not exist yet;
 * - `stream_exists`: it must exist;
 * - `any`: no check;
 * - a number: the revision of the stream's last event must be exactly this.
 */
export type ExpectedState = 'no_stream' | 'stream_exists' | 'any' | number;

export type AppendOptions = { expectedState?: ExpectedState };

/** One stream's part of an `appendToStreams` call. */
export type StreamAppend = {
  streamName: string;
  events: readonly NewEvent[];
  /** As `AppendOptions.expectedState` (default `any`). */
  expectedState?: ExpectedState;
};

export type AppendResult = {
  /** Revision of the last event now in the stream: pass it as the next `expectedState`. */
  nextExpectedRevision: number;
  /** `$all` position of the last appended event. */
  position: bigint;
};

export type ReadStreamOptions = {
  direction?: 'forwards' | 'backwards';
  /** Inclusive. Defaults to the first (forwards) or the last (backwards) event. */
  fromRevision?: number;
  maxCount?: number;
};

/**
 * Filters on `$all`. A category is the part of the stream name before the first dash
 * (`lead` for `lead-42`); `streamPrefixes` match the start of the stream name.
 */
export type EventFilter = {
  categories?: readonly string[];
  streamPrefixes?: readonly string[];
  eventTypes?: readonly string[];
  /** Event type prefixes, e.g. `leads.` for every event of the leads context. */
  eventTypePrefixes?: readonly string[];
};

export type ReadAllOptions = {
  /** Exclusive: events strictly after this position. Omit to start at the beginning. */
  after?: bigint;
  maxCount?: number;
  filter?: EventFilter;
};

export type SubscribeOptions = {
  /** Exclusive checkpoint: deliver events strictly after it. Omit to start at the beginning. */
  after?: bigint;
  filter?: EventFilter;
};

/**
 * A catch-up subscription: replays history after the checkpoint, then tails live events,
 * in `$all` order, each event exactly once. Iterate it; `close()` ends the iteration.
 */
export type EventSubscription = AsyncIterable<RecordedEvent> & {
  close(): Promise<void>;
};

/** The event store port. Every adapter passes `event-store.contract.ts`. */
export type EventStore = {
  /**
   * Appends atomically. Fails with `WrongExpectedVersionError` when the expected state does
   * not hold. Appending events whose ids are already stored in that stream (a retry) stores
   * nothing new and returns the original result.
   */
  appendToStream(streamName: string, events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult>;
  /**
   * Appends to several streams atomically: every event of every stream is stored, or none is.
   * Every expectation is checked; one that does not hold fails the whole call with
   * `WrongExpectedVersionError` (naming that stream) and nothing is written anywhere. Per
   * stream, events whose ids are all already stored in that stream (a retry) store nothing new
   * and give that stream's original result, as `appendToStream` does. A stream may appear once.
   * Events are positioned in `$all` in the order given (streams in order, then their events).
   * Returns one result per entry, in the order given.
   */
  appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]>;
  /** Reads one stream; a missing stream reads as an empty list. */
  readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /**
   * Reads several whole streams forwards, in one round trip where the adapter can: one list per
   * name, in the order given (a missing stream is an empty list). Meant for many small streams
   * (index entries), not for long histories.
   */
  readStreams(streamNames: readonly string[]): Promise<RecordedEvent[][]>;
  /** Reads a page of `$all` in position order. Never skips an event that commits later with a lower position. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  subscribeToAll(options?: SubscribeOptions): EventSubscription;
  close(): Promise<void>;
};
