import type { InsightsPrisma } from '../database/insights-prisma';
import { salesForecast, type ForecastOptions, type SalesForecast } from './forecast/sales-forecast.query';
import { opportunityFunnel, type OpportunityFunnel, type OpportunityFunnelOptions } from './funnel/opportunity-funnel.query';
import { salesLeaderboard, type LeaderboardOptions, type SalesLeaderboard } from './leaderboard/sales-leaderboard.query';
import { salesTargets, type SalesTargetsReport, type TargetsOptions } from './targets/sales-targets.query';

/** The sales reports (DOMAIN.md §2 forecast, targets, team performance; §6 funnel). Every query is scoped to one tenant. */
export type SalesReportsQuery = {
  forecast(tenantId: string, options: ForecastOptions): Promise<SalesForecast>;
  targets(tenantId: string, options: TargetsOptions): Promise<SalesTargetsReport>;
  leaderboard(tenantId: string, options: LeaderboardOptions): Promise<SalesLeaderboard>;
  opportunityFunnel(tenantId: string, options: OpportunityFunnelOptions): Promise<OpportunityFunnel>;
};

export const createSalesReportsQuery = (prisma: InsightsPrisma): SalesReportsQuery => ({
  forecast: (tenantId, options) => salesForecast(prisma, tenantId, options),
  targets: (tenantId, options) => salesTargets(prisma, tenantId, options),
  leaderboard: (tenantId, options) => salesLeaderboard(prisma, tenantId, options),
  opportunityFunnel: (tenantId, options) => opportunityFunnel(prisma, tenantId, options),
});
