import {
  SalesCustomerEventType as C, SalesPipelineEventType as P,
  type AccountCreatedData, type AccountUpdatedData, type ContactCreatedData, type ContactUpdatedData, type OpportunityCreatedData,
  type OpportunityUpdatedData, type RecordMergedIntoData,
} from '@crm/contracts';

/**
 * What signing a contract needs to know about the customer, folded straight from the
 * customers' and opportunities' streams (their events are the public contract; the features
 * that write them are not imported here).
 */
export type AccountSnapshot = { accountId: string; name: string; mergedInto?: string };

export type ContactSnapshot = { contactId: string; name: string; email?: string; phone?: string; mergedInto?: string };

type StreamEvent = { type: string; data: unknown };

export const foldAccount = (events: readonly StreamEvent[]): AccountSnapshot | undefined =>
  events.reduce<AccountSnapshot | undefined>((account, e) => {
    if (e.type === C.AccountCreated) {
      const d = e.data as AccountCreatedData;
      return { accountId: d.accountId, name: d.name };
    }
    if (!account) return account;
    if (e.type === C.AccountUpdated) {
      const name = (e.data as AccountUpdatedData).changes.name;
      return name !== undefined ? { ...account, name } : account;
    }
    if (e.type === C.AccountMergedInto) return { ...account, mergedInto: (e.data as RecordMergedIntoData).survivorId };
    return account;
  }, undefined);

export const foldContact = (events: readonly StreamEvent[]): ContactSnapshot | undefined =>
  events.reduce<ContactSnapshot | undefined>((contact, e) => {
    if (e.type === C.ContactCreated) {
      const d = e.data as ContactCreatedData;
      return { contactId: d.contactId, name: d.name, ...(d.email !== undefined && { email: d.email }), ...(d.phone !== undefined && { phone: d.phone }) };
    }
    if (!contact) return contact;
    if (e.type === C.ContactUpdated) {
      const { name, email, phone } = (e.data as ContactUpdatedData).changes;
      // null clears a field; undefined leaves it as it was.
      const next = { ...contact, ...(name !== undefined && { name }) };
      if (email !== undefined) {
        delete next.email;
        if (email !== null) next.email = email;
      }
      if (phone !== undefined) {
        delete next.phone;
        if (phone !== null) next.phone = phone;
      }
      return next;
    }
    if (e.type === C.ContactMergedInto) return { ...contact, mergedInto: (e.data as RecordMergedIntoData).survivorId };
    return contact;
  }, undefined);

/** The contact an opportunity names, if any (its creation value, then any change). */
export const foldOpportunityContactId = (events: readonly StreamEvent[]): string | undefined =>
  events.reduce<string | undefined>((contactId, e) => {
    if (e.type === P.OpportunityCreated) return (e.data as OpportunityCreatedData).contactId;
    if (e.type === P.OpportunityUpdated) {
      const changed = (e.data as OpportunityUpdatedData).changes.contactId;
      return changed === undefined ? contactId : (changed ?? undefined);
    }
    return contactId;
  }, undefined);
