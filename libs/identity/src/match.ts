// The de-duplication rules shared by leads and sales (DOMAIN.md §1: a capture that matches an
// existing lead or contact attaches to it instead of creating a twin).
//
// Two records match when they share at least one match key:
//  - `email:<local@ascii-domain>`   the same normalised e-mail address (see email.ts);
//  - `phone:<E.164>[;ext=<digits>]` the same E.164 phone number, extension included (phone.ts);
//  - `company-person:<company>|<person>` the same folded company AND the same folded person
//    name, both non-empty (company.ts, person.ts). The folded company never contains `|`.
// Values that do not normalise (invalid e-mail or phone, blank names) give no key, so they
// never match anything. Matching is symmetric by construction: it is "the key sets meet".
import { normalizeEmail } from './email';
import { foldCompanyName } from './company';
import { foldPersonName } from './person';
import { DEFAULT_PHONE_REGION, normalizePhone } from './phone';
import type { CountryCode } from './phone';

export type MatchRule = 'email' | 'phone' | 'company_and_name';

/** Whatever a lead, account or contact knows that can identify it. Raw, un-normalised values. */
export type MatchableRecord = {
  readonly email?: string | null;
  readonly emails?: readonly (string | null | undefined)[];
  readonly phone?: string | null;
  readonly phones?: readonly (string | null | undefined)[];
  readonly companyName?: string | null;
  readonly personName?: string | null;
};

export type MatchOptions = {
  /** Region used for phone numbers written without an international prefix; default `CN`. */
  readonly defaultRegion?: CountryCode;
};

export type MatchKey = `email:${string}` | `phone:${string}` | `company-person:${string}|${string}`;

export type Match<T> = {
  readonly record: T;
  readonly rule: MatchRule;
  /** The key the two records share. */
  readonly key: MatchKey;
};

/** The strongest rule first: a shared mailbox beats a shared phone beats company + name. */
export const MATCH_RULES: readonly MatchRule[] = ['email', 'phone', 'company_and_name'];

const present = (values: readonly (string | null | undefined)[]): string[] =>
  values.filter((value): value is string => typeof value === 'string' && value.trim().length > 0);

export const ruleOfKey = (key: MatchKey): MatchRule =>
  key.startsWith('email:') ? 'email' : key.startsWith('phone:') ? 'phone' : 'company_and_name';

/**
 * Every key `record` can be found by, without duplicates, e-mail keys first, then phone keys,
 * then the company-person key. A store indexes these; two records match iff their keys meet.
 */
export const matchKeys = (record: MatchableRecord, options: MatchOptions = {}): readonly MatchKey[] => {
  const region = options.defaultRegion ?? DEFAULT_PHONE_REGION;
  const keys = new Set<MatchKey>();
  for (const email of present([record.email, ...(record.emails ?? [])])) {
    const normalized = normalizeEmail(email);
    if (normalized.ok) keys.add(`email:${normalized.matchKey}`);
  }
  for (const phone of present([record.phone, ...(record.phones ?? [])])) {
    const normalized = normalizePhone(phone, region);
    if (normalized.ok) keys.add(`phone:${normalized.matchKey}`);
  }
  const company = foldCompanyName(record.companyName ?? '');
  const person = foldPersonName(record.personName ?? '');
  if (company.length > 0 && person.length > 0) keys.add(`company-person:${company}|${person}`);
  return [...keys];
};

/** The key `a` and `b` share under the strongest rule, or `undefined` when they do not match. */
export const sharedKey = (a: MatchableRecord, b: MatchableRecord, options: MatchOptions = {}): MatchKey | undefined => {
  const theirs = new Set(matchKeys(b, options));
  return matchKeys(a, options).find((key) => theirs.has(key));
};

/** The strongest rule under which `a` and `b` match, or `undefined`. Symmetric. */
export const matchRule = (a: MatchableRecord, b: MatchableRecord, options: MatchOptions = {}): MatchRule | undefined => {
  const key = sharedKey(a, b, options);
  return key === undefined ? undefined : ruleOfKey(key);
};

/**
 * The existing record `candidate` should attach to. Rules are tried strongest first (e-mail,
 * then phone, then company + name); within a rule the earliest record in `existing` wins. So an
 * e-mail match later in the list beats a phone match earlier in it.
 */
export const findMatch = <T extends MatchableRecord>(
  candidate: MatchableRecord,
  existing: readonly T[],
  options: MatchOptions = {},
): Match<T> | undefined => {
  const wanted = matchKeys(candidate, options);
  if (wanted.length === 0) return undefined;
  const indexed = existing.map((record) => ({ record, keys: new Set(matchKeys(record, options)) }));
  for (const rule of MATCH_RULES) {
    const keys = wanted.filter((key) => ruleOfKey(key) === rule);
    if (keys.length === 0) continue;
    for (const { record, keys: theirs } of indexed) {
      const key = keys.find((k) => theirs.has(k));
      if (key !== undefined) return { record, rule, key };
    }
  }
  return undefined;
};
