import { SalesCustomerEventType as T, type MatchKeyEvent, type MatchKeyRule } from '@crm/contracts';
import type { Decider } from '@crm/domain';
import { CustomerError } from './customer.errors';

export type RecordKind = 'account' | 'contact';

/**
 * Claims a key for a record. Free → claimed; already this record's → nothing; another record's →
 * `match_key_taken`, unless the caller established that this owner is gone (`takeOverFrom`: a claim
 * whose record was never written) and names it.
 */
export type ClaimMatchKey = {
  type: 'ClaimMatchKey';
  data: { kind: RecordKind; rule: MatchKeyRule; ownerId: string; reason: 'created' | 'updated'; takeOverFrom?: string; now: Date };
};

/** A merge: the key follows the merged record to the survivor (only while the merged record owns it). */
export type RepointMatchKey = { type: 'RepointMatchKey'; data: { kind: RecordKind; rule: MatchKeyRule; fromId: string; toId: string; now: Date } };

/** The owner no longer has the value behind the key (only its owner can release it). */
export type ReleaseMatchKey = { type: 'ReleaseMatchKey'; data: { kind: RecordKind; rule: MatchKeyRule; ownerId: string; now: Date } };

export type MatchKeyCommand = ClaimMatchKey | RepointMatchKey | ReleaseMatchKey;

export type MatchKeyState = { status: 'free' } | { status: 'claimed'; ownerId: string; claimedAt: string };

export const matchKeyDecider: Decider<MatchKeyCommand, MatchKeyEvent, MatchKeyState> = {
  initialState: () => ({ status: 'free' }),
  evolve: (_, event) =>
    event.type === T.MatchKeyClaimed ? { status: 'claimed', ownerId: event.data.ownerId, claimedAt: event.data.claimedAt } : { status: 'free' },
  decide: (command, state) => {
    const owner = state.status === 'claimed' ? state.ownerId : undefined;
    switch (command.type) {
      case 'ClaimMatchKey': {
        const { kind, rule, ownerId, reason, takeOverFrom, now } = command.data;
        if (owner === ownerId) return [];
        if (owner !== undefined && owner !== takeOverFrom) {
          throw new CustomerError('match_key_taken', `the ${rule} key belongs to ${kind} ${owner}`, { ownerId: owner, rule });
        }
        return [{
          type: T.MatchKeyClaimed,
          data: { kind, rule, ownerId, ...(owner !== undefined && { previousOwnerId: owner }), reason: owner === undefined ? reason : 'abandoned_claim', claimedAt: now.toISOString() },
        }];
      }
      case 'RepointMatchKey': {
        const { kind, rule, fromId, toId, now } = command.data;
        if (owner !== fromId) return [];
        return [{ type: T.MatchKeyClaimed, data: { kind, rule, ownerId: toId, previousOwnerId: fromId, reason: 'merged', claimedAt: now.toISOString() } }];
      }
      case 'ReleaseMatchKey': {
        const { kind, rule, ownerId, now } = command.data;
        if (owner !== ownerId) return [];
        return [{ type: T.MatchKeyReleased, data: { kind, rule, ownerId, releasedAt: now.toISOString() } }];
      }
    }
  },
};
