import type { InsightsPrisma } from '../../database/insights-prisma';
import { rate } from '../report-values';
import { ReportsError } from '../reports.errors';

/** One arm of a campaign's A/B test: engagement counts and rates over `sent`. */
export type VariantMetrics = {
  variant: string;
  /** Weight of the split as defined; null for an arm that was engaged but never defined. */
  weight: number | null;
  sent: number;
  opened: number;
  clicked: number;
  converted: number;
  /** opened / sent (null when nothing was sent), and likewise: */
  openRate: number | null;
  clickRate: number | null;
  /** clicked / opened. */
  clickToOpenRate: number | null;
  conversionRate: number | null;
};

export type VariantComparison = { campaignId: string; variants: VariantMetrics[] };

/** The A/B variant comparison of one campaign, variants by key. */
export const compareVariants = async (prisma: InsightsPrisma, tenantId: string, campaignId: string): Promise<VariantComparison> => {
  const campaign = await prisma.campaign.findUnique({ where: { tenantId_id: { tenantId, id: campaignId } }, select: { id: true } });
  if (!campaign) throw new ReportsError('campaign_not_found', `campaign ${campaignId} not found`, { campaignId });
  const rows = await prisma.campaignVariantEngagement.findMany({ where: { tenantId, campaignId }, orderBy: { variant: 'asc' } });
  return {
    campaignId,
    variants: rows.map((row) => ({
      variant: row.variant,
      weight: row.weight,
      sent: row.sent,
      opened: row.opened,
      clicked: row.clicked,
      converted: row.converted,
      openRate: rate(row.opened, row.sent),
      clickRate: rate(row.clicked, row.sent),
      clickToOpenRate: rate(row.clicked, row.opened),
      conversionRate: rate(row.converted, row.sent),
    })),
  };
};
