import { SalesCustomerEventType as T, type ContactEvent, type ContactUpdatedData } from '@crm/contracts';
import type { Decider } from '@crm/domain';
import type {
  AbsorbContact, ContactCommand, ContactEngagement, ContactFields, CreateContact, MergeContactInto, RecordContactEngagement, UpdateContact,
} from './contact.commands';
import { CustomerError } from './customer.errors';
import { applyChanges, changedFields, defined } from './profile-changes';

export type ExistingContact = ContactFields & {
  status: 'active' | 'merged';
  mergedInto?: string;
  absorbed: string[];
  createdAt: string;
  /** The latest time the contact came back through a marketing channel (`ContactEngaged`). */
  lastEngagement?: ContactEngagement;
};

export type ContactState = { status: 'none' } | ExistingContact;

type Changes = ContactUpdatedData['changes'];
const FIELDS = [
  'name', 'accountId', 'title', 'role', 'decisionMaker', 'phone', 'email', 'wecomId', 'wechatId', 'ownerId', 'teamId', 'tags',
] as const satisfies readonly (keyof Changes)[];

const existing = (state: ContactState, contactId: string): ExistingContact => {
  if (state.status === 'none') throw new CustomerError('contact_not_found', `contact ${contactId} does not exist`);
  return state;
};

const active = (state: ContactState, contactId: string): ExistingContact => {
  const contact = existing(state, contactId);
  if (contact.status === 'merged') {
    throw new CustomerError('contact_merged', `contact ${contactId} was merged into ${contact.mergedInto}`, { survivorId: contact.mergedInto });
  }
  return contact;
};

const create = ({ data }: CreateContact, state: ContactState): ContactEvent[] => {
  if (state.status !== 'none') throw new CustomerError('contact_already_exists', `contact ${data.contactId} already exists`);
  const { now, ...fields } = data;
  return [{ type: T.ContactCreated, data: { ...defined(fields), decisionMaker: fields.decisionMaker ?? false, createdAt: now.toISOString() } }];
};

const update = ({ data }: UpdateContact, state: ContactState): ContactEvent[] => {
  const contact = active(state, data.contactId);
  const changed = changedFields(FIELDS, data.changes, contact);
  if (Object.keys(changed).length === 0) return [];
  return [{ type: T.ContactUpdated, data: { contactId: data.contactId, changes: changed, updatedAt: data.now.toISOString() } }];
};

const mergeInto = ({ data }: MergeContactInto, state: ContactState): ContactEvent[] => {
  if (data.mergedId === data.survivorId) throw new CustomerError('merge_into_self', `contact ${data.mergedId} cannot be merged into itself`);
  const contact = existing(state, data.mergedId);
  if (contact.status === 'merged' && contact.mergedInto === data.survivorId) return [];
  active(state, data.mergedId);
  const { mergedId, survivorId, mergedBy, now } = data;
  return [{ type: T.ContactMergedInto, data: { mergedId, survivorId, ...(mergedBy && { mergedBy }), mergedAt: now.toISOString() } }];
};

const absorb = ({ data }: AbsorbContact, state: ContactState): ContactEvent[] => {
  if (data.mergedId === data.survivorId) throw new CustomerError('merge_into_self', `contact ${data.survivorId} cannot be merged into itself`);
  const contact = active(state, data.survivorId);
  if (contact.absorbed.includes(data.mergedId)) return [];
  const { mergedId, survivorId, mergedBy, now } = data;
  return [{ type: T.ContactsMerged, data: { survivorId, mergedId, ...(mergedBy && { mergedBy }), mergedAt: now.toISOString() } }];
};

/** An engagement of a merged contact belongs on its survivor (422 `contact_merged`, with `survivorId`). */
const engage = ({ data }: RecordContactEngagement, state: ContactState): ContactEvent[] => {
  active(state, data.contactId);
  const { now, ...engagement } = data;
  return [{ type: T.ContactEngaged, data: { ...defined(engagement), recordedAt: now.toISOString() } }];
};

export const contactDecider: Decider<ContactCommand, ContactEvent, ContactState> = {
  initialState: () => ({ status: 'none' }),
  evolve: (state, event) => {
    switch (event.type) {
      case T.ContactCreated: {
        const { createdAt, ...fields } = event.data;
        return { ...fields, createdAt, status: 'active', absorbed: [] };
      }
      case T.ContactUpdated:
        return state.status === 'none' ? state : applyChanges(state, event.data.changes);
      case T.ContactMergedInto:
        return state.status === 'none' ? state : { ...state, status: 'merged', mergedInto: event.data.survivorId };
      case T.ContactsMerged:
        return state.status === 'none' ? state : { ...state, absorbed: [...state.absorbed, event.data.mergedId] };
      case T.ContactEngaged: {
        // Captures can be handled out of order: the latest capture time is the last engagement.
        if (state.status === 'none' || (state.lastEngagement && state.lastEngagement.at >= event.data.at)) return state;
        const { contactId: _contactId, recordedAt: _recordedAt, ...engagement } = event.data;
        return { ...state, lastEngagement: engagement };
      }
    }
  },
  decide: (command, state) => {
    switch (command.type) {
      case 'CreateContact':
        return create(command, state);
      case 'UpdateContact':
        return update(command, state);
      case 'MergeContactInto':
        return mergeInto(command, state);
      case 'AbsorbContact':
        return absorb(command, state);
      case 'RecordContactEngagement':
        return engage(command, state);
    }
  },
};
