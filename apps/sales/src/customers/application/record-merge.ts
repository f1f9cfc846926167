import type { DomainEvent } from '@crm/contracts';
import { ConcurrencyConflictError, handleCommand, loadAggregate, type CommandResult, type Decider } from '@crm/domain';
import type { EventStore } from '@crm/eventstore';
import { commandMetadata, commandOptions, type RequestContext } from '@crm/nest-kit';
import { CustomerError } from '../domain/customer.errors';
import type { RecordKind } from '../domain/match-key.decider';
import { loadRecord, recordKeys } from './customer-records';
import type { MatchKeyIndex } from './match-key-index';

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
 * Merges `mergedId` into `survivorId`, keeping both histories: the merged record's stream gets
 * `…MergedInto` (it redirects from now on), the survivor's gets `…Merged`, then the merged
 * record's match keys are re-pointed at the survivor. Every rule is checked before the first
 * write; each step is idempotent, so a retry (same Idempotency-Key or none) completes a merge
 * that stopped half-way. `If-Match` applies to the survivor.
 */
export const mergeRecords = async <Command, Event extends DomainEvent, State>(
  store: EventStore,
  index: MatchKeyIndex,
  spec: MergeSpec<Command, Event, State>,
  ctx: RequestContext,
  survivorId: string,
  mergedId: string,
  now: Date,
): Promise<CommandResult<Event, State>> => {
  const data: MergeData = { mergedId, survivorId, mergedBy: ctx.actor, now };
  const survivorStream = spec.stream(survivorId);
  const { state: survivor, revision } = await loadAggregate(store, survivorStream, spec.decider, ctx.tenantId);
  if (revision === -1) throw new CustomerError(`${spec.kind}_not_found`, `${spec.kind} ${survivorId} does not exist`);
  const replay = ctx.idempotencyKey !== undefined
    && (await store.readStream(survivorStream)).some((e) => e.metadata.idempotencyKey === ctx.idempotencyKey);
  if (!replay) {
    if (ctx.expectedRevision !== undefined && ctx.expectedRevision !== revision) throw new ConcurrencyConflictError(survivorStream, ctx.expectedRevision, revision);
    // The survivor's rules (not merged itself, not the same record), checked before anything is written.
    spec.decider.decide(spec.absorb(data), survivor);
  }
  const merged = await loadRecord(store, ctx.tenantId, spec.kind, mergedId);
  if (!merged) throw new CustomerError(`unknown_${spec.kind}`, `${spec.kind} ${mergedId} (to merge) does not exist`, { mergedId });
  const options = { ...commandOptions(ctx), expectedRevision: undefined };
  await handleCommand(store, spec.stream(mergedId), spec.decider, spec.mergeInto(data), options);
  const result = await handleCommand(store, survivorStream, spec.decider, spec.absorb(data), options);
  await index.repoint({ tenantId: ctx.tenantId, metadata: commandMetadata(ctx) }, spec.kind, recordKeys(spec.kind, merged), mergedId, survivorId);
  return result;
};
