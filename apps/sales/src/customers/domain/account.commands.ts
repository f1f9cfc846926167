import type { AccountCreatedData, AccountKind, AccountProfile, AccountUpdatedData } from '@crm/contracts';

export type CreateAccount = {
  type: 'CreateAccount';
  data: AccountProfile & { accountId: string; kind: AccountKind; fromLeadId?: string; now: Date };
};

/** Fields left out stay as they are; `null` clears an optional field. */
export type UpdateAccount = { type: 'UpdateAccount'; data: { accountId: string; changes: AccountUpdatedData['changes']; now: Date } };

/** On the merged (losing) account: from now on it redirects to the survivor. */
export type MergeAccountInto = { type: 'MergeAccountInto'; data: { mergedId: string; survivorId: string; mergedBy?: string; now: Date } };

/** On the surviving account: it absorbs the merged one (whose history stays on its own stream). */
export type AbsorbAccount = { type: 'AbsorbAccount'; data: { survivorId: string; mergedId: string; mergedBy?: string; now: Date } };

export type AccountCommand = CreateAccount | UpdateAccount | MergeAccountInto | AbsorbAccount;

export type AccountFields = Omit<AccountCreatedData, 'createdAt'>;
