import { accountStream, contactStream, opportunityStream, type SalesSubject } from '@crm/contracts';
import type { EventStore } from '@crm/eventstore';

/**
 * The references of `about` that name nothing this tenant has: an account, contact or
 * opportunity stream that does not exist, or belongs to another tenant (which must look the
 * same, so ids cannot be probed across tenants). Only the first event of each stream is read.
 */
export const unknownSubjects = async (store: EventStore, tenantId: string, about: SalesSubject): Promise<string[]> => {
  const refs: [keyof SalesSubject, string | undefined, (id: string) => string][] = [
    ['accountId', about.accountId, accountStream],
    ['contactId', about.contactId, contactStream],
    ['opportunityId', about.opportunityId, opportunityStream],
  ];
  const missing: string[] = [];
  for (const [field, id, stream] of refs) {
    if (id === undefined) continue;
    const [first] = await store.readStream(stream(id), { maxCount: 1 });
    if (first?.metadata.tenantId !== tenantId) missing.push(field);
  }
  return missing;
};
