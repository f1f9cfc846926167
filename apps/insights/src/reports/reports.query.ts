import type { InsightsPrisma } from '../database/insights-prisma';
import { attributionReport, type AttributionReport, type AttributionReportOptions } from './attribution/attribution-report.query';
import { getCampaignMetrics, listCampaignMetrics, type CampaignMetrics } from './campaign/campaign-metrics.query';
import { compareVariants, type VariantComparison } from './campaign/campaign-variants.query';
import { leadFunnel, type LeadFunnelOptions, type LeadFunnelReport } from './funnel/lead-funnel.query';

/** The marketing reports (DOMAIN.md §1 campaigns/attribution, §6 funnel and campaign ROI). Every query is scoped to one tenant. */
export type ReportsQuery = {
  leadFunnel(tenantId: string, options: LeadFunnelOptions): Promise<LeadFunnelReport>;
  listCampaigns(tenantId: string): Promise<CampaignMetrics[]>;
  getCampaign(tenantId: string, campaignId: string): Promise<CampaignMetrics>;
  compareVariants(tenantId: string, campaignId: string): Promise<VariantComparison>;
  attribution(tenantId: string, options: AttributionReportOptions): Promise<AttributionReport>;
};

export const createReportsQuery = (prisma: InsightsPrisma): ReportsQuery => ({
  leadFunnel: (tenantId, options) => leadFunnel(prisma, tenantId, options),
  listCampaigns: (tenantId) => listCampaignMetrics(prisma, tenantId),
  getCampaign: (tenantId, campaignId) => getCampaignMetrics(prisma, tenantId, campaignId),
  compareVariants: (tenantId, campaignId) => compareVariants(prisma, tenantId, campaignId),
  attribution: (tenantId, options) => attributionReport(prisma, tenantId, options),
});
