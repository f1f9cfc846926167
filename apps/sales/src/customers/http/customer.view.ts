import type { ExistingAccount } from '../domain/account.decider';
import type { ExistingContact } from '../domain/contact.decider';
import type { AccountResponse } from './account.dto';
import type { ContactResponse } from './contact.dto';

export const accountView = (account: ExistingAccount, revision: number): AccountResponse => {
  const { accountId, absorbed, tags, ...rest } = account;
  return { id: accountId, ...rest, tags: tags ?? [], mergedIds: absorbed, revision };
};

export const contactView = (contact: ExistingContact, revision: number): ContactResponse => {
  const { contactId, absorbed, tags, ...rest } = contact;
  return { id: contactId, ...rest, tags: tags ?? [], mergedIds: absorbed, revision };
};
