import {
  LeadCapturedData,
  LeadConvertedData,
  LeadDisqualifiedData,
  LeadEventType,
  LeadMergedIntoData,
  LeadQualifiedData,
  LeadRecapturedData,
  TouchpointRecordedData,
  type RecordedEvent,
  type TouchpointType,
} from '@crm/contracts';
import type { ConsumerOptions, DeliveryContext, EventHandler, SourceContext } from '@crm/messaging';
import type { InsightsPrisma, Prisma } from '../../database/insights-prisma';
import { applyOnce, readCheckpoint, type ProjectionOutcome, type ProjectionTransaction } from '../../projection/projection-checkpoint';
import { tenantOf } from '../report-values';
import { ReportsError } from '../reports.errors';

/** Checkpoint name of this projection in `insights.projection_checkpoint`. */
export const LEAD_FUNNEL_PROJECTION = 'lead-funnel';

const SOURCE: SourceContext = 'leads';

/** The touchpoint id under which a lead's capture is kept in `lead_touch` (its first touch). */
export const CAPTURE_TOUCHPOINT_ID = '$capture';

const HANDLED = [
  LeadEventType.LeadCaptured,
  LeadEventType.LeadQualified,
  LeadEventType.LeadDisqualified,
  LeadEventType.LeadConverted,
  LeadEventType.TouchpointRecorded,
  LeadEventType.LeadRecaptured,
  LeadEventType.LeadMergedInto,
];

export const leadFunnelConsumer: ConsumerOptions = {
  name: `insights.${LEAD_FUNNEL_PROJECTION}`,
  sources: [SOURCE],
  filter: { eventTypes: HANDLED },
};

/** The channel of a touchpoint that names none, from its type. */
const CHANNEL_OF_TOUCHPOINT: Record<TouchpointType, string> = {
  page_view: 'web',
  pricing_page_view: 'web',
  whitepaper_download: 'web',
  form_submit: 'web',
  webinar_registration: 'webinar',
  email_sent: 'email',
  email_opened: 'email',
  email_clicked: 'email',
};

export type LeadFunnelProjection = {
  consumer: ConsumerOptions;
  handle: EventHandler;
  project(event: RecordedEvent, source?: SourceContext): Promise<ProjectionOutcome>;
  position(): Promise<bigint | undefined>;
};

type FunnelStep = Pick<Prisma.LeadFunnelFactUpdateManyMutationInput, 'qualifiedAt' | 'disqualifiedAt' | 'convertedAt'>;

const recordStep = async (tx: ProjectionTransaction, event: RecordedEvent, leadId: string, step: FunnelStep): Promise<void> => {
  const tenantId = tenantOf(event);
  const { count } = await tx.leadFunnelFact.updateMany({
    where: { tenantId, leadId, lastEventPosition: { lt: event.position } },
    data: { ...step, lastEventPosition: event.position },
  });
  if (count > 0) return;
  const existing = await tx.leadFunnelFact.findUnique({ where: { tenantId_leadId: { tenantId, leadId } }, select: { leadId: true } });
  if (!existing) {
    throw new ReportsError('lead_not_projected', `${event.type} ${event.id}: lead ${leadId} of tenant ${tenantId} has no funnel fact`, { eventId: event.id, leadId });
  }
};

