import { createHash } from 'node:crypto';
import type { EventMetadata, MatchKeyRule } from '@crm/contracts';
import { handleCommand, loadAggregate, type Clock } from '@crm/domain';
import type { EventStore } from '@crm/eventstore';
import { CLOCK, EVENT_STORE } from '@crm/nest-kit';
import { Inject, Injectable } from '@nestjs/common';
import { CustomerError } from '../domain/customer.errors';
import { matchKeyDecider, type MatchKeyCommand, type RecordKind } from '../domain/match-key.decider';
import type { CustomerMatchKey } from '../domain/match-keys';
import { followMerges, loadRecord, recordIdOf, recordKeys, type ExistingRecord } from './customer-records';

/**
 * How long a claim whose record was never written counts as a create still in flight. After that
 * it is abandoned (the creator crashed between claiming and appending) and may be taken over.
 */
export const CLAIM_GRACE_MS = 5 * 60_000;

/** Merges absorbed into merges are followed this deep when checking who really holds a key. */
const MAX_ABSORBED_DEPTH = 4;

/** `accountkey-<tenant>-<hash>`: the key is hashed so the stream name carries no e-mail or phone. */
export const matchKeyStream = (tenantId: string, kind: RecordKind, key: string): string =>
  `${kind}key-${tenantId}-${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;

/**
 * Who a key leads to, checked against the records themselves (the index is a claim, the records are
 * the truth): `held` by a live record that has (or absorbed a record that has) the value behind the
 * key; `pending` on a claim whose record is not written yet (within the grace period); `stale` when
 * the claim is abandoned or its owner no longer has the value; or `free`.
 */
export type KeyOwnership =
  | { status: 'free' }
  | { status: 'held'; rawOwnerId: string; ownerId: string; owner: ExistingRecord }
  | { status: 'pending'; rawOwnerId: string }
  | { status: 'stale'; rawOwnerId: string };

export type DuplicateMatch = { id: string; matchedOn: MatchKeyRule; name: string };

export type IndexScope = { tenantId: string; metadata: EventMetadata };

const duplicateError = (kind: RecordKind, existingId: string, matchedOn: MatchKeyRule) =>
  new CustomerError(kind === 'account' ? 'duplicate_account' : 'duplicate_contact', `this ${kind} matches ${kind} ${existingId} (same ${matchedOn.replace(/_/g, ' ')})`, {
    existingId,
    matchedOn,
  });

/**
 * The duplicate index in the event store: one stream per (tenant, kind, match key) that records
 * which record owns the key. A first claim appends with expected revision "no stream", so of two
 * concurrent creates of the same company exactly one gets the key.
 */
@Injectable()
export class MatchKeyIndex {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async ownership(tenantId: string, kind: RecordKind, key: CustomerMatchKey): Promise<KeyOwnership> {
    const { state } = await loadAggregate(this.store, matchKeyStream(tenantId, kind, key.key), matchKeyDecider, tenantId);
    if (state.status === 'free') return state;
    const rawOwnerId = state.ownerId;
    const owner = await loadRecord(this.store, tenantId, kind, rawOwnerId);
    if (!owner) {
      const inFlight = Date.parse(state.claimedAt) + CLAIM_GRACE_MS > this.clock.now().getTime();
      return inFlight ? { status: 'pending', rawOwnerId } : { status: 'stale', rawOwnerId };
    }
    if (!(await this.holds(tenantId, kind, owner, key.key, MAX_ABSORBED_DEPTH))) return { status: 'stale', rawOwnerId };
    // The owner is already read: follow its merges from there rather than reading it again.
    const live = await followMerges(this.store, tenantId, kind, owner);
    return live ? { status: 'held', rawOwnerId, ownerId: recordIdOf(kind, live), owner: live } : { status: 'stale', rawOwnerId };
  }

  /** The live records the keys lead to (with the name already read), strongest key first, each record once. Writes nothing. */
  async matches(tenantId: string, kind: RecordKind, keys: readonly CustomerMatchKey[]): Promise<DuplicateMatch[]> {
    const found = new Map<string, DuplicateMatch>();
    for (const key of keys) {
      const owner = await this.ownership(tenantId, kind, key);
      if (owner.status === 'held' && !found.has(owner.ownerId)) found.set(owner.ownerId, { id: owner.ownerId, matchedOn: key.rule, name: owner.owner.name });
    }
    return [...found.values()];
  }

  /** 409 `duplicate_<kind>` when another record holds (or is creating with) one of the keys. Writes nothing. */
  async assertFree(tenantId: string, kind: RecordKind, keys: readonly CustomerMatchKey[], ownerId: string): Promise<void> {
    await this.ownershipsFreeFor(tenantId, kind, keys, ownerId);
  }

  /** Each key's ownership, read once; throws as `assertFree` when another record has one of them. */
  private async ownershipsFreeFor(tenantId: string, kind: RecordKind, keys: readonly CustomerMatchKey[], ownerId: string): Promise<KeyOwnership[]> {
    const owners: KeyOwnership[] = [];
    for (const key of keys) {
      const owner = await this.ownership(tenantId, kind, key);
      if (owner.status === 'held' && owner.ownerId !== ownerId && owner.rawOwnerId !== ownerId) throw duplicateError(kind, owner.ownerId, key.rule);
      if (owner.status === 'pending' && owner.rawOwnerId !== ownerId) throw duplicateError(kind, owner.rawOwnerId, key.rule);
      owners.push(owner);
    }
    return owners;
  }

  /**
   * Claims every key for `ownerId` or none: checks first (nothing written on a duplicate), then
   * claims one by one; a claim lost to a concurrent create releases the keys this call claimed and
   * answers 409 with the winner. Keys the owner already has are skipped, so a retry converges.
   */
  async claimAll(scope: IndexScope, kind: RecordKind, keys: readonly CustomerMatchKey[], ownerId: string, reason: 'created' | 'updated'): Promise<void> {
    // The ownerships checked are the ones claimed against: a key taken since is caught by the key's decider.
    const owners = await this.ownershipsFreeFor(scope.tenantId, kind, keys, ownerId);
    const claimed: CustomerMatchKey[] = [];
    for (const [i, key] of keys.entries()) {
      const owner = owners[i];
      // Held by a record merged into this one: it already leads here.
      if (owner.status === 'held' && owner.ownerId === ownerId && owner.rawOwnerId !== ownerId) continue;
      try {
        await this.claimOne(scope, kind, key, ownerId, reason, owner);
        claimed.push(key);
      } catch (error) {
        if (!(error instanceof CustomerError) || error.code !== 'match_key_taken') throw error;
        await this.release(scope, kind, claimed, ownerId);
        throw duplicateError(kind, String(error.details?.ownerId), key.rule);
      }
    }
  }

  /** Claims the keys nobody else holds and leaves the others with their owners (create anyway, or an update). */
  async claimFree(scope: IndexScope, kind: RecordKind, keys: readonly CustomerMatchKey[], ownerId: string, reason: 'created' | 'updated'): Promise<void> {
    for (const key of keys) {
      const owner = await this.ownership(scope.tenantId, kind, key);
      if (owner.status === 'held' || owner.status === 'pending') continue;
      try {
        await this.claimOne(scope, kind, key, ownerId, reason, owner);
      } catch (error) {
        // Someone claimed it between the read and the claim: it is theirs.
        if (!(error instanceof CustomerError) || error.code !== 'match_key_taken') throw error;
      }
    }
  }

  async release(scope: IndexScope, kind: RecordKind, keys: readonly CustomerMatchKey[], ownerId: string): Promise<void> {
    for (const { key, rule } of keys) await this.run(scope, kind, key, { type: 'ReleaseMatchKey', data: { kind, rule, ownerId, now: this.clock.now() } });
  }

  private claimOne(scope: IndexScope, kind: RecordKind, key: CustomerMatchKey, ownerId: string, reason: 'created' | 'updated', owner: KeyOwnership) {
    const takeOverFrom = owner.status === 'stale' ? owner.rawOwnerId : undefined;
    return this.run(scope, kind, key.key, { type: 'ClaimMatchKey', data: { kind, rule: key.rule, ownerId, reason, ...(takeOverFrom && { takeOverFrom }), now: this.clock.now() } });
  }

  /** Key streams get no Idempotency-Key: their commands are idempotent by state, and a claim and a release may share one request. */
  private run(scope: IndexScope, kind: RecordKind, key: string, command: MatchKeyCommand) {
    return handleCommand(this.store, matchKeyStream(scope.tenantId, kind, key), matchKeyDecider, command, { metadata: scope.metadata });
  }

  /** Whether `record`, or a record merged into it, has the value behind `key`. */
  private async holds(tenantId: string, kind: RecordKind, record: ExistingRecord, key: string, depth: number): Promise<boolean> {
    if (recordKeys(kind, record).some((k) => k.key === key)) return true;
    if (depth === 0) return false;
    for (const absorbedId of record.absorbed) {
      const absorbed = await loadRecord(this.store, tenantId, kind, absorbedId);
      if (absorbed && (await this.holds(tenantId, kind, absorbed, key, depth - 1))) return true;
    }
    return false;
  }
}
