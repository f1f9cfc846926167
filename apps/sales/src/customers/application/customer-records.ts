import { accountStream, contactStream } from '@crm/contracts';
import { loadAggregate } from '@crm/domain';
import type { EventStore } from '@crm/eventstore';
import { accountDecider, type ExistingAccount } from '../domain/account.decider';
import { contactDecider, type ExistingContact } from '../domain/contact.decider';
import { accountMatchKeys, contactMatchKeys, type CustomerMatchKey } from '../domain/match-keys';
import type { RecordKind } from '../domain/match-key.decider';

export type ExistingRecord = ExistingAccount | ExistingContact;

/** One account or contact as its stream folds, or `undefined` when the tenant has no such record. */
export const loadRecord = async (store: EventStore, tenantId: string, kind: RecordKind, id: string): Promise<ExistingRecord | undefined> => {
  const { state } = kind === 'account'
    ? await loadAggregate(store, accountStream(id), accountDecider, tenantId)
    : await loadAggregate(store, contactStream(id), contactDecider, tenantId);
  return state.status === 'none' ? undefined : state;
};

/** The keys a record can be found by, from its own (current) profile. */
export const recordKeys = (kind: RecordKind, record: ExistingRecord): CustomerMatchKey[] =>
  kind === 'account' ? accountMatchKeys(record as ExistingAccount) : contactMatchKeys(record as ExistingContact);

/** Merge chains are short; a longer one means a cycle (only merges written before merges were atomic can form one), which is not followed. */
export const MAX_MERGE_HOPS = 16;

/** Where a record already read leads now: itself, the survivor it was merged into (transitively), or `undefined`. */
export const followMerges = async (store: EventStore, tenantId: string, kind: RecordKind, from: ExistingRecord | undefined): Promise<ExistingRecord | undefined> => {
  let record = from;
  for (let hop = 0; record?.status === 'merged' && hop < MAX_MERGE_HOPS; hop++) {
    record = await loadRecord(store, tenantId, kind, record.mergedInto!);
  }
  return record?.status === 'active' ? record : undefined;
};

/** Where an id leads now: itself, the survivor it was merged into (transitively), or `undefined` when it does not exist. */
export const resolveRecord = async (store: EventStore, tenantId: string, kind: RecordKind, id: string): Promise<ExistingRecord | undefined> =>
  followMerges(store, tenantId, kind, await loadRecord(store, tenantId, kind, id));

export const recordIdOf = (kind: RecordKind, record: ExistingRecord): string =>
  kind === 'account' ? (record as ExistingAccount).accountId : (record as ExistingContact).contactId;
