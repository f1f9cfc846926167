import { DEFAULT_SALES_SETTINGS } from '@crm/contracts';
import type { InsightsPrisma } from '../../database/insights-prisma';
import { rate } from '../../reports/report-values';
import { periodInterval } from '../sales-period';
import { byCodePoint, sortByCurrency, type MoneyAmount, type RepOrTeam } from '../sales-values';

export const LEADERBOARD_METRICS = ['won_amount', 'win_rate', 'activities'] as const;
export type LeaderboardMetric = (typeof LEADERBOARD_METRICS)[number];

export type LeaderboardOptions = {
  /** `2026-11`, `2026-Q4` or `2026` (UTC). */
  period: string;
  groupBy: RepOrTeam;
  metric: LeaderboardMetric;
  /** The currency won amounts are ranked in (default: the tenant's sales default currency, else CNY). */
  currency?: string;
};

/** What a rep or team did in the period. */
export type LeaderboardStats = {
  wonCount: number;
  lostCount: number;
  /** Won amount per currency, in minor units. */
  won: Map<string, bigint>;
  activities: number;
};

export type LeaderboardRow = {
  /** 1 for the best; equal values share a rank (1, 2, 2, 4). */
  rank: number;
  /** The rep's id or the team's id. */
  key: string;
  /** The team's name; null for a rep. */
  name: string | null;
  /** Won in the period in the report's currency. */
  wonAmount: MoneyAmount;
  /** Won in other currencies (not converted; not part of the ranking). */
  wonInOtherCurrencies: MoneyAmount[];
  wonCount: number;
  lostCount: number;
  /** won / (won + lost) of the opportunities closed in the period; null when none closed. */
  winRate: number | null;
  /** Activities logged with `occurredAt` in the period. */
  activities: number;
};

export type SalesLeaderboard = {
  period: string;
  from: string;
  to: string;
  groupBy: RepOrTeam;
  metric: LeaderboardMetric;
  currency: string;
  rows: LeaderboardRow[];
};

type ClosedRow = { owner_id: string; currency: string; won_count: number; won: string; lost_count: number };
type ActivityRow = { actor_id: string; activities: number };
type TeamRow = { id: string; name: string; member_id: string | null };

const emptyStats = (): LeaderboardStats => ({ wonCount: 0, lostCount: 0, won: new Map(), activities: 0 });

const addStats = (into: LeaderboardStats, from: LeaderboardStats): void => {
  into.wonCount += from.wonCount;
  into.lostCount += from.lostCount;
  into.activities += from.activities;
  for (const [currency, amount] of from.won) into.won.set(currency, (into.won.get(currency) ?? 0n) + amount);
};

type Unranked = Omit<LeaderboardRow, 'rank'>;

const toRow = (key: string, name: string | null, stats: LeaderboardStats, currency: string): Unranked => ({
  key,
  name,
  wonAmount: { currency, amountMinor: (stats.won.get(currency) ?? 0n).toString() },
  wonInOtherCurrencies: sortByCurrency(
    [...stats.won].filter(([c]) => c !== currency).map(([c, amount]) => ({ currency: c, amountMinor: amount.toString() })),
  ),
  wonCount: stats.wonCount,
  lostCount: stats.lostCount,
  winRate: rate(stats.wonCount, stats.wonCount + stats.lostCount),
  activities: stats.activities,
});

/** The ranked value of a row: bigger is better; null (no win rate) ranks below every number. */
const valueOf = (row: Unranked, metric: LeaderboardMetric): bigint | number | null => {
  switch (metric) {
    case 'won_amount':
      return BigInt(row.wonAmount.amountMinor);
    case 'win_rate':
      return row.winRate;
    case 'activities':
      return row.activities;
  }
};

const compareValues = (a: bigint | number | null, b: bigint | number | null): number => {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a > b ? -1 : 1;
};

/** Best first by `metric`, ties by key; equal values share the rank of the first of them (competition ranking). */
export const rankRows = (rows: Unranked[], metric: LeaderboardMetric): LeaderboardRow[] => {
  const sorted = [...rows].sort((a, b) => compareValues(valueOf(a, metric), valueOf(b, metric)) || byCodePoint(a.key, b.key));
  const ranked: LeaderboardRow[] = [];
  sorted.forEach((row, i) => {
    const previous = ranked[i - 1];
    const tied = previous !== undefined && compareValues(valueOf(previous, metric), valueOf(row, metric)) === 0;
    ranked.push({ rank: tied ? previous.rank : i + 1, ...row });
  });
  return ranked;
};

