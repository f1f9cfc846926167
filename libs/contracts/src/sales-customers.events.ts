import { z } from 'zod';
import { Utm } from './leads.events';
import { CalendarDate, Money } from './money';

/**
 * Events of the sales context's customers (DOMAIN.md §2): accounts (stream `account-<id>`),
 * contacts (`contact-<id>`), and the record of a lead's conversion (`leadconversion-<leadId>`).
 * Matching uses `@crm/identity`, the same rules as leads.
 */

export const AccountKind = z.enum(['company', 'person']);
export type AccountKind = z.infer<typeof AccountKind>;

export const AccountSize = z.enum(['1-10', '11-50', '51-200', '201-1000', '1001-5000', '5000+']);
export type AccountSize = z.infer<typeof AccountSize>;

const Tags = z.array(z.string().min(1).max(50)).max(50);

/** The fields of an account that can be set at creation and changed later. */
export const AccountProfile = z.object({
  name: z.string().min(1).max(300),
  ownerId: z.string().min(1).max(100).optional(),
  teamId: z.string().min(1).max(100).optional(),
  industry: z.string().max(100).optional(),
  region: z.string().max(100).optional(),
  size: AccountSize.optional(),
  tags: Tags.optional(),
  /** E.164 (normalised by `@crm/identity`). */
  phone: z.string().max(40).optional(),
  /** Lower-cased (normalised by `@crm/identity`). */
  email: z.string().max(320).optional(),
  website: z.string().max(2000).optional(),
});
export type AccountProfile = z.infer<typeof AccountProfile>;

export const AccountCreatedData = AccountProfile.extend({
  accountId: z.string(),
  kind: AccountKind,
  /** Set when the account was created from a converted lead. */
  fromLeadId: z.string().optional(),
  createdAt: z.iso.datetime(),
});
export type AccountCreatedData = z.infer<typeof AccountCreatedData>;

/** Only the changed fields are present; `null` clears an optional field. */
export const AccountUpdatedData = z.object({
  accountId: z.string(),
  changes: z.object({
    name: z.string().min(1).max(300).optional(),
    ownerId: z.string().min(1).max(100).nullable().optional(),
    teamId: z.string().min(1).max(100).nullable().optional(),
    industry: z.string().max(100).nullable().optional(),
    region: z.string().max(100).nullable().optional(),
    size: AccountSize.nullable().optional(),
    tags: Tags.optional(),
    phone: z.string().max(40).nullable().optional(),
    email: z.string().max(320).nullable().optional(),
    website: z.string().max(2000).nullable().optional(),
  }),
  updatedAt: z.iso.datetime(),
});
export type AccountUpdatedData = z.infer<typeof AccountUpdatedData>;

/** On the survivor's stream: it absorbed another record (whose history stays on its own stream). */
export const RecordsMergedData = z.object({
  survivorId: z.string(),
  mergedId: z.string(),
  mergedBy: z.string().optional(),
  mergedAt: z.iso.datetime(),
});
export type RecordsMergedData = z.infer<typeof RecordsMergedData>;

/** On the loser's stream: from now on its id redirects to the survivor; it accepts no more commands. */
export const RecordMergedIntoData = z.object({
  mergedId: z.string(),
  survivorId: z.string(),
  mergedBy: z.string().optional(),
  mergedAt: z.iso.datetime(),
});
export type RecordMergedIntoData = z.infer<typeof RecordMergedIntoData>;

export const ContactRole = z.enum(['decision_maker', 'economic_buyer', 'technical_buyer', 'champion', 'influencer', 'user', 'procurement', 'other']);
export type ContactRole = z.infer<typeof ContactRole>;

export const ContactProfile = z.object({
  name: z.string().min(1).max(200),
  accountId: z.string().optional(),
  title: z.string().max(200).optional(),
  role: ContactRole.optional(),
  decisionMaker: z.boolean().default(false),
  phone: z.string().max(40).optional(),
  email: z.string().max(320).optional(),
  wecomId: z.string().max(100).optional(),
  wechatId: z.string().max(100).optional(),
  ownerId: z.string().min(1).max(100).optional(),
  teamId: z.string().min(1).max(100).optional(),
  tags: Tags.optional(),
});
export type ContactProfile = z.infer<typeof ContactProfile>;

export const ContactCreatedData = ContactProfile.extend({
  contactId: z.string(),
  fromLeadId: z.string().optional(),
  createdAt: z.iso.datetime(),
});
export type ContactCreatedData = z.infer<typeof ContactCreatedData>;

export const ContactUpdatedData = z.object({
  contactId: z.string(),
  changes: z.object({
    name: z.string().min(1).max(200).optional(),
    accountId: z.string().nullable().optional(),
    title: z.string().max(200).nullable().optional(),
    role: ContactRole.nullable().optional(),
    decisionMaker: z.boolean().optional(),
    phone: z.string().max(40).nullable().optional(),
    email: z.string().max(320).nullable().optional(),
    wecomId: z.string().max(100).nullable().optional(),
    wechatId: z.string().max(100).nullable().optional(),
    ownerId: z.string().min(1).max(100).nullable().optional(),
    teamId: z.string().min(1).max(100).nullable().optional(),
    tags: Tags.optional(),
  }),
  updatedAt: z.iso.datetime(),
});
export type ContactUpdatedData = z.infer<typeof ContactUpdatedData>;

/**
 * The contact came back through a marketing channel: a capture in leads matched it (from
 * `leads.ContactRecaptured`, recorded once per capture). `at` is when it was captured.
 */
