import type { EngagementCounts, ExistingCampaign } from '../domain/campaign.decider';
import type { CampaignResponse } from './campaign.dto';

const ratio = (n: number, of: number): number | null => (of === 0 ? null : Math.round((n / of) * 10_000) / 10_000);

const withRates = (counts: EngagementCounts) => ({
  counts: { ...counts },
  rates: { openRate: ratio(counts.opened, counts.sent), clickRate: ratio(counts.clicked, counts.sent), conversionRate: ratio(counts.converted, counts.sent) },
});

/** The campaign document served by GET /v1/campaigns/{id}: money in minor units, rates as fractions (4 places). */
export const campaignView = (c: ExistingCampaign, revision: number): CampaignResponse => ({
  id: c.campaignId,
  status: c.status,
  revision,
  name: c.name,
  channel: c.channel,
  startsOn: c.startsOn,
  endsOn: c.endsOn,
  budget: c.budget,
  totalCost: { amountMinor: c.totalCostMinor, currency: c.budget.currency },
  remaining: { amountMinor: c.budget.amountMinor - c.totalCostMinor, currency: c.budget.currency },
  budgetExceeded: c.budgetExceeded,
  variants: c.variants.map((v) => ({ ...v, ...withRates(c.variantCounts.get(v.key) ?? { sent: 0, opened: 0, clicked: 0, converted: 0 }) })),
  totals: withRates(c.totals),
});
