import {
  ActivityLoggedData,
  OpportunityCreatedData,
  OpportunityLostData,
  OpportunityReopenedData,
  OpportunityStageChangedData,
  OpportunityUpdatedData,
  OpportunityWonData,
  PipelineDefinedData,
  SalesPipelineEventType,
  SalesSettingsChangedData,
  SalesTargetSetData,
  SalesTeamDefinedData,
  SalesWorkEventType,
  type Money,
  type RecordedEvent,
} from '@crm/contracts';
import type { ConsumerOptions, DeliveryContext, EventHandler, SourceContext } from '@crm/messaging';
import type { InsightsPrisma, Prisma } from '../database/insights-prisma';
import { applyOnce, readCheckpoint, type ProjectionOutcome, type ProjectionTransaction } from '../projection/projection-checkpoint';
import { tenantOf } from '../reports/report-values';
import { SalesReportsError } from './sales-reports.errors';

/** Checkpoint name of this projection in `insights.projection_checkpoint`. */
export const SALES_REPORTS_PROJECTION = 'sales-reports';

const SOURCE: SourceContext = 'sales';

const HANDLED = [
  SalesPipelineEventType.PipelineDefined,
  SalesPipelineEventType.SalesSettingsChanged,
  SalesPipelineEventType.SalesTeamDefined,
  SalesPipelineEventType.SalesTargetSet,
  SalesPipelineEventType.OpportunityCreated,
  SalesPipelineEventType.OpportunityUpdated,
  SalesPipelineEventType.OpportunityStageChanged,
  SalesPipelineEventType.OpportunityWon,
  SalesPipelineEventType.OpportunityLost,
  SalesPipelineEventType.OpportunityReopened,
  SalesWorkEventType.ActivityLogged,
];

/**
 * One durable consumer for every sales read model: the opportunity row, its stage visits and its
 * won deal depend on each other, so they are written from one ordered stream of events.
 */
const salesReportsConsumer: ConsumerOptions = {
  name: `insights.${SALES_REPORTS_PROJECTION}`,
  sources: [SOURCE],
  filter: { eventTypes: HANDLED },
};

export type SalesReportsProjection = {
  consumer: ConsumerOptions;
  handle: EventHandler;
  /** Applies one event; `skipped` when it was applied before (at or below the checkpoint). */
  project(event: RecordedEvent, source?: SourceContext): Promise<ProjectionOutcome>;
  /** Position (in the sales store) of the last event applied; undefined before the first. */
  position(): Promise<bigint | undefined>;
};

type Opportunity = NonNullable<Awaited<ReturnType<ProjectionTransaction['salesOpportunity']['findUnique']>>>;
type OpportunityChange = Omit<Prisma.SalesOpportunityUpdateInput, 'tenantId' | 'id' | 'lastEventPosition'>;

/** The opportunity row an event applies to; failing the delivery when its creation was never projected. */
const opportunityOf = async (tx: ProjectionTransaction, event: RecordedEvent, opportunityId: string): Promise<Opportunity> => {
  const tenantId = tenantOf(event);
  const row = await tx.salesOpportunity.findUnique({ where: { tenantId_id: { tenantId, id: opportunityId } } });
  if (!row) {
    throw new SalesReportsError('opportunity_not_projected', `${event.type} ${event.id}: opportunity ${opportunityId} of tenant ${tenantId} is not in the read model`, {
      eventId: event.id,
      opportunityId,
    });
  }
  return row;
};

const changeOpportunity = (tx: ProjectionTransaction, event: RecordedEvent, opportunity: Opportunity, change: OpportunityChange) =>
  tx.salesOpportunity.update({
    where: { tenantId_id: { tenantId: opportunity.tenantId, id: opportunity.id } },
    data: { ...change, lastEventPosition: event.position },
  });

/** Ends the visit the opportunity is in (if any: a closed opportunity is in none). */
const leaveStage = (tx: ProjectionTransaction, opportunity: Opportunity, at: Date) =>
  tx.salesStageVisit.updateMany({
    where: { tenantId: opportunity.tenantId, opportunityId: opportunity.id, visit: opportunity.visits, leftAt: null },
    data: { leftAt: at },
  });

/** Opens the next visit, to `stageId`. */
const enterStage = async (tx: ProjectionTransaction, opportunity: Opportunity, stageId: string, at: Date): Promise<number> => {
  const visit = opportunity.visits + 1;
  await tx.salesStageVisit.create({ data: { tenantId: opportunity.tenantId, opportunityId: opportunity.id, visit, stageId, enteredAt: at } });
  return visit;
};

/**
 * A stage change, win, loss or reopening: the opportunity leaves the visit it is in (a closed one is
 * in none), enters a new visit of `change.stageId` when `newVisit` (it is, or is again, open), and
 * its row takes `change`. Returns the row as it was before.
 */
