import { streamCategory, type RecordedEvent } from '@crm/contracts';
import type { EventFilter, ExpectedState, StreamAppend } from './event-store.port';

/** Whether an event passes a `$all` filter. Empty lists and a missing filter match everything. */
export const matchesFilter = (event: Pick<RecordedEvent, 'type' | 'streamName'>, filter?: EventFilter): boolean => {
  if (!filter) return true;
  const { categories, streamPrefixes, eventTypes, eventTypePrefixes } = filter;
  if (categories?.length && !categories.includes(streamCategory(event.streamName))) return false;
  if (streamPrefixes?.length && !streamPrefixes.some((p) => event.streamName.startsWith(p))) return false;
  if (eventTypes?.length && !eventTypes.includes(event.type)) return false;
  if (eventTypePrefixes?.length && !eventTypePrefixes.some((p) => event.type.startsWith(p))) return false;
  return true;
};

/** Whether a stream whose last revision is `actual` (-1: no stream) satisfies `expected`. */
export const expectedStateHolds = (expected: ExpectedState, actual: number): boolean => {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return actual === -1;
    case 'stream_exists':
      return actual >= 0;
    default:
      return actual === expected;
  }
};

/** `appendToStreams` takes each stream once: two entries for one stream would race their own expectations. */
export const assertDistinctStreams = (appends: readonly StreamAppend[]): void => {
  const names = new Set(appends.map((a) => a.streamName));
  if (names.size !== appends.length) throw new TypeError('appendToStreams: a stream may appear only once per call');
};
