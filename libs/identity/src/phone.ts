// Phone normalisation to E.164 (DOMAIN.md §1: `138 0013 8000` → `+8613800138000`).
//
// Uses libphonenumber-js with its `max` metadata: the `min` metadata only checks lengths
// and cannot tell the number type, and the `mobile` metadata knows mobile numbers only, so
// it rejects mainland landlines such as `(010) 6552 9988`. `max` validates both and reports
// the type (mobile, fixed line, 400 shared-cost, 800 toll-free, …).
//
// The rule:
//  - NFKC first (full-width digits `１３８…`, `＋`, `（）`, `－` and the ideographic space
//    become ASCII), zero-width characters dropped, a leading `tel:` dropped.
//  - Chinese extension markers `转`/`轉`/`分机`/`分機` are read like `ext.`; `ext`, `x`, `#`
//    are understood by libphonenumber.
//  - The whole input must be one phone number (no free text around it, no lists).
//  - A number without an international prefix (`+` or `00`) is read in `defaultRegion`
//    (default `CN`), so `010 6552 9988` is Beijing and `0086 …`/`86 138…` are understood.
//  - It must be a VALID number for its region (not merely of a possible length).
//  - `value` is E.164 WITHOUT the extension (E.164 has none); the extension is returned in
//    `extension` and is part of `matchKey` (`+861065529988;ext=123`, RFC 3966 style), so two
//    people behind one switchboard do not match each other.
import { parsePhoneNumberFromString, validatePhoneNumberLength } from 'libphonenumber-js/max';
import type { CountryCode, PhoneNumberType, ValidatePhoneNumberLengthResult } from 'libphonenumber-js/max';
import { nfkc } from './text';

export type { CountryCode } from 'libphonenumber-js/max';

export type PhoneType =
  | 'mobile'
  | 'fixed_line'
  | 'fixed_line_or_mobile'
  | 'toll_free'
  | 'shared_cost'
  | 'premium_rate'
  | 'voip'
  | 'personal_number'
  | 'pager'
  | 'uan'
  | 'voicemail'
  | 'unknown';

export type PhoneRejection = 'empty' | 'not_a_number' | 'invalid_country' | 'too_short' | 'too_long' | 'invalid_number';

export type NormalizedPhone = {
  readonly ok: true;
  /** E.164, e.g. `+8613800138000`; never contains the extension. */
  readonly value: string;
  readonly extension: string | undefined;
  /** ISO 3166-1 region of the number, when the calling code identifies one. */
  readonly region: CountryCode | undefined;
  readonly type: PhoneType;
  /** `value`, plus `;ext=<digits>` when there is an extension. */
  readonly matchKey: string;
};

export type RejectedPhone = { readonly ok: false; readonly reason: PhoneRejection };

export type PhoneResult = NormalizedPhone | RejectedPhone;

export const DEFAULT_PHONE_REGION: CountryCode = 'CN';

const TYPES: Readonly<Record<PhoneNumberType, PhoneType>> = {
  MOBILE: 'mobile',
  FIXED_LINE: 'fixed_line',
  FIXED_LINE_OR_MOBILE: 'fixed_line_or_mobile',
  TOLL_FREE: 'toll_free',
  SHARED_COST: 'shared_cost',
  PREMIUM_RATE: 'premium_rate',
  VOIP: 'voip',
  PERSONAL_NUMBER: 'personal_number',
  PAGER: 'pager',
  UAN: 'uan',
  VOICEMAIL: 'voicemail',
};

const LENGTH_REASONS: Readonly<Record<ValidatePhoneNumberLengthResult, PhoneRejection>> = {
  NOT_A_NUMBER: 'not_a_number',
  INVALID_COUNTRY: 'invalid_country',
  TOO_SHORT: 'too_short',
  TOO_LONG: 'too_long',
  INVALID_LENGTH: 'invalid_number',
};

const reject = (reason: PhoneRejection): RejectedPhone => ({ ok: false, reason });

const prepare = (raw: string): string =>
  nfkc(raw)
    .trim()
    .replace(/^tel:\s*/i, '')
    .replace(/\s*(?:转|轉|分机|分機)\s*/gu, ' ext. ');

export const normalizePhone = (raw: string, defaultRegion: CountryCode = DEFAULT_PHONE_REGION): PhoneResult => {
  const text = prepare(raw);
  if (text.length === 0) return reject('empty');
  const parsed = parsePhoneNumberFromString(text, { defaultCountry: defaultRegion, extract: false });
  if (parsed === undefined || !parsed.isValid()) {
    const lengthProblem = validatePhoneNumberLength(text, { defaultCountry: defaultRegion });
    return reject((lengthProblem && LENGTH_REASONS[lengthProblem]) || (parsed ? 'invalid_number' : 'not_a_number'));
  }
  const value = parsed.number;
  const extension = parsed.ext || undefined;
  const numberType = parsed.getType();
  return {
    ok: true,
    value,
    extension,
    region: parsed.country,
    type: numberType ? TYPES[numberType] : 'unknown',
    matchKey: extension ? `${value};ext=${extension}` : value,
  };
};

/** The key two phone numbers share exactly when they match; `undefined` when `raw` is not a valid number. */
export const phoneMatchKey = (raw: string, defaultRegion: CountryCode = DEFAULT_PHONE_REGION): string | undefined => {
  const result = normalizePhone(raw, defaultRegion);
  return result.ok ? result.matchKey : undefined;
};