const moveOpportunity = async (
  tx: ProjectionTransaction,
  event: RecordedEvent,
  opportunityId: string,
  at: Date,
  change: OpportunityChange & { stageId: string },
  newVisit: boolean,
): Promise<Opportunity> => {
  const opportunity = await opportunityOf(tx, event, opportunityId);
  await leaveStage(tx, opportunity, at);
  const visits = newVisit ? { visits: await enterStage(tx, opportunity, change.stageId, at) } : {};
  await changeOpportunity(tx, event, opportunity, { ...change, ...visits });
  return opportunity;
};

/** Money as the read model stores it: minor units in a bigint column beside the currency. */
const amountOf = (money: Money) => ({ amountMinor: BigInt(money.amountMinor), currency: money.currency });

const applyOpportunityEvent = async (tx: ProjectionTransaction, event: RecordedEvent): Promise<void> => {
  switch (event.type) {
    case SalesPipelineEventType.OpportunityCreated: {
      const tenantId = tenantOf(event);
      const data = OpportunityCreatedData.parse(event.data);
      const createdAt = new Date(data.createdAt);
      const { count } = await tx.salesOpportunity.createMany({
        data: [
          {
            tenantId,
            id: data.opportunityId,
            name: data.name,
            accountId: data.accountId,
            pipelineId: data.pipelineId,
            stageId: data.stageId,
            status: 'open',
            ...amountOf(data.amount),
            probability: data.probability,
            expectedCloseDate: new Date(data.expectedCloseDate),
            ownerId: data.ownerId,
            teamId: data.teamId ?? null,
            leadId: data.source?.leadId ?? null,
            campaignId: data.source?.campaignId ?? null,
            channel: data.source?.channel ?? null,
            createdAt,
            visits: 1,
            lastEventPosition: event.position,
          },
        ],
        skipDuplicates: true,
      });
      // A second OpportunityCreated for the same id changes nothing, its first visit included.
      if (count > 0) await tx.salesStageVisit.create({ data: { tenantId, opportunityId: data.opportunityId, visit: 1, stageId: data.stageId, enteredAt: createdAt } });
      return;
    }
    case SalesPipelineEventType.OpportunityUpdated: {
      const data = OpportunityUpdatedData.parse(event.data);
      const { changes } = data;
      const opportunity = await opportunityOf(tx, event, data.opportunityId);
      await changeOpportunity(tx, event, opportunity, {
        ...(changes.name === undefined ? {} : { name: changes.name }),
        ...(changes.amount === undefined ? {} : amountOf(changes.amount)),
        ...(changes.expectedCloseDate === undefined ? {} : { expectedCloseDate: new Date(changes.expectedCloseDate) }),
        ...(changes.ownerId === undefined ? {} : { ownerId: changes.ownerId }),
        ...(changes.teamId === undefined ? {} : { teamId: changes.teamId }),
      });
      return;
    }
    case SalesPipelineEventType.OpportunityStageChanged: {
      const data = OpportunityStageChangedData.parse(event.data);
      const change = { pipelineId: data.pipelineId, stageId: data.toStageId, probability: data.probability };
      await moveOpportunity(tx, event, data.opportunityId, new Date(data.changedAt), change, true);
      return;
    }
    case SalesPipelineEventType.OpportunityWon: {
      const data = OpportunityWonData.parse(event.data);
      const wonAt = new Date(data.wonAt);
      const amount = amountOf(data.amount);
      const change = {
        status: 'won' as const,
        stageId: data.stageId,
        ...amount,
        ownerId: data.ownerId,
        ...(data.teamId === undefined ? {} : { teamId: data.teamId }),
        wonAt,
        lostAt: null,
        lostReason: null,
      };
      const opportunity = await moveOpportunity(tx, event, data.opportunityId, wonAt, change, false);
      // What the campaign ROI and attribution reports read: the deal is the opportunity, its lead the one it was converted from.
      const deal = { leadId: data.leadId ?? opportunity.leadId, ...amount, wonAt };
      await tx.wonDeal.upsert({
        where: { tenantId_dealId: { tenantId: opportunity.tenantId, dealId: opportunity.id } },
        create: { tenantId: opportunity.tenantId, dealId: opportunity.id, ...deal },
        update: deal,
      });
      return;
    }
    case SalesPipelineEventType.OpportunityLost: {
      const data = OpportunityLostData.parse(event.data);
      const lostAt = new Date(data.lostAt);
      const change = { status: 'lost' as const, stageId: data.stageId, ...amountOf(data.amount), ownerId: data.ownerId, lostAt, lostReason: data.reason, wonAt: null };
      await moveOpportunity(tx, event, data.opportunityId, lostAt, change, false);
      return;
    }
    case SalesPipelineEventType.OpportunityReopened: {
      const data = OpportunityReopenedData.parse(event.data);
      const change = { status: 'open' as const, stageId: data.stageId, probability: data.probability, wonAt: null, lostAt: null, lostReason: null };
      // A closed opportunity is in no stage; reopening is a new visit of the stage it reopens in.
      const opportunity = await moveOpportunity(tx, event, data.opportunityId, new Date(data.reopenedAt), change, true);
      // A reopened deal is no longer won revenue.
      await tx.wonDeal.deleteMany({ where: { tenantId: opportunity.tenantId, dealId: opportunity.id } });
      return;
    }
    default:
      return;
  }
};

