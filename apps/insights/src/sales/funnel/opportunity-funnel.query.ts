import { DEFAULT_PIPELINE_ID, DEFAULT_PIPELINE_STAGES, PipelineStage } from '@crm/contracts';
import { z } from 'zod';
import { Prisma, type InsightsPrisma } from '../../database/insights-prisma';
import { assertPeriod, rate } from '../../reports/report-values';
import { SalesReportsError } from '../sales-reports.errors';
import { byCodePoint, sortByCurrency, type MoneyAmount } from '../sales-values';

export type OpportunityFunnelOptions = {
  pipelineId: string;
  /** Opportunities created in [from, to); either end open when omitted. */
  from?: Date;
  to?: Date;
};

/** A count of opportunities and their amount per currency. */
export type OpportunityTotal = { count: number; amounts: MoneyAmount[] };

export type FunnelStage = {
  stageId: string;
  name: string;
  probability: number;
  /** Opportunities of the cohort that ever entered the stage (a skipped stage is not reached). */
  reached: number;
  /** Their current amount, per currency. */
  amounts: MoneyAmount[];
  /** reached of the next stage / reached of this one; for the last stage won / reached. Null when none reached. */
  conversionRate: number | null;
  /** Mean of (left − entered) over the completed visits of the stage, in days, rounded to 1 decimal; null when none. */
  averageDaysInStage: number | null;
  /** Visits that ended (stage change, win or loss); a backwards move makes a second visit. */
  completedVisits: number;
  /** Open opportunities of the cohort in the stage now. */
  current: number;
};

export type LossReason = OpportunityTotal & { reason: string };

export type OpportunityFunnel = {
  pipelineId: string;
  pipelineName: string;
  from: string | null;
  to: string | null;
  /** The cohort: opportunities of the pipeline created in the window. */
  opportunities: number;
  /** In pipeline order. */
  stages: FunnelStage[];
  open: OpportunityTotal;
  won: OpportunityTotal;
  lost: OpportunityTotal;
  /** won / (won + lost). */
  winRate: number | null;
  /** Most frequent first, ties by code. */
  lossReasons: LossReason[];
};

type Pipeline = { name: string; stages: PipelineStage[] };

const DEFAULT_PIPELINE: Pipeline = { name: 'Default', stages: [...DEFAULT_PIPELINE_STAGES] };
const StoredStages = z.array(PipelineStage);

/** The tenant's definition of the pipeline; `default` without one is the articles' default stages. */
const pipelineOf = async (prisma: InsightsPrisma, tenantId: string, pipelineId: string): Promise<Pipeline> => {
  const row = await prisma.salesPipeline.findUnique({ where: { tenantId_id: { tenantId, id: pipelineId } } });
  if (row) return { name: row.name, stages: StoredStages.parse(row.stages) };
  if (pipelineId === DEFAULT_PIPELINE_ID) return DEFAULT_PIPELINE;
  throw new SalesReportsError('pipeline_not_found', `pipeline ${pipelineId} not found`, { pipelineId });
};

type StageRow = { stage_id: string; currency: string; reached: number; amount: string; completed: number; seconds: number | null };
type StatusRow = { status: 'open' | 'won' | 'lost'; stage_id: string; lost_reason: string | null; currency: string; count: number; amount: string };

/** Adds `count` opportunities worth `amount` of `currency` to a total (kept per currency). */
class Tally {
  count = 0;
  private readonly amounts = new Map<string, bigint>();

  add(count: number, currency: string, amount: bigint): void {
    this.count += count;
    this.amounts.set(currency, (this.amounts.get(currency) ?? 0n) + amount);
  }

  total(): OpportunityTotal {
    return { count: this.count, amounts: sortByCurrency([...this.amounts].map(([currency, amount]) => ({ currency, amountMinor: amount.toString() }))) };
  }
}

const DAY_SECONDS = 86_400;
const oneDecimal = (value: number): number => Math.round(value * 10) / 10;

/**
 * The opportunity funnel of one pipeline (DOMAIN.md §6 "Funnel report"): for the opportunities
 * created in the window, per stage in pipeline order how many ever entered it, their amount,
 * stage-to-stage conversion, the average days a visit lasted and how many are in it now; then
 * open, won and lost totals and the loss reasons. Stages the pipeline no longer has are left out.
 */
