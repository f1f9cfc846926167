import {
  CampaignCreatedData,
  CampaignEventType,
  CampaignUpdatedData,
  CostRecordedData,
  EngagementRecordedData,
  VariantsDefinedData,
  type CampaignEngagementKind,
  type RecordedEvent,
} from '@crm/contracts';
import type { ConsumerOptions, DeliveryContext, EventHandler, SourceContext } from '@crm/messaging';
import type { InsightsPrisma } from '../../database/insights-prisma';
import { applyOnce, readCheckpoint, type ProjectionOutcome, type ProjectionTransaction } from '../../projection/projection-checkpoint';
import { NONE_KEY, tenantOf } from '../report-values';

/** Checkpoint name of this projection in `insights.projection_checkpoint`. */
export const CAMPAIGN_REPORT_PROJECTION = 'campaign-report';

/** Campaigns are an aggregate of the leads context (apps/leads): their events are in its store. */
const SOURCE: SourceContext = 'leads';

const HANDLED = [
  CampaignEventType.CampaignCreated,
  CampaignEventType.CampaignUpdated,
  CampaignEventType.CostRecorded,
  CampaignEventType.VariantsDefined,
  CampaignEventType.EngagementRecorded,
];

export const campaignReportConsumer: ConsumerOptions = {
  name: `insights.${CAMPAIGN_REPORT_PROJECTION}`,
  sources: [SOURCE],
  filter: { eventTypes: HANDLED },
};

export type CampaignReportProjection = {
  consumer: ConsumerOptions;
  handle: EventHandler;
  project(event: RecordedEvent, source?: SourceContext): Promise<ProjectionOutcome>;
  position(): Promise<bigint | undefined>;
};

/** 1 for the counter of `kind`, 0 for the others. */
const counts = (kind: CampaignEngagementKind): Record<CampaignEngagementKind, number> => ({
  sent: kind === 'sent' ? 1 : 0,
  opened: kind === 'opened' ? 1 : 0,
  clicked: kind === 'clicked' ? 1 : 0,
  converted: kind === 'converted' ? 1 : 0,
});

const applyEvent = async (tx: ProjectionTransaction, event: RecordedEvent): Promise<void> => {
  switch (event.type) {
    case CampaignEventType.CampaignCreated: {
      const data = CampaignCreatedData.parse(event.data);
      await tx.campaign.createMany({
        data: [
          {
            tenantId: tenantOf(event),
            id: data.campaignId,
            name: data.name,
            channel: data.channel,
            budgetMinor: BigInt(data.budget.amountMinor),
            currency: data.budget.currency,
            startsOn: new Date(data.startsOn),
            endsOn: new Date(data.endsOn),
            createdAt: new Date(data.createdAt),
            lastEventPosition: event.position,
          },
        ],
        skipDuplicates: true,
      });
      return;
    }
    case CampaignEventType.CampaignUpdated: {
      const data = CampaignUpdatedData.parse(event.data);
      await tx.campaign.updateMany({
        where: { tenantId: tenantOf(event), id: data.campaignId, lastEventPosition: { lt: event.position } },
        data: {
          ...(data.name === undefined ? {} : { name: data.name }),
          ...(data.budget === undefined ? {} : { budgetMinor: BigInt(data.budget.amountMinor), currency: data.budget.currency }),
          ...(data.startsOn === undefined ? {} : { startsOn: new Date(data.startsOn) }),
          ...(data.endsOn === undefined ? {} : { endsOn: new Date(data.endsOn) }),
          lastEventPosition: event.position,
        },
      });
      return;
    }
    case CampaignEventType.CostRecorded: {
      const data = CostRecordedData.parse(event.data);
      await tx.campaignCost.createMany({
        data: [
          {
            tenantId: tenantOf(event),
            campaignId: data.campaignId,
            costEntryId: data.costEntryId,
            amountMinor: BigInt(data.amount.amountMinor),
            currency: data.amount.currency,
            incurredOn: new Date(data.incurredOn),
            recordedAt: new Date(data.recordedAt),
          },
        ],
        skipDuplicates: true,
      });
      return;
    }
    case CampaignEventType.VariantsDefined: {
      const data = VariantsDefinedData.parse(event.data);
      const tenantId = tenantOf(event);
      for (const variant of data.variants) {
        await tx.campaignVariantEngagement.upsert({
          where: { tenantId_campaignId_variant: { tenantId, campaignId: data.campaignId, variant: variant.key } },
          create: { tenantId, campaignId: data.campaignId, variant: variant.key, weight: variant.weight },
          update: { weight: variant.weight },
        });
      }
      return;
    }
    case CampaignEventType.EngagementRecorded: {
      const data = EngagementRecordedData.parse(event.data);
      const tenantId = tenantOf(event);
      const variant = data.variant ?? NONE_KEY;
      const added = counts(data.kind);
      // The checkpoint makes this run once per event; the sender's engagementId dedupes upstream.
      await tx.campaignVariantEngagement.upsert({
        where: { tenantId_campaignId_variant: { tenantId, campaignId: data.campaignId, variant } },
        create: { tenantId, campaignId: data.campaignId, variant, ...added },
        update: {
          sent: { increment: added.sent },
          opened: { increment: added.opened },
          clicked: { increment: added.clicked },
          converted: { increment: added.converted },
        },
      });
      return;
    }
    default:
      return;
  }
};

/**
 * Campaign read models for the reports: `insights.campaign`, `insights.campaign_cost` and
 * `insights.campaign_variant_engagement`, from the campaign events in the leads store. Each event
 * and the checkpoint commit in one transaction; replaying events changes nothing.
 */
export const createCampaignReportProjection = (prisma: InsightsPrisma): CampaignReportProjection => {
  const project = (event: RecordedEvent, source: SourceContext = SOURCE): Promise<ProjectionOutcome> =>
    applyOnce(prisma, CAMPAIGN_REPORT_PROJECTION, source, event, (tx) => applyEvent(tx, event));
  return {
    consumer: campaignReportConsumer,
    handle: async (event: RecordedEvent, context: DeliveryContext) => {
      await project(event, context.source);
    },
    project,
    position: () => readCheckpoint(prisma, CAMPAIGN_REPORT_PROJECTION, SOURCE),
  };
};
