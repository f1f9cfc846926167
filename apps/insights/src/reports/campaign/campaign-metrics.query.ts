import { Prisma, type InsightsPrisma } from '../../database/insights-prisma';
import { divideRounded, rate } from '../report-values';
import { ReportsError } from '../reports.errors';

/**
 * A campaign's numbers (DOMAIN.md §6 "campaign ROI and cost per lead"). Money in integer minor
 * units of the campaign's (budget) currency, as decimal strings; costs and won deals in another
 * currency are not converted and not counted.
 */
export type CampaignMetrics = {
  campaignId: string;
  name: string;
  channel: string;
  currency: string;
  budgetMinor: string;
  /** Leads captured with this campaign (`LeadCaptured.source.campaignId`). */
  leads: number;
  qualified: number;
  converted: number;
  /** converted / leads; null without leads. */
  conversionRate: number | null;
  costMinor: string;
  /** cost / leads rounded half up to a minor unit; null without leads. */
  costPerLeadMinor: string | null;
  /** Won deals whose lead was captured with this campaign. */
  wonDeals: number;
  /** Their amount; null while no such won deal exists (sales events not projected yet). */
  revenueMinor: string | null;
  /** (revenue − cost) / cost; null without won deals or without cost. */
  roi: number | null;
};

type Row = {
  id: string;
  name: string;
  channel: string;
  currency: string;
  budget_minor: string;
  leads: number;
  qualified: number;
  converted: number;
  cost_minor: string;
  won_deals: number;
  revenue_minor: string;
};

const toMetrics = (row: Row): CampaignMetrics => {
  const cost = BigInt(row.cost_minor);
  const revenue = BigInt(row.revenue_minor);
  const hasRevenue = row.won_deals > 0;
  return {
    campaignId: row.id,
    name: row.name,
    channel: row.channel,
    currency: row.currency,
    budgetMinor: row.budget_minor,
    leads: row.leads,
    qualified: row.qualified,
    converted: row.converted,
    conversionRate: rate(row.converted, row.leads),
    costMinor: cost.toString(),
    costPerLeadMinor: row.leads === 0 ? null : divideRounded(cost, BigInt(row.leads)).toString(),
    wonDeals: row.won_deals,
    revenueMinor: hasRevenue ? revenue.toString() : null,
    roi: hasRevenue && cost > 0n ? Number(revenue - cost) / Number(cost) : null,
  };
};

const select = (prisma: InsightsPrisma, tenantId: string, campaignId?: string): Promise<Row[]> => {
  const only = campaignId === undefined ? Prisma.empty : Prisma.sql`AND c.id = ${campaignId}`;
  return prisma.$queryRaw<Row[]>`
    SELECT c.id, c.name, c.channel, c.currency, c.budget_minor::text AS budget_minor,
           COALESCE(f.leads, 0)::int AS leads,
           COALESCE(f.qualified, 0)::int AS qualified,
           COALESCE(f.converted, 0)::int AS converted,
           COALESCE((SELECT sum(k.amount_minor) FROM insights.campaign_cost k
                      WHERE k.tenant_id = c.tenant_id AND k.campaign_id = c.id AND k.currency = c.currency), 0)::text AS cost_minor,
           COALESCE(w.won_deals, 0)::int AS won_deals,
           COALESCE(w.revenue, 0)::text AS revenue_minor
      FROM insights.campaign c
      LEFT JOIN LATERAL (
             SELECT count(*) AS leads, count(qualified_at) AS qualified, count(converted_at) AS converted
               FROM insights.lead_funnel_fact lf
              WHERE lf.tenant_id = c.tenant_id AND lf.campaign_id = c.id) f ON true
      LEFT JOIN LATERAL (
             SELECT count(*) AS won_deals, sum(d.amount_minor) AS revenue
               FROM insights.won_deal d
               JOIN insights.lead_funnel_fact lf ON lf.tenant_id = d.tenant_id AND lf.lead_id = d.lead_id
              WHERE d.tenant_id = c.tenant_id AND lf.campaign_id = c.id AND d.currency = c.currency) w ON true
     WHERE c.tenant_id = ${tenantId} ${only}
     ORDER BY c.created_at, c.id`;
};

export const listCampaignMetrics = async (prisma: InsightsPrisma, tenantId: string): Promise<CampaignMetrics[]> =>
  (await select(prisma, tenantId)).map(toMetrics);

/** One campaign's metrics; ReportsError `campaign_not_found` (404) for a campaign of no such id in the tenant. */
export const getCampaignMetrics = async (prisma: InsightsPrisma, tenantId: string, campaignId: string): Promise<CampaignMetrics> => {
  const [row] = await select(prisma, tenantId, campaignId);
  if (!row) throw new ReportsError('campaign_not_found', `campaign ${campaignId} not found`, { campaignId });
  return toMetrics(row);
};
