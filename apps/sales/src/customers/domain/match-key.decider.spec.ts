import { eventSchemas, SalesCustomerEventType as T, type MatchKeyEvent } from '@crm/contracts';
import { DeciderSpecification } from '@crm/domain';
import { matchKeyDecider } from './match-key.decider';

const given = DeciderSpecification.for(matchKeyDecider);
const now = new Date('2026-11-02T09:00:00.000Z');
const at = now.toISOString();
const base = { kind: 'account' as const, rule: 'company_name' as const };
const claimed = (ownerId: string, extra: object = {}): MatchKeyEvent => ({ type: T.MatchKeyClaimed, data: { ...base, ownerId, reason: 'created', claimedAt: at, ...extra } });
const released = (ownerId: string): MatchKeyEvent => ({ type: T.MatchKeyReleased, data: { ...base, ownerId, releasedAt: at } });
const claim = (ownerId: string, takeOverFrom?: string) => ({ type: 'ClaimMatchKey' as const, data: { ...base, ownerId, reason: 'created' as const, takeOverFrom, now } });

describe('Match key decider (the duplicate index)', () => {
  describe('ClaimMatchKey', () => {
    it('claims a free key', () => given([]).when(claim('a')).then([claimed('a')]));
    it('claims a released key', () => given([claimed('a'), released('a')]).when(claim('b')).then([claimed('b')]));
    it('is a no-op for the owner (a retry converges)', () => given([claimed('a')]).when(claim('a')).thenNothingHappened());
    it('refuses a key another record owns, naming it', () =>
      given([claimed('a')]).when(claim('b')).thenThrows('match_key_taken', (e) => expect(e.details).toEqual({ ownerId: 'a', rule: 'company_name' })));
    it('takes over an abandoned claim only from the owner named', () => {
      given([claimed('a')]).when(claim('b', 'a')).then([claimed('b', { previousOwnerId: 'a', reason: 'abandoned_claim' })]);
      given([claimed('c')]).when(claim('b', 'a')).thenThrows('match_key_taken');
    });
  });

  describe('RepointMatchKey (merge)', () => {
    const repoint = { type: 'RepointMatchKey' as const, data: { ...base, fromId: 'loser', toId: 'survivor', now } };
    it('moves the key from the merged record to the survivor', () =>
      given([claimed('loser')]).when(repoint).then([claimed('survivor', { previousOwnerId: 'loser', reason: 'merged' })]));
    it('leaves a key someone else owns, or a free key, alone', () => {
      given([claimed('other')]).when(repoint).thenNothingHappened();
      given([]).when(repoint).thenNothingHappened();
      given([claimed('loser'), claimed('survivor', { previousOwnerId: 'loser', reason: 'merged' })]).when(repoint).thenNothingHappened();
    });
  });

  describe('ReleaseMatchKey', () => {
    const release = (ownerId: string) => ({ type: 'ReleaseMatchKey' as const, data: { ...base, ownerId, now } });
    it('frees the key of its owner', () => given([claimed('a')]).when(release('a')).then([released('a')]));
    it('does nothing for anyone else, or a free key', () => {
      given([claimed('a')]).when(release('b')).thenNothingHappened();
      given([]).when(release('a')).thenNothingHappened();
    });
  });

  it('emits payloads that satisfy the published schemas', () => {
    for (const e of [claimed('a'), claimed('b', { previousOwnerId: 'a', reason: 'merged' }), released('a')]) {
      expect(eventSchemas[e.type].data.safeParse(e.data)).toMatchObject({ success: true });
    }
  });
});
