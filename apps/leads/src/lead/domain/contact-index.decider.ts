import {
  ContactCaptureEventType, type ContactKeyEvent, type ContactMatchRule, type SalesContactIndexEvent, type SalesContactIndexedData,
} from '@crm/contracts';
import type { Decider } from '@crm/domain';

/** The hashed match keys of one sales contact, by rule (leads indexes e-mail and phone only). */
export type ContactKeyHashes = SalesContactIndexedData['keys'];

/**
 * What one sales event (`ContactCreated`, `ContactUpdated`, `ContactMergedInto`) changes in
 * leads' entry for the contact: a key's new hash, `null` when the contact no longer has one
 * (absent: unchanged), and the survivor once merged. `salesRevision` is the event's revision on
 * the sales contact stream.
 */
export type IndexSalesContact = {
  type: 'IndexSalesContact';
  data: {
    contactId: string;
    salesRevision: number;
    keys?: { [Rule in ContactMatchRule]?: string | null };
    mergedInto?: string;
    now: Date;
  };
};

/** Leads' entry for a sales contact (`salescontact-<contactId>`); `contactId` is unset until the first sales event arrived. */
export type SalesContactState = { contactId?: string; keys: ContactKeyHashes; mergedInto?: string; salesRevision: number };

const sameKeys = (a: ContactKeyHashes, b: ContactKeyHashes) => a.email === b.email && a.phone === b.phone;

/**
 * Applies a sales event to the contact's entry. Sales events of one contact arrive in stream
 * order, but a redelivery can repeat an older one: an event at or below the revision already
 * applied changes nothing. An event that changes neither keys nor survivor is not recorded
 * (except the first, which makes the contact known: a merge survivor must be resolvable).
 */
export const salesContactDecider: Decider<IndexSalesContact, SalesContactIndexEvent, SalesContactState> = {
  initialState: () => ({ keys: {}, salesRevision: -1 }),
  evolve: (_state, { data }) => ({
    contactId: data.contactId,
    keys: data.keys,
    ...(data.mergedInto !== undefined && { mergedInto: data.mergedInto }),
    salesRevision: data.salesRevision,
  }),
  decide: ({ data }, state) => {
    if (data.salesRevision <= state.salesRevision) return [];
    const keys: ContactKeyHashes = { ...state.keys };
    for (const rule of ['email', 'phone'] as const) {
      const hash = data.keys?.[rule];
      if (hash === null) delete keys[rule];
      else if (hash !== undefined) keys[rule] = hash;
    }
    const mergedInto = data.mergedInto ?? state.mergedInto;
    if (state.contactId !== undefined && sameKeys(keys, state.keys) && mergedInto === state.mergedInto) return [];
    return [{
      type: ContactCaptureEventType.SalesContactIndexed,
      data: { contactId: data.contactId, keys, ...(mergedInto !== undefined && { mergedInto }), salesRevision: data.salesRevision, at: data.now.toISOString() },
    }];
  },
};

export type PointContactKey = { type: 'PointContactKey'; data: { contactId: string; rule: ContactMatchRule; now: Date } };
export type ReleaseContactKey = { type: 'ReleaseContactKey'; data: { contactId: string; rule: ContactMatchRule; now: Date } };

/**
 * The contacts holding one match key (`contactref-<tenant>-<hash>`), oldest first. Sales may
 * let two contacts share an e-mail (`onDuplicate: create`), so a key can have several holders.
 */
export type ContactKeyState = { contactIds: string[] };

export const contactKeyDecider: Decider<PointContactKey | ReleaseContactKey, ContactKeyEvent, ContactKeyState> = {
  initialState: () => ({ contactIds: [] }),
  evolve: (state, event) => {
    const others = state.contactIds.filter((id) => id !== event.data.contactId);
    return { contactIds: event.type === ContactCaptureEventType.ContactKeyPointed ? [...others, event.data.contactId] : others };
  },
  decide: ({ type, data }, state) => {
    const held = state.contactIds.includes(data.contactId);
    if (type === 'PointContactKey' ? held : !held) return [];
    const event = { contactId: data.contactId, rule: data.rule, at: data.now.toISOString() };
    return type === 'PointContactKey'
      ? [{ type: ContactCaptureEventType.ContactKeyPointed, data: event }]
      : [{ type: ContactCaptureEventType.ContactKeyReleased, data: event }];
  },
};