export const opportunityFunnel = async (prisma: InsightsPrisma, tenantId: string, options: OpportunityFunnelOptions): Promise<OpportunityFunnel> => {
  assertPeriod(options);
  const pipeline = await pipelineOf(prisma, tenantId, options.pipelineId);
  const cohort = Prisma.sql`o.tenant_id = ${tenantId} AND o.pipeline_id = ${options.pipelineId}
    ${options.from ? Prisma.sql`AND o.created_at >= ${options.from}` : Prisma.empty}
    ${options.to ? Prisma.sql`AND o.created_at < ${options.to}` : Prisma.empty}`;
  const [stageRows, statusRows] = await Promise.all([
    // Per opportunity and stage first, so an opportunity's amount counts once however often it visited the stage.
    prisma.$queryRaw<StageRow[]>`
      SELECT per.stage_id, o.currency, count(*)::int AS reached, sum(o.amount_minor)::text AS amount,
             sum(per.completed)::int AS completed, sum(per.seconds)::float8 AS seconds
        FROM (SELECT v.tenant_id, v.opportunity_id, v.stage_id, count(v.left_at) AS completed,
                     sum(EXTRACT(EPOCH FROM (v.left_at - v.entered_at))) AS seconds
                FROM insights.sales_stage_visit v
               WHERE v.tenant_id = ${tenantId}
               GROUP BY v.tenant_id, v.opportunity_id, v.stage_id) per
        JOIN insights.sales_opportunity o ON o.tenant_id = per.tenant_id AND o.id = per.opportunity_id
       WHERE ${cohort}
       GROUP BY per.stage_id, o.currency`,
    prisma.$queryRaw<StatusRow[]>`
      SELECT o.status::text AS status, o.stage_id, o.lost_reason, o.currency, count(*)::int AS count, sum(o.amount_minor)::text AS amount
        FROM insights.sales_opportunity o
       WHERE ${cohort}
       GROUP BY o.status, o.stage_id, o.lost_reason, o.currency`,
  ]);

  const perStage = new Map<string, { reached: Tally; completed: number; seconds: number }>();
  for (const row of stageRows) {
    const stage = perStage.get(row.stage_id) ?? { reached: new Tally(), completed: 0, seconds: 0 };
    perStage.set(row.stage_id, stage);
    stage.reached.add(row.reached, row.currency, BigInt(row.amount));
    stage.completed += row.completed;
    stage.seconds += row.seconds ?? 0;
  }
  const totals = { open: new Tally(), won: new Tally(), lost: new Tally() };
  const currentIn = new Map<string, number>();
  const reasons = new Map<string, Tally>();
  for (const row of statusRows) {
    totals[row.status].add(row.count, row.currency, BigInt(row.amount));
    if (row.status === 'open') currentIn.set(row.stage_id, (currentIn.get(row.stage_id) ?? 0) + row.count);
    if (row.status === 'lost') {
      const reason = row.lost_reason ?? 'other';
      const tally = reasons.get(reason) ?? new Tally();
      reasons.set(reason, tally);
      tally.add(row.count, row.currency, BigInt(row.amount));
    }
  }
  const won = totals.won.total();
  const lost = totals.lost.total();
  const open = totals.open.total();

  const reached = pipeline.stages.map((stage) => perStage.get(stage.stageId)?.reached.total() ?? { count: 0, amounts: [] });
  const stages = pipeline.stages.map((stage, i): FunnelStage => {
    const stats = perStage.get(stage.stageId);
    const next = i + 1 < reached.length ? reached[i + 1].count : won.count;
    return {
      stageId: stage.stageId,
      name: stage.name,
      probability: stage.probability,
      reached: reached[i].count,
      amounts: reached[i].amounts,
      conversionRate: rate(next, reached[i].count),
      averageDaysInStage: stats && stats.completed > 0 ? oneDecimal(stats.seconds / stats.completed / DAY_SECONDS) : null,
      completedVisits: stats?.completed ?? 0,
      current: currentIn.get(stage.stageId) ?? 0,
    };
  });

  return {
    pipelineId: options.pipelineId,
    pipelineName: pipeline.name,
    from: options.from?.toISOString() ?? null,
    to: options.to?.toISOString() ?? null,
    opportunities: open.count + won.count + lost.count,
    stages,
    open,
    won,
    lost,
    winRate: rate(won.count, won.count + lost.count),
    lossReasons: [...reasons]
      .map(([reason, tally]) => ({ reason, ...tally.total() }))
      .sort((a, b) => b.count - a.count || byCodePoint(a.reason, b.reason)),
  };
};
