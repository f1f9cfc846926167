import type { ExpectedState } from './event-store.port';

/** The stream was not in the state the appender expected (optimistic concurrency conflict). */
export class WrongExpectedVersionError extends Error {
  readonly code = 'wrong_expected_version' as const;
  constructor(
    readonly streamName: string,
    readonly expected: ExpectedState,
    /** Revision of the stream's last event, or -1 when the stream does not exist. */
    readonly actual: number,
  ) {
    super(`stream ${streamName}: expected ${String(expected)}, actual revision ${actual}`);
    this.name = 'WrongExpectedVersionError';
  }
}

/** An event id was already stored in a different stream or at a different place. */
export class DuplicateEventIdError extends Error {
  readonly code = 'duplicate_event_id' as const;
  constructor(readonly eventId: string, readonly streamName: string) {
    super(`event ${eventId} is already stored elsewhere than in stream ${streamName}`);
    this.name = 'DuplicateEventIdError';
  }
}
