import { z } from 'zod';

/*
 * PROPOSED CONTRACT (to move into libs/contracts/src/leads.events.ts): the lead events the
 * scoring model reads that the contracts do not declare yet. Declared here, in the contracts'
 * style, so that the move is a cut-and-paste.
 */

/** Behaviour touchpoints of a lead (DOMAIN.md §1). */
export const TouchpointType = z.enum([
  'page_view',
  'pricing_page_view',
  'whitepaper_download',
  'webinar_registration',
  'email_sent',
  'email_opened',
  'email_clicked',
  'form_submit',
]);
export type TouchpointType = z.infer<typeof TouchpointType>;

export const TouchpointRecordedData = z.object({
  leadId: z.string(),
  /** Unique per touchpoint: a redelivered touchpoint with the same id counts once. */
  touchpointId: z.string(),
  type: TouchpointType,
  /** When the behaviour happened (not when it was recorded). */
  at: z.iso.datetime(),
  url: z.string().max(2000).optional(),
});
export type TouchpointRecordedData = z.infer<typeof TouchpointRecordedData>;

/** A lead attribute value: lead fields and custom fields (DOMAIN.md §8). */
export const LeadAttributeValue = z.union([z.string().max(2000), z.number(), z.boolean()]);
export type LeadAttributeValue = z.infer<typeof LeadAttributeValue>;

export const LeadAttributesUpdatedData = z.object({
  leadId: z.string(),
  /** Field name → new value; `null` clears the field. Fields not named are unchanged. */
  changes: z.record(z.string().min(1).max(100), LeadAttributeValue.nullable()),
  updatedAt: z.iso.datetime(),
});
export type LeadAttributesUpdatedData = z.infer<typeof LeadAttributesUpdatedData>;

export const LeadTouchpointEventType = {
  TouchpointRecorded: 'leads.TouchpointRecorded',
  LeadAttributesUpdated: 'leads.LeadAttributesUpdated',
} as const;

export type LeadTouchpointEvent =
  | { type: typeof LeadTouchpointEventType.TouchpointRecorded; data: TouchpointRecordedData }
  | { type: typeof LeadTouchpointEventType.LeadAttributesUpdated; data: LeadAttributesUpdatedData };