export const ContactEngagedData = z.object({
  contactId: z.string(),
  channel: z.string().min(1).max(50),
  campaignId: z.string().max(100).optional(),
  utm: Utm.optional(),
  formId: z.string().max(100).optional(),
  /** The capture in leads (`contactcapture-<captureId>`). */
  captureId: z.string(),
  at: z.iso.datetime(),
  recordedAt: z.iso.datetime(),
});
export type ContactEngagedData = z.infer<typeof ContactEngagedData>;

/**
 * Sales handled a `leads.LeadConverted`: which account, contact and opportunity now stand for
 * the lead, and whether each was created or an existing record was linked (matched by
 * `@crm/identity`). The leads context consumes this to complete the conversion on the lead.
 */
export const LeadConversionRecordedData = z.object({
  leadId: z.string(),
  accountId: z.string(),
  account: z.enum(['created', 'linked']),
  contactId: z.string(),
  contact: z.enum(['created', 'linked']),
  opportunityId: z.string().optional(),
  /** What to open under `opportunityId` (the pipeline feature opens it from this event). */
  opportunity: z.object({
    name: z.string().min(1).max(300),
    amount: Money,
    expectedCloseDate: CalendarDate,
    ownerId: z.string().min(1).max(100),
    source: z.object({ leadId: z.string(), campaignId: z.string().optional(), channel: z.string().optional() }),
  }).optional(),
  recordedAt: z.iso.datetime(),
});
export type LeadConversionRecordedData = z.infer<typeof LeadConversionRecordedData>;

/** Which rule a match key belongs to (accounts: e-mail, phone, company name; contacts: e-mail, phone, name within the account). */
export const MatchKeyRule = z.enum(['email', 'phone', 'company_name', 'person_email', 'person_phone', 'name_in_account']);
export type MatchKeyRule = z.infer<typeof MatchKeyRule>;

/**
 * The duplicate index: one small stream per (tenant, record kind, match key), named by a hash of
 * the key (`accountkey-<tenant>-<hash>`, `contactkey-<tenant>-<hash>`), so the raw e-mail or phone
 * never appears in it. A key belongs to the record that claimed it first (expected revision "no
 * stream"); a merge re-points it at the survivor.
 */
export const MatchKeyClaimedData = z.object({
  kind: z.enum(['account', 'contact']),
  rule: MatchKeyRule,
  ownerId: z.string(),
  /** The owner before: the merged record (reason `merged`) or an abandoned claim's owner (`abandoned_claim`). */
  previousOwnerId: z.string().optional(),
  reason: z.enum(['created', 'updated', 'merged', 'abandoned_claim']),
  claimedAt: z.iso.datetime(),
});
export type MatchKeyClaimedData = z.infer<typeof MatchKeyClaimedData>;

/** The owner no longer has the value behind the key (it was changed or cleared); anyone may claim it again. */
export const MatchKeyReleasedData = z.object({
  kind: z.enum(['account', 'contact']),
  rule: MatchKeyRule,
  ownerId: z.string(),
  releasedAt: z.iso.datetime(),
});
export type MatchKeyReleasedData = z.infer<typeof MatchKeyReleasedData>;

export const SalesCustomerEventType = {
  AccountCreated: 'sales.AccountCreated',
  AccountUpdated: 'sales.AccountUpdated',
  AccountsMerged: 'sales.AccountsMerged',
  AccountMergedInto: 'sales.AccountMergedInto',
  ContactCreated: 'sales.ContactCreated',
  ContactUpdated: 'sales.ContactUpdated',
  ContactsMerged: 'sales.ContactsMerged',
  ContactMergedInto: 'sales.ContactMergedInto',
  ContactEngaged: 'sales.ContactEngaged',
  LeadConversionRecorded: 'sales.LeadConversionRecorded',
  MatchKeyClaimed: 'sales.MatchKeyClaimed',
  MatchKeyReleased: 'sales.MatchKeyReleased',
} as const;

export type AccountEvent =
  | { type: typeof SalesCustomerEventType.AccountCreated; data: AccountCreatedData }
  | { type: typeof SalesCustomerEventType.AccountUpdated; data: AccountUpdatedData }
  | { type: typeof SalesCustomerEventType.AccountsMerged; data: RecordsMergedData }
  | { type: typeof SalesCustomerEventType.AccountMergedInto; data: RecordMergedIntoData };

export type ContactEvent =
  | { type: typeof SalesCustomerEventType.ContactCreated; data: ContactCreatedData }
  | { type: typeof SalesCustomerEventType.ContactUpdated; data: ContactUpdatedData }
  | { type: typeof SalesCustomerEventType.ContactsMerged; data: RecordsMergedData }
  | { type: typeof SalesCustomerEventType.ContactMergedInto; data: RecordMergedIntoData }
  | { type: typeof SalesCustomerEventType.ContactEngaged; data: ContactEngagedData };

export type LeadConversionEvent = { type: typeof SalesCustomerEventType.LeadConversionRecorded; data: LeadConversionRecordedData };

export type MatchKeyEvent =
  | { type: typeof SalesCustomerEventType.MatchKeyClaimed; data: MatchKeyClaimedData }
  | { type: typeof SalesCustomerEventType.MatchKeyReleased; data: MatchKeyReleasedData };

export const accountStream = (accountId: string): string => `account-${accountId}`;
export const contactStream = (contactId: string): string => `contact-${contactId}`;
export const leadConversionStream = (leadId: string): string => `leadconversion-${leadId}`;
