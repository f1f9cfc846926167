import { leadStream, newId, type LeadEvent, type RecordedEvent } from '@crm/contracts';
import { createTestDatabase, type TestDatabase } from '@crm/testing';
import { migrateInsights } from '../src/database/insights-migrations';
import { createInsightsReadModel, type InsightsReadModel } from '../src/insights-read-model';

/**
 * One migrated database and read model for a spec file (registered as beforeAll/afterAll);
 * `recorded` wraps a lead event as the store would deliver it, with ever-growing positions (the
 * projection's checkpoint is shared by the whole file, as in production).
 */
export const useInsightsReadModel = (name: string) => {
  let db: TestDatabase | undefined;
  let readModel: InsightsReadModel | undefined;
  let lastPosition = 0n;

  beforeAll(async () => {
    db = await createTestDatabase(name);
    await migrateInsights(db.url);
    readModel = createInsightsReadModel(db.url);
  }, 180_000);

  afterAll(async () => {
    await readModel?.close();
    await db?.drop();
  });

  return {
    readModel: (): InsightsReadModel => readModel!,
    lastPosition: (): bigint => lastPosition,
    recorded: (tenantId: string, event: LeadEvent, at = '2025-03-01T10:00:00.000Z'): RecordedEvent => ({
      id: newId(),
      type: event.type,
      streamName: leadStream(event.data.leadId),
      revision: 0,
      position: ++lastPosition,
      occurredAt: new Date(at),
      data: event.data,
      metadata: { tenantId, correlationId: newId() },
    }),
  };
};
