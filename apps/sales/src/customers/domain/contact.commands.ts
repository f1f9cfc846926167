import type { ContactCreatedData, ContactEngagedData, ContactProfile, ContactUpdatedData } from '@crm/contracts';

export type CreateContact = {
  type: 'CreateContact';
  data: ContactProfile & { contactId: string; fromLeadId?: string; now: Date };
};

/** Fields left out stay as they are; `null` clears an optional field. */
export type UpdateContact = { type: 'UpdateContact'; data: { contactId: string; changes: ContactUpdatedData['changes']; now: Date } };

export type MergeContactInto = { type: 'MergeContactInto'; data: { mergedId: string; survivorId: string; mergedBy?: string; now: Date } };

export type AbsorbContact = { type: 'AbsorbContact'; data: { survivorId: string; mergedId: string; mergedBy?: string; now: Date } };

/** The contact came back through a marketing channel (a capture in leads matched it); `at` is when it was captured. */
export type RecordContactEngagement = {
  type: 'RecordContactEngagement';
  data: Omit<ContactEngagedData, 'recordedAt'> & { now: Date };
};

export type ContactCommand = CreateContact | UpdateContact | MergeContactInto | AbsorbContact | RecordContactEngagement;

/** The latest engagement shown on the contact. */
export type ContactEngagement = Omit<ContactEngagedData, 'contactId' | 'recordedAt'>;

export type ContactFields = Omit<ContactCreatedData, 'createdAt'>;
