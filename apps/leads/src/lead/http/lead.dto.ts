import { LeadSourceChannel, TouchpointType, Utm } from '@crm/contracts';
import { normalizeEmail, normalizePhone } from '@crm/identity';
import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);

/** An e-mail address, normalised (NFKC, trimmed, lower-cased) and validated by `@crm/identity`. */
const emailField = z.string().max(320).transform((raw, ctx) => {
  const r = normalizeEmail(raw);
  if (r.ok) return r.value;
  ctx.addIssue({ code: 'custom', message: `not a valid e-mail address (${r.reason})` });
  return z.NEVER;
});

/** A phone number in E.164; national numbers are read as mainland China (`138 0013 8000` → `+8613800138000`). */
const phoneField = z.string().max(60).transform((raw, ctx) => {
  const r = normalizePhone(raw, 'CN');
  if (r.ok) return r.value;
  ctx.addIssue({ code: 'custom', message: `not a valid phone number (${r.reason})` });
  return z.NEVER;
});
const blankAsMissing = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

export const CaptureLeadBody = z
  .object({
    name: text(200),
    company: text(300).optional(),
    email: emailField.optional(),
    phone: phoneField.optional(),
    channel: LeadSourceChannel.default('api'),
    utm: Utm.strict().optional(),
    campaignId: z.string().trim().min(1).max(100).optional(),
    referrer: z.url().max(2000).optional(),
    /** Purposes the person consented to (recorded with the time and the channel). */
    consentPurposes: z.array(z.string().trim().min(1).max(100)).max(20).optional(),
  })
  .strict()
  .refine((b) => b.email !== undefined || b.phone !== undefined, { message: 'an e-mail or a phone number is required', path: ['email'] });
export type CaptureLeadBody = z.infer<typeof CaptureLeadBody>;

export const QualifyLeadBody = z.object({ note: text(2000).optional() }).strict();
export type QualifyLeadBody = z.infer<typeof QualifyLeadBody>;

export const DisqualifyLeadBody = z.object({ reason: text(500) }).strict();
export type DisqualifyLeadBody = z.infer<typeof DisqualifyLeadBody>;

/** Fields a capture, recapture or merge owns (they feed the duplicate index): not editable as attributes. */
const IDENTITY_FIELDS = new Set(['name', 'company', 'email', 'phone']);

/**
 * Profile attributes to change (`industry`, `region`, `title`, `employees`, …), as scoring rules
 * read them; `null` clears one. Identity fields are not attributes.
 */
export const UpdateLeadBody = z
  .record(z.string().regex(/^[a-z][a-zA-Z0-9_]{0,63}$/, 'attribute names are camelCase or snake_case words'), z.union([text(2000), z.number().finite(), z.boolean(), z.null()]))
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to change' })
  .refine((b) => Object.keys(b).length <= 50, { message: 'at most 50 attributes at once' })
  .refine((b) => Object.keys(b).every((k) => !IDENTITY_FIELDS.has(k)), { message: 'name, company, e-mail and phone come from captures (a new capture attaches; two leads merge)' });
export type UpdateLeadBody = z.infer<typeof UpdateLeadBody>;

