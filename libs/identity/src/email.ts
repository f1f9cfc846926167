// E-mail normalisation for matching and storage (DOMAIN.md §1 "e-mail lower-cased").
//
// The rule, in order:
//  1. NFKC, so full-width forms typed with a Chinese IME become ASCII (`＠` → `@`, `．` → `.`,
//     `ｚｈａｎｇ` → `zhang`); the ideographic full stop `。` also becomes `.`; zero-width
//     characters are dropped; a leading `mailto:` is dropped; the ends are trimmed.
//  2. The whole address is lower-cased (local part included: no provider we see treats case
//     as significant, and RFC 5321's case-sensitive local part is not worth twins).
//  3. Syntax: exactly one `@`, no white space. The local part is an RFC 5322 `dot-atom`
//     (ASCII letters, digits and !#$%&'*+/=?^_`{|}~- ; dots only between characters; at most
//     64 characters). Quoted local parts, comments and non-ASCII local parts (RFC 6531) are
//     rejected. The domain is a host name: IDN allowed (converted to its ASCII/punycode form
//     with the WHATWG URL host parser, i.e. UTS #46), then every label is 1–63 LDH
//     characters not starting or ending with `-`, at least two labels, a non-numeric
//     top-level label, at most 253 characters. IP literals and single-label domains
//     (`user@localhost`) are rejected. The whole ASCII address is at most 254 characters.
//  4. No provider-specific rewriting: `+tag` sub-addresses and Gmail's ignored dots are
//     kept, because many providers treat them as different mailboxes and a wrong merge is
//     worse than a twin (twins can be merged explicitly, DOMAIN.md §1).
//
// `value` keeps the domain as typed (Unicode or punycode, lower-cased); `matchKey` uses the
// ASCII domain so `user@münchen.de` and `user@xn--mnchen-3ya.de` match.
import { nfkcLower } from './text';

export type EmailRejection = 'empty' | 'missing_at' | 'multiple_at' | 'invalid_local_part' | 'invalid_domain' | 'too_long';

export type NormalizedEmail = {
  readonly ok: true;
  /** `local@domain`, lower-cased, domain as typed (Unicode or punycode). */
  readonly value: string;
  readonly local: string;
  readonly domain: string;
  /** The domain in ASCII (punycode) form. */
  readonly asciiDomain: string;
  /** `local@asciiDomain`: equal for two addresses exactly when they are the same mailbox here. */
  readonly matchKey: string;
};

export type RejectedEmail = { readonly ok: false; readonly reason: EmailRejection };

export type EmailResult = NormalizedEmail | RejectedEmail;

const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;
const MAX_ADDRESS = 254;

const ATEXT = "a-z0-9!#$%&'*+/=?^_`{|}~-";
const DOT_ATOM = new RegExp(`^[${ATEXT}]+(?:\\.[${ATEXT}]+)*$`);
const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** A character a (lower-cased) host name may not hold: any ASCII other than letters, digits, `-` and `.`. */
const FORBIDDEN_ASCII_IN_DOMAIN = /[^a-z0-9.\-\u0080-\u{10FFFF}]/u;

const reject = (reason: EmailRejection): RejectedEmail => ({ ok: false, reason });

/** The ASCII form of a host name, or `undefined` when it is not a valid internet host name. */
const toAsciiDomain = (domain: string): string | undefined => {
  if (domain.length === 0 || FORBIDDEN_ASCII_IN_DOMAIN.test(domain)) return undefined;
  let ascii: string;
  try {
    ascii = new URL(`http://${domain}/`).hostname;
  } catch {
    return undefined;
  }
  if (ascii.length > MAX_DOMAIN) return undefined;
  const labels = ascii.split('.');
  if (labels.length < 2) return undefined;
  if (!labels.every((label) => LDH_LABEL.test(label))) return undefined;
  if (/^\d+$/.test(labels[labels.length - 1])) return undefined;
  return ascii;
};

export const normalizeEmail = (raw: string): EmailResult => {
  const text = nfkcLower(raw)
    .replace(/\u3002/g, '.')
    .trim()
    .replace(/^mailto:/, '');
  if (text.length === 0) return reject('empty');
  const parts = text.split('@');
  if (parts.length < 2) return reject('missing_at');
  if (parts.length > 2) return reject('multiple_at');
  const [local, domain] = parts;
  if (/\s/u.test(local) || !DOT_ATOM.test(local)) return reject('invalid_local_part');
  if (local.length > MAX_LOCAL) return reject('too_long');
  if (/\s/u.test(domain)) return reject('invalid_domain');
  const asciiDomain = toAsciiDomain(domain);
  if (asciiDomain === undefined) return reject(domain.length > MAX_DOMAIN ? 'too_long' : 'invalid_domain');
  const matchKey = `${local}@${asciiDomain}`;
  if (matchKey.length > MAX_ADDRESS) return reject('too_long');
  return { ok: true, value: `${local}@${domain}`, local, domain, asciiDomain, matchKey };
};

/** The key two e-mail addresses share exactly when they match; `undefined` when `raw` is not a valid address. */
export const emailMatchKey = (raw: string): string | undefined => {
  const result = normalizeEmail(raw);
  return result.ok ? result.matchKey : undefined;
};
