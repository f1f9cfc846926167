import { z } from 'zod';
import { LeadAssignmentEventType, type LeadAssignmentEvent } from './lead-assignment.events';
import {
  LeadScoringEventType, type LeadAttributesUpdatedData, type LeadScoringEvent,
} from './lead-scoring.events';

/** Channels a lead can arrive through (DOMAIN.md §1). */
export const LeadSourceChannel = z.enum([
  'web_form', 'landing_page', 'api', 'import', 'event', 'webinar', 'trade_show', 'social', 'phone', 'email', 'manual', 'referral', 'other',
]);
export type LeadSourceChannel = z.infer<typeof LeadSourceChannel>;

export const Utm = z.object({
  source: z.string().max(200).optional(),
  medium: z.string().max(200).optional(),
  campaign: z.string().max(200).optional(),
  term: z.string().max(200).optional(),
  content: z.string().max(200).optional(),
});
export type Utm = z.infer<typeof Utm>;

/** Consent the person gave when the lead was captured (GDPR/PIPL: purpose, time, source). */
export const Consent = z.object({
  purpose: z.string().min(1).max(100),
  grantedAt: z.iso.datetime(),
  /** Where it was given: a form id, `api`, `import:<file>`, … */
  source: z.string().min(1).max(200),
});
export type Consent = z.infer<typeof Consent>;

export const LeadCapturedData = z.object({
  leadId: z.string(),
  name: z.string().min(1).max(200),
  company: z.string().max(300).optional(),
  email: z.string().max(320).optional(),
  phone: z.string().max(40).optional(),
  source: z.object({
    channel: LeadSourceChannel,
    utm: Utm.optional(),
    campaignId: z.string().max(100).optional(),
    referrer: z.string().max(2000).optional(),
    /** For a web form: which form. */
    formId: z.string().max(100).optional(),
  }),
  consents: z.array(Consent).optional(),
  capturedAt: z.iso.datetime(),
});
export type LeadCapturedData = z.infer<typeof LeadCapturedData>;

export const LeadQualifiedData = z.object({
  leadId: z.string(),
  qualifiedBy: z.string().optional(),
  note: z.string().max(2000).optional(),
  qualifiedAt: z.iso.datetime(),
});
export type LeadQualifiedData = z.infer<typeof LeadQualifiedData>;

export const LeadDisqualifiedData = z.object({
  leadId: z.string(),
  reason: z.string().min(1).max(500),
  disqualifiedAt: z.iso.datetime(),
});
export type LeadDisqualifiedData = z.infer<typeof LeadDisqualifiedData>;

export const LeadConvertedData = z.object({
  leadId: z.string(),
  /** Ids the sales context will use for what it creates from this lead. */
  accountId: z.string(),
  contactId: z.string(),
  opportunityId: z.string().optional(),
  /**
   * What sales needs to create (or match) the account, contact and opportunity without calling
   * leads back. Absent only on events written before it existed.
   */
  lead: z.object({
    name: z.string(),
    company: z.string().optional(),
    email: z.string().optional(),
    phone: z.string().optional(),
    ownerId: z.string().optional(),
    industry: z.string().optional(),
    region: z.string().optional(),
    channel: LeadSourceChannel,
    campaignId: z.string().optional(),
    utm: Utm.optional(),
  }).optional(),
  /** The opportunity to open, when the converter asked for one. */
  opportunity: z.object({
    name: z.string().min(1).max(300).optional(),
    amountMinor: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    currency: z.string().regex(/^[A-Z]{3}$/).optional(),
    expectedCloseDate: z.iso.date().optional(),
  }).optional(),
  convertedBy: z.string().optional(),
  convertedAt: z.iso.datetime(),
});
export type LeadConvertedData = z.infer<typeof LeadConvertedData>;

/** Behaviour signals recorded on a lead (DOMAIN.md §1). */
export const TouchpointType = z.enum([
  'page_view', 'pricing_page_view', 'whitepaper_download', 'webinar_registration', 'email_sent', 'email_opened', 'email_clicked', 'form_submit',
]);
export type TouchpointType = z.infer<typeof TouchpointType>;

export const TouchpointRecordedData = z.object({
  leadId: z.string(),
  /** The sender's id for the touchpoint: recording the same id twice records it once. */
  touchpointId: z.string().min(1).max(200),
  type: TouchpointType,
  at: z.iso.datetime(),
  url: z.string().max(2000).optional(),
  campaignId: z.string().max(100).optional(),
  channel: z.string().max(100).optional(),
  recordedAt: z.iso.datetime(),
});
export type TouchpointRecordedData = z.infer<typeof TouchpointRecordedData>;