const reportCurrency = async (prisma: InsightsPrisma, tenantId: string, requested: string | undefined): Promise<string> => {
  if (requested !== undefined) return requested;
  const settings = await prisma.salesSettings.findUnique({ where: { tenantId } });
  return settings?.defaultCurrency ?? DEFAULT_SALES_SETTINGS.defaultCurrency;
};

/**
 * Leaderboards (DOMAIN.md §2 "Team performance"): per rep — every rep who closed an opportunity,
 * logged an activity in the period or is a member of a team — or per team (the sum of its current
 * members' numbers; reps in no team are in no team row), ranked by won amount in one currency, win
 * rate, or activity count. Closed = won or lost with the win/loss instant in the period, and still
 * so (a reopened opportunity is not closed).
 */
export const salesLeaderboard = async (prisma: InsightsPrisma, tenantId: string, options: LeaderboardOptions): Promise<SalesLeaderboard> => {
  const { start, end } = periodInterval(options.period);
  const [currency, closed, activities, teams] = await Promise.all([
    reportCurrency(prisma, tenantId, options.currency),
    prisma.$queryRaw<ClosedRow[]>`
      SELECT owner_id, currency,
             count(*) FILTER (WHERE status = 'won')::int AS won_count,
             COALESCE(sum(amount_minor) FILTER (WHERE status = 'won'), 0)::text AS won,
             count(*) FILTER (WHERE status = 'lost')::int AS lost_count
        FROM insights.sales_opportunity
       WHERE tenant_id = ${tenantId}
         AND ((status = 'won' AND won_at >= ${start} AND won_at < ${end}) OR (status = 'lost' AND lost_at >= ${start} AND lost_at < ${end}))
       GROUP BY owner_id, currency`,
    prisma.$queryRaw<ActivityRow[]>`
      SELECT actor_id, count(*)::int AS activities
        FROM insights.sales_activity
       WHERE tenant_id = ${tenantId} AND occurred_at >= ${start} AND occurred_at < ${end}
       GROUP BY actor_id`,
    prisma.$queryRaw<TeamRow[]>`
      SELECT t.id, t.name, m.member_id
        FROM insights.sales_team t
        LEFT JOIN insights.sales_team_member m ON m.tenant_id = t.tenant_id AND m.team_id = t.id
       WHERE t.tenant_id = ${tenantId}`,
  ]);

  const reps = new Map<string, LeaderboardStats>();
  const statsOf = (rep: string): LeaderboardStats => {
    const stats = reps.get(rep) ?? emptyStats();
    reps.set(rep, stats);
    return stats;
  };
  for (const row of closed) {
    const stats = statsOf(row.owner_id);
    stats.wonCount += row.won_count;
    stats.lostCount += row.lost_count;
    if (row.won_count > 0) stats.won.set(row.currency, (stats.won.get(row.currency) ?? 0n) + BigInt(row.won));
  }
  for (const row of activities) statsOf(row.actor_id).activities += row.activities;
  for (const row of teams) if (row.member_id !== null) statsOf(row.member_id);

  let rows: Unranked[];
  if (options.groupBy === 'rep') {
    rows = [...reps].map(([rep, stats]) => toRow(rep, null, stats, currency));
  } else {
    const byTeam = new Map<string, { name: string; stats: LeaderboardStats }>();
    for (const row of teams) {
      const team = byTeam.get(row.id) ?? { name: row.name, stats: emptyStats() };
      byTeam.set(row.id, team);
      if (row.member_id !== null) addStats(team.stats, statsOf(row.member_id));
    }
    rows = [...byTeam].map(([id, team]) => toRow(id, team.name, team.stats, currency));
  }
  return {
    period: options.period,
    from: start.toISOString(),
    to: end.toISOString(),
    groupBy: options.groupBy,
    metric: options.metric,
    currency,
    rows: rankRows(rows, options.metric),
  };
};
