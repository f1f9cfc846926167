import { newId, type DomainEvent, type EventMetadata, type RecordedEvent } from '@crm/contracts';
import { WrongExpectedVersionError, type EventStore } from '@crm/eventstore';
import type { Decider } from './decider';
import { ConcurrencyConflictError, DomainError, TooMuchContentionError } from './domain-error';

export type CommandOptions = {
  /** Metadata stamped on every new event (tenant, actor, correlation, trace). */
  metadata: EventMetadata;
  /** The revision the caller last saw (HTTP `If-Match`): a mismatch is a 409, never retried. */
  expectedRevision?: number;
  /** HTTP `Idempotency-Key`: when events with this key are in the stream, they are replayed and nothing is appended. */
  idempotencyKey?: string;
  /** Re-read and retry this many times on a concurrent write when no `expectedRevision` was given (default 10). */
  maxRetries?: number;
  /** Event ids; a fresh UUIDv7 per event by default. */
  newEventId?: () => string;
};

export type AppendedEvent<Event extends DomainEvent = DomainEvent> = Event & { id: string; revision: number };

export type CommandResult<Event extends DomainEvent, State> = {
  /** State after the command (or, for a replay, the current state). */
  state: State;
  /** The events this command appended, or the ones the first attempt appended when replayed. */
  events: AppendedEvent<Event>[];
  /** The stream's revision now: the new `ETag`. -1 when the stream still does not exist. */
  revision: number;
  /** True when the idempotency key had been seen and nothing was appended. */
  replayed: boolean;
};

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The one command handler every service uses: read the stream, fold it, decide, append with
 * the expected revision. On a concurrent write it re-reads and retries (bounded, with jittered
 * back-off) unless the caller supplied the revision, in which case it is a conflict.
 */
export const handleCommand = async <Command, Event extends DomainEvent, State>(
  store: EventStore,
  streamName: string,
  decider: Decider<Command, Event, State>,
  command: Command,
  options: CommandOptions,
): Promise<CommandResult<Event, State>> => {
  const maxRetries = options.expectedRevision === undefined ? (options.maxRetries ?? 10) : 0;
  const eventId = options.newEventId ?? newId;
  for (let attempt = 0; ; attempt++) {
    const history = ownHistory(await store.readStream(streamName), streamName, options.metadata.tenantId);
    const current = history.length === 0 ? -1 : history[history.length - 1].revision;
    let state = decider.initialState();
    const earlier: RecordedEvent[] = [];
    for (const e of history) {
      state = decider.evolve(state, { type: e.type, data: e.data } as Event);
      if (options.idempotencyKey !== undefined && e.metadata.idempotencyKey === options.idempotencyKey) earlier.push(e);
    }
    if (earlier.length > 0) {
      return { state, events: earlier.map(toAppended<Event>), revision: current, replayed: true };
    }
    if (options.expectedRevision !== undefined && options.expectedRevision !== current) {
      throw new ConcurrencyConflictError(streamName, options.expectedRevision, current);
    }

    const decided = decider.decide(command, state);
    if (decided.length === 0) return { state, events: [], revision: current, replayed: false };

    const metadata: EventMetadata = options.idempotencyKey === undefined
      ? options.metadata
      : { ...options.metadata, idempotencyKey: options.idempotencyKey };
    const toAppend = decided.map((e) => ({ id: eventId(), type: e.type, data: e.data, metadata }));
    try {
      await store.appendToStream(streamName, toAppend, { expectedState: current === -1 ? 'no_stream' : current });
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      if (options.expectedRevision !== undefined) {
        throw new ConcurrencyConflictError(streamName, options.expectedRevision, error.actual);
      }
      if (attempt >= maxRetries) throw new TooMuchContentionError(streamName, attempt + 1);
      await pause(Math.random() * Math.min(100, 2 ** attempt * 5));
      continue;
    }
    const events = decided.map((e, i) => ({ ...e, id: toAppend[i].id, revision: current + 1 + i }));
    return { state: decided.reduce(decider.evolve, state), events, revision: current + decided.length, replayed: false };
  }
};

/** A stream written under another tenant does not exist for this one. */
export class ForeignStreamError extends DomainError<'not_found'> {
  constructor(streamName: string) {
    super('not_found', `${streamName} does not exist`, 'not_found');
  }
}

const ownHistory = (history: RecordedEvent[], streamName: string, tenantId: string): RecordedEvent[] => {
  if (history.length > 0 && history[0].metadata.tenantId !== tenantId) throw new ForeignStreamError(streamName);
  return history;
};

export type LoadedAggregate<State> = { state: State; revision: number };

/** Reads and folds one stream for a tenant (revision -1: no such stream for this tenant). */
export const loadAggregate = async <Event extends DomainEvent, State>(
  store: EventStore,
  streamName: string,
  decider: Pick<Decider<unknown, Event, State>, 'initialState' | 'evolve'>,
  tenantId: string,
): Promise<LoadedAggregate<State>> => {
  return foldHistory(decider, await store.readStream(streamName), tenantId);
};

/**
 * `loadAggregate` on a stream already read (e.g. with others, in one `readStreams`): the folded
 * state and revision, where a stream written under another tenant does not exist for this one (-1).
 */
export const foldHistory = <Event extends DomainEvent, State>(
  decider: Pick<Decider<unknown, Event, State>, 'initialState' | 'evolve'>,
  history: readonly RecordedEvent[],
  tenantId: string,
): LoadedAggregate<State> => {
  if (history.length === 0 || history[0].metadata.tenantId !== tenantId) return { state: decider.initialState(), revision: -1 };
  return {
    state: history.reduce((s, e) => decider.evolve(s, { type: e.type, data: e.data } as Event), decider.initialState()),
    revision: history[history.length - 1].revision,
  };
};

const toAppended = <Event extends DomainEvent>(e: RecordedEvent): AppendedEvent<Event> =>
  ({ type: e.type, data: e.data, id: e.id, revision: e.revision }) as AppendedEvent<Event>;