/** Pipelines, settings, teams, targets and activities: the dimensions and facts beside the opportunities. */
const applyReferenceEvent = async (tx: ProjectionTransaction, event: RecordedEvent): Promise<void> => {
  const tenantId = tenantOf(event);
  switch (event.type) {
    case SalesPipelineEventType.PipelineDefined: {
      const data = PipelineDefinedData.parse(event.data);
      const pipeline = { name: data.name, stages: data.stages, definedAt: new Date(data.definedAt) };
      await tx.salesPipeline.upsert({ where: { tenantId_id: { tenantId, id: data.pipelineId } }, create: { tenantId, id: data.pipelineId, ...pipeline }, update: pipeline });
      return;
    }
    case SalesPipelineEventType.SalesSettingsChanged: {
      const data = SalesSettingsChangedData.parse(event.data);
      const settings = { defaultCurrency: data.defaultCurrency, version: data.version };
      await tx.salesSettings.upsert({ where: { tenantId }, create: { tenantId, ...settings }, update: settings });
      return;
    }
    case SalesPipelineEventType.SalesTeamDefined: {
      const data = SalesTeamDefinedData.parse(event.data);
      const team = { name: data.name, managerId: data.managerId, definedAt: new Date(data.definedAt) };
      await tx.salesTeam.upsert({ where: { tenantId_id: { tenantId, id: data.teamId } }, create: { tenantId, id: data.teamId, ...team }, update: team });
      // Each definition names the whole team: the members it no longer lists leave it.
      await tx.salesTeamMember.deleteMany({ where: { tenantId, teamId: data.teamId } });
      await tx.salesTeamMember.createMany({ data: data.memberIds.map((memberId) => ({ tenantId, teamId: data.teamId, memberId })), skipDuplicates: true });
      return;
    }
    case SalesPipelineEventType.SalesTargetSet: {
      const data = SalesTargetSetData.parse(event.data);
      const target = { targetId: data.targetId, ...amountOf(data.target), setAt: new Date(data.setAt) };
      const key = { tenantId, scopeKind: data.scope.kind, scopeId: data.scope.id, period: data.period };
      await tx.salesTarget.upsert({ where: { tenantId_scopeKind_scopeId_period: key }, create: { ...key, ...target }, update: target });
      return;
    }
    case SalesWorkEventType.ActivityLogged: {
      const data = ActivityLoggedData.parse(event.data);
      await tx.salesActivity.createMany({
        data: [
          {
            tenantId,
            id: data.activityId,
            kind: data.kind,
            actorId: data.actorId,
            occurredAt: new Date(data.occurredAt),
            opportunityId: data.about.opportunityId ?? null,
            accountId: data.about.accountId ?? null,
          },
        ],
        skipDuplicates: true,
      });
      return;
    }
    default:
      return;
  }
};

const OPPORTUNITY_EVENTS: ReadonlySet<string> = new Set([
  SalesPipelineEventType.OpportunityCreated,
  SalesPipelineEventType.OpportunityUpdated,
  SalesPipelineEventType.OpportunityStageChanged,
  SalesPipelineEventType.OpportunityWon,
  SalesPipelineEventType.OpportunityLost,
  SalesPipelineEventType.OpportunityReopened,
]);

const applyEvent = (tx: ProjectionTransaction, event: RecordedEvent): Promise<void> =>
  OPPORTUNITY_EVENTS.has(event.type) ? applyOpportunityEvent(tx, event) : applyReferenceEvent(tx, event);

/**
 * The sales read models of insights, from the sales context's events: opportunities
 * (`insights.sales_opportunity`), their stage visits (`sales_stage_visit`), won deals (`won_deal`,
 * read by the campaign and attribution reports), pipelines, teams and members, targets,
 * activities and the tenant's default currency. Each event and the checkpoint commit in one
 * transaction; replaying events changes nothing.
 */
export const createSalesReportsProjection = (prisma: InsightsPrisma): SalesReportsProjection => {
  const project = (event: RecordedEvent, source: SourceContext = SOURCE): Promise<ProjectionOutcome> =>
    applyOnce(prisma, SALES_REPORTS_PROJECTION, source, event, (tx) => applyEvent(tx, event));
  return {
    consumer: salesReportsConsumer,
    handle: async (event: RecordedEvent, context: DeliveryContext) => {
      await project(event, context.source);
    },
    project,
    position: () => readCheckpoint(prisma, SALES_REPORTS_PROJECTION, SOURCE),
  };
};
