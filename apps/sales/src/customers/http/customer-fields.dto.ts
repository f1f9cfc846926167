import { normalizeEmail, normalizePhone } from '@crm/identity';
import { z } from 'zod';

/** Field schemas shared by the account and contact DTOs. */
export const text = (max: number) => z.string().trim().min(1).max(max);

/** An e-mail address, stored normalised (NFKC, trimmed, lower-cased) by `@crm/identity`; an invalid one is a 400. */
export const emailField = z.string().max(320).transform((raw, ctx) => {
  const r = normalizeEmail(raw);
  if (r.ok) return r.value;
  ctx.addIssue({ code: 'custom', message: `not a valid e-mail address (${r.reason})` });
  return z.NEVER;
});

/**
 * A phone number stored in E.164; national numbers are read as mainland China (`138 0013 8000` →
 * `+8613800138000`). An extension is kept RFC 3966 style (`010 6552 9988 转 123` →
 * `+861065529988;ext=123`): two people behind one switchboard are not the same contact.
 */
export const phoneField = z.string().max(60).transform((raw, ctx) => {
  const r = normalizePhone(raw, 'CN');
  if (r.ok) return r.matchKey;
  ctx.addIssue({ code: 'custom', message: `not a valid phone number (${r.reason})` });
  return z.NEVER;
});

/** Tags, trimmed and de-duplicated (order kept). */
export const tagsField = z.array(text(50)).max(50).transform((tags) => [...new Set(tags)]);

export const idField = (what: string) => z.uuid({ message: `${what} ids are UUIDs` });

export const MergeBody = z.object({ mergedId: z.uuid({ message: 'mergedId: the id (a UUID) of the record to merge into this one' }) }).strict();
export type MergeBody = z.infer<typeof MergeBody>;

/** Create: refuse a duplicate (default) or create it anyway, leaving the match keys with the existing record. */
export const onDuplicateOnCreate = z.enum(['reject', 'create']).default('reject');
/** Update: refuse a change that makes the record a duplicate (default), or allow it. */
export const onDuplicateOnUpdate = z.enum(['reject', 'allow']).default('reject');

export const DuplicateMatchResponse = z.object({
  id: z.string(),
  matchedOn: z.enum(['email', 'phone', 'company_name', 'person_email', 'person_phone', 'name_in_account']),
  name: z.string(),
});