const applyEvent = async (tx: ProjectionTransaction, event: RecordedEvent): Promise<void> => {
  switch (event.type) {
    case LeadEventType.LeadCaptured: {
      const tenantId = tenantOf(event);
      const data = LeadCapturedData.parse(event.data);
      const capturedAt = new Date(data.capturedAt);
      const campaignId = data.source.campaignId ?? null;
      await tx.leadFunnelFact.createMany({
        data: [{ tenantId, leadId: data.leadId, channel: data.source.channel, utmSource: data.source.utm?.source ?? null, campaignId, capturedAt, lastEventPosition: event.position }],
        skipDuplicates: true,
      });
      await tx.leadTouch.createMany({
        data: [{ tenantId, leadId: data.leadId, touchpointId: CAPTURE_TOUCHPOINT_ID, kind: 'capture', channel: data.source.channel, campaignId, at: capturedAt }],
        skipDuplicates: true,
      });
      return;
    }
    case LeadEventType.TouchpointRecorded: {
      const data = TouchpointRecordedData.parse(event.data);
      await tx.leadTouch.createMany({
        data: [
          {
            tenantId: tenantOf(event),
            leadId: data.leadId,
            touchpointId: data.touchpointId,
            kind: data.type,
            channel: data.channel ?? CHANNEL_OF_TOUCHPOINT[data.type],
            campaignId: data.campaignId ?? null,
            at: new Date(data.at),
          },
        ],
        skipDuplicates: true,
      });
      return;
    }
    case LeadEventType.LeadRecaptured: {
      // The person came back through a channel or campaign: a touch like the capture, not a new lead.
      const data = LeadRecapturedData.parse(event.data);
      await tx.leadTouch.createMany({
        data: [{
          tenantId: tenantOf(event), leadId: data.leadId, touchpointId: `${CAPTURE_TOUCHPOINT_ID}:${event.id}`, kind: 'capture',
          channel: data.source.channel, campaignId: data.source.campaignId ?? null, at: new Date(data.recapturedAt),
        }],
        skipDuplicates: true,
      });
      return;
    }
    case LeadEventType.LeadMergedInto: {
      // The survivor takes over the merged lead's touches (its capture under its own id) and the
      // merged lead leaves the funnel, so the person is counted once.
      const tenantId = tenantOf(event);
      const data = LeadMergedIntoData.parse(event.data);
      const touches = await tx.leadTouch.findMany({ where: { tenantId, leadId: data.leadId } });
      await tx.leadTouch.createMany({
        data: touches.map((touch) => ({
          ...touch,
          leadId: data.survivorId,
          touchpointId: touch.touchpointId === CAPTURE_TOUCHPOINT_ID ? `${CAPTURE_TOUCHPOINT_ID}:${data.leadId}` : touch.touchpointId,
        })),
        skipDuplicates: true,
      });
      await tx.leadTouch.deleteMany({ where: { tenantId, leadId: data.leadId } });
      await tx.leadFunnelFact.deleteMany({ where: { tenantId, leadId: data.leadId } });
      return;
    }
    case LeadEventType.LeadQualified: {
      const data = LeadQualifiedData.parse(event.data);
      return recordStep(tx, event, data.leadId, { qualifiedAt: new Date(data.qualifiedAt) });
    }
    case LeadEventType.LeadDisqualified: {
      const data = LeadDisqualifiedData.parse(event.data);
      return recordStep(tx, event, data.leadId, { disqualifiedAt: new Date(data.disqualifiedAt) });
    }
    case LeadEventType.LeadConverted: {
      const data = LeadConvertedData.parse(event.data);
      return recordStep(tx, event, data.leadId, { convertedAt: new Date(data.convertedAt) });
    }
    default:
      return;
  }
};

/**
 * The funnel facts (`insights.lead_funnel_fact`: one row per lead with its source and the time it
 * reached each step) and the marketing touches (`insights.lead_touch`: the capture as the first
 * touch, then every touchpoint) from the leads context's events. Each event and the checkpoint
 * commit in one transaction; replaying events changes nothing.
 */
export const createLeadFunnelProjection = (prisma: InsightsPrisma): LeadFunnelProjection => {
  const project = (event: RecordedEvent, source: SourceContext = SOURCE): Promise<ProjectionOutcome> =>
    applyOnce(prisma, LEAD_FUNNEL_PROJECTION, source, event, (tx) => applyEvent(tx, event));
  return {
    consumer: leadFunnelConsumer,
    handle: async (event: RecordedEvent, context: DeliveryContext) => {
      await project(event, context.source);
    },
    project,
    position: () => readCheckpoint(prisma, LEAD_FUNNEL_PROJECTION, SOURCE),
  };
};