/** Which identity rule matched a capture to an existing lead (`@crm/identity`). */
export const LeadMatchRule = z.enum(['email', 'phone', 'company_and_name']);
export type LeadMatchRule = z.infer<typeof LeadMatchRule>;

/**
 * A capture matched an open lead and attached to it instead of creating a twin: the new
 * source (channel, UTM, campaign, referrer, form), consents, and the person's fields as
 * submitted. `added` holds the fields the lead did not have yet and takes from this capture;
 * fields it already has are never overwritten by a capture.
 */
export const LeadRecapturedData = z.object({
  leadId: z.string(),
  name: z.string().min(1).max(200),
  company: z.string().max(300).optional(),
  email: z.string().max(320).optional(),
  phone: z.string().max(40).optional(),
  source: LeadCapturedData.shape.source,
  consents: z.array(Consent).optional(),
  matchedOn: LeadMatchRule,
  added: z.object({ company: z.string().max(300).optional(), email: z.string().max(320).optional(), phone: z.string().max(40).optional() }).optional(),
  recapturedAt: z.iso.datetime(),
});
export type LeadRecapturedData = z.infer<typeof LeadRecapturedData>;

/** On the surviving lead: another lead was merged into it (both histories stay on their own streams). */
export const LeadsMergedData = z.object({
  /** The survivor (this stream's lead). */
  leadId: z.string(),
  mergedId: z.string(),
  mergedBy: z.string().optional(),
  mergedAt: z.iso.datetime(),
});
export type LeadsMergedData = z.infer<typeof LeadsMergedData>;

/** On the merged lead: its id now redirects to the survivor; it accepts no more commands. */
export const LeadMergedIntoData = z.object({
  /** The merged lead (this stream's lead). */
  leadId: z.string(),
  survivorId: z.string(),
  mergedBy: z.string().optional(),
  mergedAt: z.iso.datetime(),
});
export type LeadMergedIntoData = z.infer<typeof LeadMergedIntoData>;

/** Sales told leads what stands for the converted lead now (from `sales.LeadConversionRecorded`). */
export const LeadConversionConfirmedData = z.object({
  leadId: z.string(),
  accountId: z.string(),
  account: z.enum(['created', 'linked']),
  contactId: z.string(),
  contact: z.enum(['created', 'linked']),
  opportunityId: z.string().optional(),
  confirmedAt: z.iso.datetime(),
});
export type LeadConversionConfirmedData = z.infer<typeof LeadConversionConfirmedData>;

/**
 * On a match-key stream (`leadkey-<tenant>-<sha256 of the key>`): the lead that key now belongs
 * to. The key itself (an e-mail, a phone) is not stored: only its hash, in the stream name.
 */
export const LeadMatchKeyPointedData = z.object({
  leadId: z.string(),
  rule: LeadMatchRule,
  previousLeadId: z.string().optional(),
  at: z.iso.datetime(),
});
export type LeadMatchKeyPointedData = z.infer<typeof LeadMatchKeyPointedData>;

/** Event type names of the leads context, `leads.<EventName>`. */
export const LeadEventType = {
  LeadCaptured: 'leads.LeadCaptured',
  LeadQualified: 'leads.LeadQualified',
  LeadDisqualified: 'leads.LeadDisqualified',
  LeadConverted: 'leads.LeadConverted',
  TouchpointRecorded: 'leads.TouchpointRecorded',
  LeadAttributesUpdated: 'leads.LeadAttributesUpdated',
  LeadRecaptured: 'leads.LeadRecaptured',
  LeadsMerged: 'leads.LeadsMerged',
  LeadMergedInto: 'leads.LeadMergedInto',
  LeadConversionConfirmed: 'leads.LeadConversionConfirmed',
  ...LeadScoringEventType,
  ...LeadAssignmentEventType,
} as const;

export type LeadEvent =
  | { type: typeof LeadEventType.LeadCaptured; data: LeadCapturedData }
  | { type: typeof LeadEventType.LeadQualified; data: LeadQualifiedData }
  | { type: typeof LeadEventType.LeadDisqualified; data: LeadDisqualifiedData }
  | { type: typeof LeadEventType.LeadConverted; data: LeadConvertedData }
  | { type: typeof LeadEventType.TouchpointRecorded; data: TouchpointRecordedData }
  | { type: typeof LeadEventType.LeadAttributesUpdated; data: LeadAttributesUpdatedData }
  | { type: typeof LeadEventType.LeadRecaptured; data: LeadRecapturedData }
  | { type: typeof LeadEventType.LeadsMerged; data: LeadsMergedData }
  | { type: typeof LeadEventType.LeadMergedInto; data: LeadMergedIntoData }
  | { type: typeof LeadEventType.LeadConversionConfirmed; data: LeadConversionConfirmedData }
  | LeadScoringEvent
  | LeadAssignmentEvent;

