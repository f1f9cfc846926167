import { SalesCustomerEventType as T, type AccountEvent, type AccountUpdatedData } from '@crm/contracts';
import type { Decider } from '@crm/domain';
import type { AbsorbAccount, AccountCommand, AccountFields, CreateAccount, MergeAccountInto, UpdateAccount } from './account.commands';
import { CustomerError } from './customer.errors';
import { applyChanges, changedFields, defined } from './profile-changes';

export type ExistingAccount = AccountFields & {
  status: 'active' | 'merged';
  /** Set once the account was merged into another: its id redirects there. */
  mergedInto?: string;
  /** Accounts merged into this one, in merge order. */
  absorbed: string[];
  createdAt: string;
};

export type AccountState = { status: 'none' } | ExistingAccount;

type Changes = AccountUpdatedData['changes'];
const FIELDS = ['name', 'ownerId', 'teamId', 'industry', 'region', 'size', 'tags', 'phone', 'email', 'website'] as const satisfies readonly (keyof Changes)[];

const existing = (state: AccountState, accountId: string): ExistingAccount => {
  if (state.status === 'none') throw new CustomerError('account_not_found', `account ${accountId} does not exist`);
  return state;
};

/** A merged account accepts no more commands; the error names where it went. */
const active = (state: AccountState, accountId: string): ExistingAccount => {
  const account = existing(state, accountId);
  if (account.status === 'merged') {
    throw new CustomerError('account_merged', `account ${accountId} was merged into ${account.mergedInto}`, { survivorId: account.mergedInto });
  }
  return account;
};

const create = ({ data }: CreateAccount, state: AccountState): AccountEvent[] => {
  if (state.status !== 'none') throw new CustomerError('account_already_exists', `account ${data.accountId} already exists`);
  const { now, ...fields } = data;
  return [{ type: T.AccountCreated, data: { ...defined(fields), createdAt: now.toISOString() } }];
};

const update = ({ data }: UpdateAccount, state: AccountState): AccountEvent[] => {
  const account = active(state, data.accountId);
  const changed = changedFields(FIELDS, data.changes, account);
  if (Object.keys(changed).length === 0) return [];
  return [{ type: T.AccountUpdated, data: { accountId: data.accountId, changes: changed, updatedAt: data.now.toISOString() } }];
};

const mergeInto = ({ data }: MergeAccountInto, state: AccountState): AccountEvent[] => {
  if (data.mergedId === data.survivorId) throw new CustomerError('merge_into_self', `account ${data.mergedId} cannot be merged into itself`);
  const account = existing(state, data.mergedId);
  // Repeating the same merge (a retry) changes nothing.
  if (account.status === 'merged' && account.mergedInto === data.survivorId) return [];
  active(state, data.mergedId);
  const { mergedId, survivorId, mergedBy, now } = data;
  return [{ type: T.AccountMergedInto, data: { mergedId, survivorId, ...(mergedBy && { mergedBy }), mergedAt: now.toISOString() } }];
};

const absorb = ({ data }: AbsorbAccount, state: AccountState): AccountEvent[] => {
  if (data.mergedId === data.survivorId) throw new CustomerError('merge_into_self', `account ${data.survivorId} cannot be merged into itself`);
  const account = active(state, data.survivorId);
  if (account.absorbed.includes(data.mergedId)) return [];
  const { mergedId, survivorId, mergedBy, now } = data;
  return [{ type: T.AccountsMerged, data: { survivorId, mergedId, ...(mergedBy && { mergedBy }), mergedAt: now.toISOString() } }];
};

export const accountDecider: Decider<AccountCommand, AccountEvent, AccountState> = {
  initialState: () => ({ status: 'none' }),
  evolve: (state, event) => {
    switch (event.type) {
      case T.AccountCreated: {
        const { createdAt, ...fields } = event.data;
        return { ...fields, createdAt, status: 'active', absorbed: [] };
      }
      case T.AccountUpdated:
        return state.status === 'none' ? state : applyChanges(state, event.data.changes);
      case T.AccountMergedInto:
        return state.status === 'none' ? state : { ...state, status: 'merged', mergedInto: event.data.survivorId };
      case T.AccountsMerged:
        return state.status === 'none' ? state : { ...state, absorbed: [...state.absorbed, event.data.mergedId] };
    }
  },
  decide: (command, state) => {
    switch (command.type) {
      case 'CreateAccount':
        return create(command, state);
      case 'UpdateAccount':
        return update(command, state);
      case 'MergeAccountInto':
        return mergeInto(command, state);
      case 'AbsorbAccount':
        return absorb(command, state);
    }
  },
};
