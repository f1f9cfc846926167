import { Prisma, type InsightsPrisma } from '../../database/insights-prisma';
import { rate } from '../../reports/report-values';
import { periodInterval } from '../sales-period';
import type { MoneyAmount, RepOrTeam } from '../sales-values';

export type TargetsOptions = {
  /** `2026-11`, `2026-Q4` or `2026`: the targets set for exactly this period. */
  period: string;
  /** Only the targets of reps or of teams (default both). */
  scope?: RepOrTeam;
};

export type TargetAttainment = {
  scope: { kind: RepOrTeam; id: string };
  /** The team's name; null for a rep (and for a team never defined). */
  name: string | null;
  targetId: string;
  target: MoneyAmount;
  /** Won in the period in the target's currency (won deals in other currencies are not converted and not counted). */
  won: MoneyAmount;
  wonCount: number;
  /** won / target; null when the target is 0. */
  attainment: number | null;
};

export type SalesTargetsReport = {
  period: string;
  /** The period as a UTC interval [from, to). */
  from: string;
  to: string;
  /** Reps first, then teams; by id. */
  targets: TargetAttainment[];
};

type Row = {
  scope_kind: RepOrTeam;
  scope_id: string;
  name: string | null;
  target_id: string;
  target: string;
  currency: string;
  won_count: number;
  won: string;
};

/**
 * Target attainment (DOMAIN.md §2 "sales targets per rep/team and period, with attainment"): each
 * target set for the period beside the amount won in it — opportunities whose win instant lies in
 * the period's UTC interval and that are still won (a reopened deal no longer counts). A rep's
 * won deals are those they own; a team's are its current members' (see TEAM_OF_OWNER).
 */
export const salesTargets = async (prisma: InsightsPrisma, tenantId: string, options: TargetsOptions): Promise<SalesTargetsReport> => {
  const { start, end } = periodInterval(options.period);
  const scope = options.scope === undefined ? Prisma.empty : Prisma.sql`AND t.scope_kind = ${options.scope}`;
  const rows = await prisma.$queryRaw<Row[]>`
    SELECT t.scope_kind, t.scope_id, team.name, t.target_id, t.amount_minor::text AS target, t.currency,
           COALESCE(w.won_count, 0)::int AS won_count, COALESCE(w.won, 0)::text AS won
      FROM insights.sales_target t
      LEFT JOIN insights.sales_team team ON t.scope_kind = 'team' AND team.tenant_id = t.tenant_id AND team.id = t.scope_id
      LEFT JOIN LATERAL (
             SELECT count(*) AS won_count, sum(o.amount_minor) AS won
               FROM insights.sales_opportunity o
              WHERE o.tenant_id = t.tenant_id AND o.status = 'won' AND o.won_at >= ${start} AND o.won_at < ${end}
                AND o.currency = t.currency
                AND CASE WHEN t.scope_kind = 'rep' THEN o.owner_id = t.scope_id
                         ELSE o.owner_id IN (SELECT m.member_id FROM insights.sales_team_member m WHERE m.tenant_id = t.tenant_id AND m.team_id = t.scope_id)
                    END) w ON true
     WHERE t.tenant_id = ${tenantId} AND t.period = ${options.period} ${scope}
     ORDER BY t.scope_kind COLLATE "C", t.scope_id COLLATE "C"`;
  return {
    period: options.period,
    from: start.toISOString(),
    to: end.toISOString(),
    targets: rows.map((row) => ({
      scope: { kind: row.scope_kind, id: row.scope_id },
      name: row.name,
      targetId: row.target_id,
      target: { currency: row.currency, amountMinor: row.target },
      won: { currency: row.currency, amountMinor: row.won },
      wonCount: row.won_count,
      // Ratios of amounts far below 2^53 in practice; a ratio needs no more precision than a double.
      attainment: rate(Number(row.won), Number(row.target)),
    })),
  };
};