/** Stream of one lead. */
export const leadStream = (leadId: string): string => `lead-${leadId}`;

/**
 * The de-duplication index's own event, kept out of `LeadEventType` so that consumers of lead
 * events (the insights read models filter on its values) are not sent every capture's key claims.
 */
export const LeadMatchKeyEventType = { LeadMatchKeyPointed: 'leads.LeadMatchKeyPointed' } as const;

/** A match-key stream: `keyHash` is the hex SHA-256 of an `@crm/identity` match key. */
export type LeadMatchKeyEvent = { type: typeof LeadMatchKeyEventType.LeadMatchKeyPointed; data: LeadMatchKeyPointedData };
export const leadMatchKeyStream = (tenantId: string, keyHash: string): string => `leadkey-${tenantId}-${keyHash}`;

/**
 * The sales contacts a capture is matched against (DOMAIN.md §1: a capture that matches an
 * existing lead *or contact* attaches to it). Contacts live in the sales service; leads keeps its
 * own index of their match keys, fed by `sales.ContactCreated`, `sales.ContactUpdated` and
 * `sales.ContactMergedInto`. Only e-mail and phone are indexed: a contact names an account, not
 * a company.
 */
export const ContactMatchRule = z.enum(['email', 'phone']);
export type ContactMatchRule = z.infer<typeof ContactMatchRule>;

/**
 * A capture matched a sales contact (and no open lead), so no lead was created: the capture is
 * recorded against the contact (stream `contactcapture-<captureId>`); sales notes it on the
 * contact. Same fields as a capture, as submitted.
 */
export const ContactRecapturedData = z.object({
  captureId: z.string(),
  contactId: z.string(),
  name: z.string().min(1).max(200),
  company: z.string().max(300).optional(),
  email: z.string().max(320).optional(),
  phone: z.string().max(40).optional(),
  source: LeadCapturedData.shape.source,
  consents: z.array(Consent).optional(),
  matchedOn: ContactMatchRule,
  capturedAt: z.iso.datetime(),
});
export type ContactRecapturedData = z.infer<typeof ContactRecapturedData>;

/**
 * Leads' entry for one sales contact (stream `salescontact-<contactId>`): the SHA-256 of its
 * current match keys (never the e-mail or phone itself), the survivor once it was merged, and
 * the revision of the sales contact stream it reflects (an older delivery changes nothing).
 */
export const SalesContactIndexedData = z.object({
  contactId: z.string(),
  keys: z.object({ email: z.string().optional(), phone: z.string().optional() }),
  mergedInto: z.string().optional(),
  salesRevision: z.number().int().min(0),
  at: z.iso.datetime(),
});
export type SalesContactIndexedData = z.infer<typeof SalesContactIndexedData>;

/** On a contact-key stream (`contactref-<tenant>-<sha256 of the key>`): a contact holds (or no longer holds) the key. */
export const ContactKeyChangedData = z.object({
  contactId: z.string(),
  rule: ContactMatchRule,
  at: z.iso.datetime(),
});
export type ContactKeyChangedData = z.infer<typeof ContactKeyChangedData>;

/**
 * Event types of captures recorded against sales contacts and of leads' index of those contacts.
 * Kept out of `LeadEventType`: they are not lead events, and lead read models filter on its values.
 */
export const ContactCaptureEventType = {
  ContactRecaptured: 'leads.ContactRecaptured',
  SalesContactIndexed: 'leads.SalesContactIndexed',
  ContactKeyPointed: 'leads.ContactKeyPointed',
  ContactKeyReleased: 'leads.ContactKeyReleased',
} as const;

export type ContactCaptureEvent = { type: typeof ContactCaptureEventType.ContactRecaptured; data: ContactRecapturedData };
export type SalesContactIndexEvent = { type: typeof ContactCaptureEventType.SalesContactIndexed; data: SalesContactIndexedData };
export type ContactKeyEvent =
  | { type: typeof ContactCaptureEventType.ContactKeyPointed; data: ContactKeyChangedData }
  | { type: typeof ContactCaptureEventType.ContactKeyReleased; data: ContactKeyChangedData };

/** One capture recorded against a contact; `captureId` comes from the Idempotency-Key when there is one. */
export const contactCaptureStream = (captureId: string): string => `contactcapture-${captureId}`;
export const salesContactStream = (contactId: string): string => `salescontact-${contactId}`;
/** `keyHash` is the hex SHA-256 of an `@crm/identity` match key. */
export const contactKeyStream = (tenantId: string, keyHash: string): string => `contactref-${tenantId}-${keyHash}`;
