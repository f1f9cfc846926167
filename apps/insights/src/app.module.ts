import type { EventConsumer, RunningConsumer } from '@crm/messaging';
import { createEventConsumer, createPool, HealthModule, ObservabilityModule, type BaseConfig, type ReadinessCheck } from '@crm/nest-kit';
import { type DynamicModule, Global, Inject, Injectable, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { registerLagSource } from '@crm/observability';
import type { Pool } from 'pg';
import { createInsightsReadModel, type InsightsReadModel } from './insights-read-model';
import { INSIGHTS_CONSUMER, INSIGHTS_READ_MODEL } from './insights.tokens';
import { LeadQueryController } from './lead/http/lead-query.controller';
import { ReportsController } from './reports/http/reports.controller';
import { SalesReportsController } from './sales/http/sales-reports.controller';

type ConsumerRuntime = { consumer: EventConsumer; readiness: ReadinessCheck[]; close: () => Promise<void>; pool?: Pool };

/** Runs every projection on the consumer port from start-up to shutdown. */
@Injectable()
class ProjectionRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private running: RunningConsumer[] = [];
  private unregister: (() => void)[] = [];
  private readonly logger = new Logger('projections');

  constructor(
    @Inject(INSIGHTS_READ_MODEL) private readonly readModel: InsightsReadModel,
    @Inject(INSIGHTS_CONSUMER) private readonly runtime: ConsumerRuntime,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.running = await this.readModel.startProjections(this.runtime.consumer);
    // crm_consumer_lag{consumer,source}: what the chart's lag-based autoscaling and alerts read.
    Object.values(this.readModel.projections).forEach((projection, i) => {
      for (const source of projection.consumer.sources) {
        this.unregister.push(registerLagSource(projection.consumer.name, source, async () =>
          (await this.running[i].lag()).find((l) => l.source === source)?.pending ?? 0));
      }
    });
    this.logger.log(`${this.running.length} projection(s) running`);
  }

  async onApplicationShutdown(): Promise<void> {
    this.unregister.forEach((u) => u());
    await Promise.all(this.running.map((r) => r.stop()));
    await this.runtime.close();
    await this.runtime.pool?.end();
    await this.readModel.close();
  }
}

/** The read model and the consumer runtime, visible to every module of the app (health checks them). */
@Global()
@Module({})
class InsightsCoreModule {
  static forRoot(config: BaseConfig, databaseUrl: string, overrides: { consumer?: EventConsumer }): DynamicModule {
    return {
      module: InsightsCoreModule,
      exports: [INSIGHTS_READ_MODEL, INSIGHTS_CONSUMER],
      providers: [
        { provide: INSIGHTS_READ_MODEL, useFactory: () => createInsightsReadModel(databaseUrl) },
        {
          provide: INSIGHTS_CONSUMER,
          useFactory: async (): Promise<ConsumerRuntime> => {
            if (overrides.consumer) return { consumer: overrides.consumer, readiness: [], close: async () => undefined };
            const pool = createPool(databaseUrl, 5);
            return { ...(await createEventConsumer(config, 'insights', pool)), pool };
          },
        },
        ProjectionRunner,
      ],
    };
  }
}

/** Composition root of insights: the read models, their projections, and the query API. */
@Module({})
export class AppModule {
  static forRoot(config: BaseConfig, overrides: { consumer?: EventConsumer } = {}): DynamicModule {
    const databaseUrl = config.DATABASE_URL;
    if (!databaseUrl) throw new Error('insights needs DATABASE_URL (its read models live in PostgreSQL)');
    return {
      module: AppModule,
      imports: [
        InsightsCoreModule.forRoot(config, databaseUrl, overrides),
        ObservabilityModule.forRoot('insights'),
        HealthModule.forRoot({
          inject: [INSIGHTS_READ_MODEL, INSIGHTS_CONSUMER],
          useFactory: (readModel: InsightsReadModel, runtime: ConsumerRuntime): ReadinessCheck[] => [
            { name: 'database', check: async () => void (await readModel.prisma.$queryRaw`SELECT 1`) },
            ...runtime.readiness,
          ],
        }),
      ],
      controllers: [LeadQueryController, ReportsController, SalesReportsController],
    };
  }
}
