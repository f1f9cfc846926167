import type { RecordedEvent } from '@crm/contracts';
import type { EventStore } from '@crm/eventstore';

const PAGE = 500;

/**
 * Every event of one type in streams starting with `prefix`, of one tenant, in order. Used for
 * the small per-tenant configuration streams (pipelines, teams); the tenant check matters
 * because the prefix `pipeline-acme-` also matches streams of a tenant called `acme-east`.
 */
export const scanTenantStreams = async (store: EventStore, tenantId: string, prefix: string, eventType: string): Promise<RecordedEvent[]> => {
  const found: RecordedEvent[] = [];
  let after: bigint | undefined;
  for (;;) {
    const page = await store.readAll({ ...(after !== undefined && { after }), maxCount: PAGE, filter: { streamPrefixes: [prefix], eventTypes: [eventType] } });
    found.push(...page.filter((e) => e.metadata.tenantId === tenantId));
    if (page.length < PAGE) return found;
    after = page[page.length - 1].position;
  }
};