/** Money as integer minor units of an ISO 4217 currency: a decimal amount is refused, never rounded. */
const MoneyBody = z.object({ amountMinor: z.int().min(0).max(Number.MAX_SAFE_INTEGER), currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as CNY') }).strict();

export const ConvertLeadBody = z
  .object({
    /** Link to an existing account/contact instead of creating one. */
    accountId: z.uuid().optional(),
    contactId: z.uuid().optional(),
    /** Whether sales should open an opportunity (default true). */
    createOpportunity: z.boolean().default(true),
    /** Hints for the opportunity sales opens (its name, amount, expected close date). */
    opportunity: z
      .object({ name: text(300).optional(), amount: MoneyBody.optional(), expectedCloseDate: z.iso.date().optional() })
      .strict()
      .optional(),
  })
  .strict()
  .refine((b) => b.createOpportunity || b.opportunity === undefined, { message: 'opportunity hints need createOpportunity: true', path: ['opportunity'] });
export type ConvertLeadBody = z.infer<typeof ConvertLeadBody>;

export const MergeLeadsBody = z.object({ mergedId: z.uuid({ message: 'lead ids are UUIDs' }) }).strict();
export type MergeLeadsBody = z.infer<typeof MergeLeadsBody>;

export const LeadIdParam = z.uuid({ message: 'lead ids are UUIDs' });

export const LeadCommandResponse = z.object({
  id: z.string(),
  status: z.enum(['captured', 'qualified', 'disqualified', 'converted']),
  revision: z.number().int(),
  /** On a capture: true when it matched an open lead and attached to it (200) instead of creating one (201). */
  attached: z.boolean().optional(),
});
export type LeadCommandResponse = z.infer<typeof LeadCommandResponse>;

/** A capture that matched a sales contact (and no open lead): no lead was created; the capture is recorded against the contact. */
export const ContactCaptureResponse = z.object({
  attached: z.literal(true),
  /** The sales contact (`GET /v1/contacts/{contactId}` on the sales service). */
  contactId: z.string(),
});
export type ContactCaptureResponse = z.infer<typeof ContactCaptureResponse>;

export const LeadResponse = LeadCommandResponse.extend({
  name: z.string(),
  company: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
  channel: LeadSourceChannel,
  disqualifyReason: z.string().optional(),
  conversion: z.object({ accountId: z.string(), contactId: z.string(), opportunityId: z.string().optional() }).optional(),
  conversionConfirmed: z.object({ account: z.enum(['created', 'linked']), contact: z.enum(['created', 'linked']) }).optional(),
  /** Set when this lead was merged into another: use that id. */
  mergedInto: z.string().optional(),
  /** Leads merged into this one. */
  merged: z.array(z.string()),
});

const checkbox = z.preprocess((v) => (typeof v === 'string' ? ['on', 'true', 'yes', '1'].includes(v.toLowerCase()) : v), z.boolean());
const optionalText = (max: number) => z.preprocess((v) => (v === '' ? undefined : v), text(max).optional());

/**
 * A public web-form post (urlencoded or JSON, flat field names as HTML forms send them).
 * `website` is a honeypot: people never see it, bots fill it in.
 */
export const WebFormSubmission = z
  .object({
    name: text(200),
    email: z.preprocess(blankAsMissing, emailField.optional()),
    phone: z.preprocess(blankAsMissing, phoneField.optional()),
    company: optionalText(300),
    utm_source: optionalText(200),
    utm_medium: optionalText(200),
    utm_campaign: optionalText(200),
    utm_term: optionalText(200),
    utm_content: optionalText(200),
    campaign: optionalText(100),
    referrer: z.preprocess((v) => (v === '' ? undefined : v), z.url().max(2000).optional()),
    /** A ticked consent checkbox; `consent_purpose` names what for (default `marketing`). */
    consent: checkbox.optional(),
    consent_purpose: optionalText(100),
    /** Makes a double submit of the same form fill harmless. */
    submission_id: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(/^[\x21-\x7e]{1,100}$/).optional()),
    website: z.string().max(2000).optional(),
  })
  .strict()
  .refine((b) => b.email !== undefined || b.phone !== undefined, { message: 'an e-mail or a phone number is required', path: ['email'] });
export type WebFormSubmission = z.infer<typeof WebFormSubmission>;

export const FormIdParam = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'form ids are lower-case slugs');

export const MAX_TOUCHPOINTS_PER_BATCH = 500;

export const TouchpointBatchBody = z
  .object({
    touchpoints: z
      .array(
        z
          .object({
            touchpointId: z.string().trim().min(1).max(200),
            leadId: z.uuid({ message: 'lead ids are UUIDs' }),
            type: TouchpointType,
            at: z.iso.datetime({ offset: true }).transform((v) => new Date(v).toISOString()),
            url: z.url().max(2000).optional(),
            campaignId: z.string().trim().min(1).max(100).optional(),
            channel: z.string().trim().min(1).max(100).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(MAX_TOUCHPOINTS_PER_BATCH),
  })
  .strict();
export type TouchpointBatchBody = z.infer<typeof TouchpointBatchBody>;

export type TouchpointResult = { touchpointId: string; leadId: string; status: 'recorded' | 'duplicate' | 'rejected'; code?: string };
