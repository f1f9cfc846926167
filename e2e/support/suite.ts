import { createServiceApp, loadBaseConfig, type BaseConfig } from '@crm/nest-kit';
import { serviceInfo } from '@crm/contracts';
import { createTestDatabase, type TestDatabase } from '@crm/testing';
import type { DynamicModule } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule as InsightsModule } from '../../apps/insights/src/app.module';
import { AppModule as LeadsModule } from '../../apps/leads/src/app.module';
import { AppModule as SalesModule } from '../../apps/sales/src/app.module';
import { migrateAll } from '../../apps/launcher/src/migrate';

const MODULES = {
  leads: (config: BaseConfig) => LeadsModule.forRoot(config),
  sales: (config: BaseConfig) => SalesModule.forRoot(config),
  insights: (config: BaseConfig) => InsightsModule.forRoot(config),
} satisfies Record<string, (config: BaseConfig) => DynamicModule>;

export type SuiteService = keyof typeof MODULES;

export type RunningSuite = {
  db: TestDatabase;
  apps: Record<SuiteService, NestFastifyApplication>;
  /** The JetStream namespace of this run (with NATS). */
  natsNamespace?: string;
  stop: () => Promise<void>;
};

/**
 * Some of the suite's services in this process, on a fresh migrated database, wired exactly as
 * in production: embedded messaging (consumers read the services' event stores), or NATS
 * JetStream when `natsUrl` is given. Services not asked for are absent from `apps`.
 */
export const startSuite = async (name: string, services: readonly SuiteService[], natsUrl?: string): Promise<RunningSuite> => {
  const db = await createTestDatabase(name);
  await migrateAll(db.url);
  // Each run gets its own JetStream namespace: suites sharing the test nats-server never see each other's streams or durables.
  const natsNamespace = natsUrl ? `e2e-${db.name.replace(/[^a-z0-9]/g, '').slice(-20)}` : undefined;
  const env = { DATABASE_URL: db.url, ...(natsUrl ? { NATS_URL: natsUrl, NATS_NAMESPACE: natsNamespace } : {}) };
  const apps = {} as Record<SuiteService, NestFastifyApplication>;
  for (const service of services) {
    const config = loadBaseConfig(service, serviceInfo(service).port, env);
    apps[service] = await createServiceApp(MODULES[service](config), { name: service, description: 'e2e' }, { logger: false });
  }
  await Promise.all(services.map((s) => apps[s].init()));
  return {
    db,
    apps,
    natsNamespace,
    stop: async () => {
      await Promise.all(services.map((s) => apps[s].close()));
      await db.drop();
    },
  };
};
