import type { EventConsumer, RunningConsumer } from '@crm/messaging';
import { createInsightsPrisma, type InsightsPrisma, type InsightsPrismaOptions } from './database/insights-prisma';
import { createLeadReadModelProjection, type LeadReadModelProjection } from './lead/lead-read-model.projection';
import { createLeadQuery, type LeadQuery } from './lead/lead.query';
import { createCampaignReportProjection, type CampaignReportProjection } from './reports/campaign/campaign.projection';
import { createLeadFunnelProjection, type LeadFunnelProjection } from './reports/funnel/lead-funnel.projection';
import { createReportsQuery, type ReportsQuery } from './reports/reports.query';
import { createSalesReportsProjection, type SalesReportsProjection } from './sales/sales-reports.projection';
import { createSalesReportsQuery, type SalesReportsQuery } from './sales/sales-reports.query';

export type InsightsReadModel = {
  prisma: InsightsPrisma;
  /** Queries, one per feature. */
  leads: LeadQuery;
  reports: ReportsQuery;
  sales: SalesReportsQuery;
  /** Projections, one per read model. */
  projections: {
    leadReadModel: LeadReadModelProjection;
    leadFunnel: LeadFunnelProjection;
    campaignReport: CampaignReportProjection;
    salesReports: SalesReportsProjection;
  };
  /** Starts every projection on `consumer` (one durable consumer each). */
  startProjections(consumer: EventConsumer): Promise<RunningConsumer[]>;
  /** Closes the connection pool (stop the running consumers first). */
  close(): Promise<void>;
};

/**
 * The insights read side over one PostgreSQL database: its queries and its projections.
 * No I/O until used; run `migrateInsights(databaseUrl)` once before (at start-up).
 */
export const createInsightsReadModel = (databaseUrl: string, options: InsightsPrismaOptions = {}): InsightsReadModel => {
  const prisma = createInsightsPrisma(databaseUrl, options);
  const leadReadModel = createLeadReadModelProjection(prisma);
  const leadFunnel = createLeadFunnelProjection(prisma);
  const campaignReport = createCampaignReportProjection(prisma);
  const salesReports = createSalesReportsProjection(prisma);
  const projections = { leadReadModel, leadFunnel, campaignReport, salesReports };
  return {
    prisma,
    leads: createLeadQuery(prisma),
    reports: createReportsQuery(prisma),
    sales: createSalesReportsQuery(prisma),
    projections,
    startProjections: async (consumer) => Promise.all(Object.values(projections).map((p) => consumer.start(p.consumer, p.handle))),
    close: () => prisma.$disconnect(),
  };
};
