import type { InsightsPrisma } from '../../database/insights-prisma';
import {
  aggregate,
  attribute,
  type AttributionCredit,
  type AttributionDimension,
  type AttributionModel,
  type Touch,
} from '../../attribution/domain/attribution';
import { assertPeriod, type Period } from '../report-values';

export type AttributionReportOptions = Period & {
  model: AttributionModel;
  groupBy: AttributionDimension;
  /** time_decay only (default 7). */
  halfLifeDays?: number;
  /** Touches older than this before the win do not count (default 90). */
  lookbackDays?: number;
};

type Money = { currency: string; amountMinor: string };

export type AttributionReport = {
  model: AttributionModel;
  groupBy: AttributionDimension;
  halfLifeDays: number | null;
  from: string | null;
  to: string | null;
  /** Won deals in [from, to). */
  deals: number;
  /** Their amount per currency. */
  revenue: Money[];
  /** Credited revenue per campaign (`(none)`: touches without one) or channel, per currency. */
  totals: Array<Money & { key: string }>;
  /** Revenue of deals without a lead or without a touch in the lookback window, per currency. */
  unattributed: Array<Money & { deals: number }>;
};

const addTo = <T extends { currency: string; amountMinor: bigint }>(map: Map<string, T>, currency: string, amount: bigint, create: () => T): T => {
  const entry = map.get(currency) ?? create();
  entry.amountMinor += amount;
  map.set(currency, entry);
  return entry;
};

const byCurrency = <T extends { currency: string }>(values: Iterable<T>): T[] => [...values].sort((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0));

/**
 * Multi-touch attribution of won revenue (`insights.won_deal`, filled by the sales projection)
 * to campaigns or channels, with the pure `attribute`/`aggregate` over each deal's lead's touches
 * (`insights.lead_touch`: the capture, then the touchpoints). Touches at the same instant keep
 * touchpoint-id order. Invalid options throw AttributionError (400).
 */
export const attributionReport = async (prisma: InsightsPrisma, tenantId: string, options: AttributionReportOptions): Promise<AttributionReport> => {
  assertPeriod(options);
  const deals = await prisma.wonDeal.findMany({
    where: { tenantId, wonAt: { ...(options.from ? { gte: options.from } : {}), ...(options.to ? { lt: options.to } : {}) } },
    orderBy: [{ wonAt: 'asc' }, { dealId: 'asc' }],
  });
  const leadIds = [...new Set(deals.flatMap((deal) => (deal.leadId === null ? [] : [deal.leadId])))];
  const touchRows = leadIds.length === 0 ? [] : await prisma.leadTouch.findMany({ where: { tenantId, leadId: { in: leadIds } }, orderBy: [{ at: 'asc' }, { touchpointId: 'asc' }] });
  const touchesOf = new Map<string, Touch[]>();
  for (const row of touchRows) {
    const touches = touchesOf.get(row.leadId) ?? [];
    touches.push({ touchpointId: row.touchpointId, at: row.at, channel: row.channel, ...(row.campaignId === null ? {} : { campaignId: row.campaignId }) });
    touchesOf.set(row.leadId, touches);
  }

  const settings = {
    ...(options.halfLifeDays === undefined ? {} : { halfLifeDays: options.halfLifeDays }),
    ...(options.lookbackDays === undefined ? {} : { lookbackDays: options.lookbackDays }),
  };
  const credits: AttributionCredit[] = [];
  const revenue = new Map<string, { currency: string; amountMinor: bigint }>();
  const unattributed = new Map<string, { currency: string; amountMinor: bigint; deals: number }>();
  for (const deal of deals) {
    addTo(revenue, deal.currency, deal.amountMinor, () => ({ currency: deal.currency, amountMinor: 0n }));
    const touches = deal.leadId === null ? [] : (touchesOf.get(deal.leadId) ?? []);
    const dealCredits = attribute({ amountMinor: deal.amountMinor, currency: deal.currency, wonAt: deal.wonAt, touches }, options.model, settings);
    if (dealCredits.length === 0) {
      addTo(unattributed, deal.currency, deal.amountMinor, () => ({ currency: deal.currency, amountMinor: 0n, deals: 0 })).deals += 1;
    }
    credits.push(...dealCredits);
  }

  return {
    model: options.model,
    groupBy: options.groupBy,
    halfLifeDays: options.model === 'time_decay' ? (options.halfLifeDays ?? 7) : null,
    from: options.from?.toISOString() ?? null,
    to: options.to?.toISOString() ?? null,
    deals: deals.length,
    revenue: byCurrency(revenue.values()).map((m) => ({ currency: m.currency, amountMinor: m.amountMinor.toString() })),
    totals: aggregate(credits, options.groupBy).map((t) => ({ currency: t.currency, key: t.key, amountMinor: t.amountMinor.toString() })),
    unattributed: byCurrency(unattributed.values()).map((m) => ({ currency: m.currency, amountMinor: m.amountMinor.toString(), deals: m.deals })),
  };
};
