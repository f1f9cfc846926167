import { createServiceApp, loadBaseConfig } from '@crm/nest-kit';
import { createTestDatabase, type TestDatabase } from '@crm/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule as InsightsModule } from '../../apps/insights/src/app.module';
import { AppModule as LeadsModule } from '../../apps/leads/src/app.module';
import { migrateAll } from '../../apps/launcher/src/migrate';

export type RunningSuite = { db: TestDatabase; leads: NestFastifyApplication; insights: NestFastifyApplication; stop: () => Promise<void> };

/**
 * Leads and insights in this process, on a fresh migrated database, wired exactly as in
 * production: embedded messaging, or NATS JetStream when `natsUrl` is given.
 */
export const startLeadsAndInsights = async (name: string, natsUrl?: string): Promise<RunningSuite> => {
  const db = await createTestDatabase(name);
  await migrateAll(db.url);
  const env = { DATABASE_URL: db.url, ...(natsUrl ? { NATS_URL: natsUrl } : {}) };
  const leads = await createServiceApp(LeadsModule.forRoot(loadBaseConfig('leads', 3101, env)), { name: 'leads', description: 'e2e' }, { logger: false });
  const insights = await createServiceApp(InsightsModule.forRoot(loadBaseConfig('insights', 3105, env)), { name: 'insights', description: 'e2e' }, { logger: false });
  await Promise.all([leads.init(), insights.init()]);
  return {
    db,
    leads,
    insights,
    stop: async () => {
      await Promise.all([leads.close(), insights.close()]);
      await db.drop();
    },
  };
};
