import { newId, type DomainEvent, type EventMetadata, type NewEvent } from '@crm/contracts';
import { ConcurrencyConflictError, foldHistory, TooMuchContentionError, type AppendedEvent, type CommandResult, type Decider } from '@crm/domain';
import { WrongExpectedVersionError, type EventStore, type StreamAppend } from '@crm/eventstore';
import { commandMetadata, type RequestContext } from '@crm/nest-kit';
import { CustomerError } from '../domain/customer.errors';
import { matchKeyDecider, type RecordKind } from '../domain/match-key.decider';
import type { CustomerMatchKey } from '../domain/match-keys';
import { recordKeys, type ExistingRecord } from './customer-records';
import { matchKeyStream } from './match-key-index';

type MergeData = { mergedId: string; survivorId: string; mergedBy?: string; now: Date };

export type MergeSpec<Command, Event extends DomainEvent, State> = {
  kind: RecordKind;
  decider: Decider<Command, Event, State>;
  stream: (id: string) => string;
  /** The command for the merged record's stream, and the one for the survivor's. */
  mergeInto: (data: MergeData) => Command;
  absorb: (data: MergeData) => Command;
};

/**
 * Reads and appends per attempt. The first attempt of a merged record that has match keys reads
 * twice (its keys name the streams to read), so this leaves room for that and for contention.
 */
const MAX_ATTEMPTS = 12;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const sameKeys = (a: readonly CustomerMatchKey[], b: readonly CustomerMatchKey[]): boolean =>
  a.length === b.length && a.every((key, i) => key.key === b[i].key);

/**
 * Merges `mergedId` into `survivorId`, keeping both histories: the merged record's stream gets
 * `…MergedInto` (it redirects from now on), the survivor's gets `…Merged`, and the merged record's
 * match keys are re-pointed at the survivor (`MatchKeyClaimed`, reason `merged`).
 *
 * All of it is ONE atomic `appendToStreams`: the survivor, the merged record and its key streams
 * are read with one `readStreams`, the pure deciders decide every stream's events, and each
 * stream is appended at the revision just read. So a merge is written whole or not at all, and
 * of two merges touching the same records (e.g. the same pair in opposite directions) only one
 * can commit; the other re-reads and then meets the first one's result (422 `…_merged`).
 *
 * `If-Match` applies to the survivor: checked against every read, so a conflict re-reads and
 * answers 409 when the survivor moved on (a conflict on the merged record or a key only re-reads).
 * The survivor's and the merged record's events carry the Idempotency-Key, as `handleCommand`
 * stores it: a retry finds it on the survivor, decides nothing new and answers the first result.
 */
export const mergeRecords = async <Command, Event extends DomainEvent, State>(
  store: EventStore,
  spec: MergeSpec<Command, Event, State>,
  ctx: RequestContext,
  survivorId: string,
  mergedId: string,
  now: Date,
): Promise<CommandResult<Event, State>> => {
  const data: MergeData = { mergedId, survivorId, mergedBy: ctx.actor, now };
  const survivorStream = spec.stream(survivorId);
  const mergedStream = spec.stream(mergedId);
  const keyMetadata = commandMetadata(ctx);
  // Key streams get no Idempotency-Key: their commands are idempotent by state (as in MatchKeyIndex).
  const recordMetadata: EventMetadata = ctx.idempotencyKey === undefined ? keyMetadata : { ...keyMetadata, idempotencyKey: ctx.idempotencyKey };
  const toNew = (events: readonly DomainEvent[], metadata: EventMetadata): (NewEvent & { id: string })[] =>
    events.map((e) => ({ id: newId(), type: e.type, data: e.data, metadata }));
  // The merged record's keys as last read: they name the key streams the next read includes.
  let keys: CustomerMatchKey[] = [];

  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const keyStreams = keys.map((k) => matchKeyStream(ctx.tenantId, spec.kind, k.key));
    const [survivorRead, mergedRead, ...keyReads] = await store.readStreams([survivorStream, mergedStream, ...keyStreams]);

    // The survivor: exists (else 404), If-Match, its rules; all before anything is written.
    const { state: survivor, revision: survivorRevision } = foldHistory(spec.decider, survivorRead, ctx.tenantId);
    if (survivorRevision === -1) throw new CustomerError(`${spec.kind}_not_found`, `${spec.kind} ${survivorId} does not exist`);
    const earlier = ctx.idempotencyKey === undefined ? [] : survivorRead.filter((e) => e.metadata.idempotencyKey === ctx.idempotencyKey);
    const replay = earlier.length > 0;
    if (!replay && ctx.expectedRevision !== undefined && ctx.expectedRevision !== survivorRevision) {
      throw new ConcurrencyConflictError(survivorStream, ctx.expectedRevision, survivorRevision);
    }
    // A replay decides nothing for the survivor: the first attempt already wrote its part.
    const survivorEvents = replay ? [] : spec.decider.decide(spec.absorb(data), survivor);

    // The merged record: exists (else 422), its rules (a repeat of the same merge decides nothing).
    const { state: merged, revision: mergedRevision } = foldHistory(spec.decider, mergedRead, ctx.tenantId);
    const mergedRecord = merged as unknown as { status: 'none' } | ExistingRecord;
    if (mergedRecord.status === 'none') throw new CustomerError(`unknown_${spec.kind}`, `${spec.kind} ${mergedId} (to merge) does not exist`, { mergedId });
    const mergedEvents = spec.decider.decide(spec.mergeInto(data), merged);

    // Its keys: the streams to read are only known from the record, so a first read (or a profile
    // changed since the last one) reads again with the right key streams before deciding.
    const mergedKeys = recordKeys(spec.kind, mergedRecord);
    if (!sameKeys(mergedKeys, keys)) {
      keys = mergedKeys;
      continue;
    }
    const keyAppends: StreamAppend[] = [];
    keys.forEach(({ rule }, i) => {
      const key = foldHistory(matchKeyDecider, keyReads[i], ctx.tenantId);
      const events = matchKeyDecider.decide({ type: 'RepointMatchKey', data: { kind: spec.kind, rule, fromId: mergedId, toId: survivorId, now } }, key.state);
      if (events.length > 0) keyAppends.push({ streamName: keyStreams[i], events: toNew(events, keyMetadata), expectedState: key.revision });
    });

    const survivorNew = toNew(survivorEvents, recordMetadata);
    if (mergedEvents.length > 0 || survivorNew.length > 0 || keyAppends.length > 0) {
      try {
        await store.appendToStreams([
          // Both records are checked at the revision read, also when one of them gets no event.
          { streamName: mergedStream, events: toNew(mergedEvents, recordMetadata), expectedState: mergedRevision },
          { streamName: survivorStream, events: survivorNew, expectedState: survivorRevision },
          ...keyAppends,
        ]);
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        // Someone wrote to one of the streams since the read: read again (If-Match is checked there).
        await pause(Math.random() * Math.min(100, 2 ** attempt * 5));
        continue;
      }
    }
    if (replay) {
      const events = earlier.map((e) => ({ type: e.type, data: e.data, id: e.id, revision: e.revision }) as AppendedEvent<Event>);
      return { state: survivor, events, revision: survivorRevision, replayed: true };
    }
    return {
      state: survivorEvents.reduce(spec.decider.evolve, survivor),
      events: survivorEvents.map((e, i) => ({ ...e, id: survivorNew[i].id, revision: survivorRevision + 1 + i })),
      revision: survivorRevision + survivorEvents.length,
      replayed: false,
    };
  }
  throw new TooMuchContentionError(survivorStream, MAX_ATTEMPTS);
};
