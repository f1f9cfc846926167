// Which keys find an account or a contact in the duplicate index. Normalisation and folding
// come from `@crm/identity` (the same code the leads context uses); only the choice of keys
// per record kind lives here.
import type { AccountKind, MatchKeyRule } from '@crm/contracts';
import { foldCompanyName, foldPersonName, matchKeys, ruleOfKey } from '@crm/identity';

export type CustomerMatchKey = { readonly key: string; readonly rule: MatchKeyRule };

type Reachable = { readonly email?: string | null; readonly phone?: string | null };

/** `email:<…>` and `phone:<…>` keys (identity's own), strongest first. */
const contactKeys = (record: Reachable): { key: string; rule: 'email' | 'phone' }[] =>
  matchKeys({ email: record.email, phone: record.phone }).map((key) => ({ key, rule: ruleOfKey(key) as 'email' | 'phone' }));

/**
 * Keys of an account. A company is found by its e-mail, its phone or its folded name
 * (`北京字节跳动科技有限公司` and `北京字节跳动科技` are one company). A person is found by its
 * folded name together with its e-mail or its phone: members of one household often share a
 * phone or a mailbox, so neither alone makes two person accounts the same.
 */
export const accountMatchKeys = (account: Reachable & { readonly kind: AccountKind; readonly name: string }): CustomerMatchKey[] => {
  if (account.kind === 'company') {
    const company = foldCompanyName(account.name);
    return [...contactKeys(account), ...(company.length > 0 ? [{ key: `company:${company}`, rule: 'company_name' as const }] : [])];
  }
  const person = foldPersonName(account.name);
  if (person.length === 0) return [];
  return contactKeys(account).map(({ key, rule }) => ({ key: `person:${person}|${key}`, rule: rule === 'email' ? 'person_email' : 'person_phone' }));
};

/** Keys of a contact: its e-mail, its phone, and its folded name within its account (when it has one). */
export const contactMatchKeys = (contact: Reachable & { readonly name: string; readonly accountId?: string | null }): CustomerMatchKey[] => {
  const person = foldPersonName(contact.name);
  const inAccount = contact.accountId && person.length > 0 ? [{ key: `account-person:${contact.accountId}|${person}`, rule: 'name_in_account' as const }] : [];
  return [...contactKeys(contact), ...inAccount];
};

/** Keys in `next` that `previous` lacks, and the other way round (an update claims the first, releases the second). */
export const keyChanges = (previous: readonly CustomerMatchKey[], next: readonly CustomerMatchKey[]) => {
  const before = new Set(previous.map((k) => k.key));
  const after = new Set(next.map((k) => k.key));
  return { added: next.filter((k) => !before.has(k.key)), removed: previous.filter((k) => !after.has(k.key)) };
};
