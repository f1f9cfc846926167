import {
  LeadAssignedData,
  LeadAttributesUpdatedData,
  LeadBecameHotData,
  LeadCapturedData,
  LeadClaimedData,
  LeadConvertedData,
  LeadCooledData,
  LeadDisqualifiedData,
  LeadEventType,
  LeadFollowedUpData,
  LeadMergedIntoData,
  LeadQualifiedData,
  LeadRecapturedData,
  LeadReturnedToPoolData,
  LeadScoreChangedData,
  type LeadAttributeValue,
  type RecordedEvent,
} from '@crm/contracts';
import type { ConsumerOptions, DeliveryContext, EventHandler, SourceContext } from '@crm/messaging';
import type { InsightsPrisma, Prisma } from '../database/insights-prisma';
import { applyOnce, readCheckpoint, type ProjectionOutcome, type ProjectionTransaction } from '../projection/projection-checkpoint';
import { tenantOf } from '../reports/report-values';
import { LeadReadModelError } from './lead-read-model.errors';

/** Checkpoint name of this projection in `insights.projection_checkpoint`. */
export const LEAD_READ_MODEL_PROJECTION = 'lead-read-model';

const SOURCE: SourceContext = 'leads';

/**
 * How to start this projection on an `EventConsumer` (durable name `<consuming-app>.<purpose>`).
 * Every type of `LeadEventType` (which includes scoring and assignment, and leaves out the
 * match-key index's events): the events it does not show still move its checkpoint, so a caller
 * waiting for a leads position is not left waiting on an event this read model ignores.
 */
export const leadReadModelConsumer: ConsumerOptions = {
  name: `insights.${LEAD_READ_MODEL_PROJECTION}`,
  sources: [SOURCE],
  filter: { eventTypes: Object.values(LeadEventType) },
};

export type LeadReadModelProjection = {
  /** `consumer.start(projection.consumer, projection.handle)`. */
  consumer: ConsumerOptions;
  /** The consumer's event handler: idempotent, throws to have the delivery retried. */
  handle: EventHandler;
  /** Applies one event; `skipped` when it was applied before (at or below the checkpoint). */
  project(event: RecordedEvent, source?: SourceContext): Promise<ProjectionOutcome>;
  /** Position (in the leads store) of the last event applied; undefined before the first. */
  position(): Promise<bigint | undefined>;
};

type LeadChange = Omit<Prisma.LeadUpdateManyMutationInput, 'updatedAt' | 'lastEventPosition'>;

/**
 * Applies a change to an existing lead row, unless the row already reflects a later event.
 * A lead that is not there at all means its capture was never projected: fail the delivery.
 */
const changeLead = async (tx: ProjectionTransaction, event: RecordedEvent, tenantId: string, leadId: string, change: LeadChange): Promise<void> => {
  const { count } = await tx.lead.updateMany({
    where: { tenantId, id: leadId, lastEventPosition: { lt: event.position } },
    data: { ...change, updatedAt: event.occurredAt, lastEventPosition: event.position },
  });
  if (count > 0) return;
  const existing = await tx.lead.findUnique({ where: { tenantId_id: { tenantId, id: leadId } }, select: { id: true } });
  if (!existing) {
    throw new LeadReadModelError('lead_not_projected', `${event.type} ${event.id}: lead ${leadId} of tenant ${tenantId} is not in the read model`, {
      eventId: event.id,
      leadId,
    });
  }
};

/** An attribute as a text column: null clears it; numbers and booleans are shown as written. */
const attributeText = (value: LeadAttributeValue | null): string | null => (value === null ? null : String(value));

/** The `industry` and `region` changes of a LeadAttributesUpdated; other attributes are not columns. */
const shownAttributes = (changes: LeadAttributesUpdatedData['changes']): LeadChange => {
  const change: LeadChange = {};
  if ('industry' in changes) change.industry = attributeText(changes.industry);
  if ('region' in changes) change.region = attributeText(changes.region);
  return change;
};

const applyLeadEvent = async (tx: ProjectionTransaction, event: RecordedEvent): Promise<void> => {
  switch (event.type) {
    case LeadEventType.LeadCaptured: {
      const tenantId = tenantOf(event);
      const data = LeadCapturedData.parse(event.data);
      const utm = data.source.utm ?? {};
      // The row is born once; a second LeadCaptured for the same lead changes nothing.
      await tx.lead.createMany({
        data: [
          {
            tenantId,
            id: data.leadId,
            name: data.name,
            company: data.company ?? null,
            email: data.email ?? null,
            phone: data.phone ?? null,
            channel: data.source.channel,
            utmSource: utm.source ?? null,
            utmMedium: utm.medium ?? null,
            utmCampaign: utm.campaign ?? null,
            utmTerm: utm.term ?? null,
            utmContent: utm.content ?? null,
            campaignId: data.source.campaignId ?? null,
            referrer: data.source.referrer ?? null,
            formId: data.source.formId ?? null,
            status: 'captured',
            capturedAt: new Date(data.capturedAt),
            updatedAt: event.occurredAt,
            lastEventPosition: event.position,
          },
        ],
        skipDuplicates: true,
      });
      return;
    }
    case LeadEventType.LeadQualified: {
      const data = LeadQualifiedData.parse(event.data);
      return changeLead(tx, event, tenantOf(event), data.leadId, { status: 'qualified', qualifiedAt: new Date(data.qualifiedAt) });
    }
    case LeadEventType.LeadDisqualified: {
      const data = LeadDisqualifiedData.parse(event.data);
      return changeLead(tx, event, tenantOf(event), data.leadId, {
        status: 'disqualified',
        disqualifyReason: data.reason,
        disqualifiedAt: new Date(data.disqualifiedAt),
      });
    }
    case LeadEventType.LeadConverted: {
      const data = LeadConvertedData.parse(event.data);
      return changeLead(tx, event, tenantOf(event), data.leadId, {
        status: 'converted',
        accountId: data.accountId,
        contactId: data.contactId,
        opportunityId: data.opportunityId ?? null,
        convertedAt: new Date(data.convertedAt),
      });
    }
    case LeadEventType.LeadRecaptured: {
      // A capture that attached to this lead fills in the contact fields it lacked.
      const data = LeadRecapturedData.parse(event.data);
      if (!data.added) return;
      return changeLead(tx, event, tenantOf(event), data.leadId, data.added);
    }
    case LeadEventType.LeadMergedInto: {
      // The merged lead lives on in its survivor: listing it as well would count the person twice.
      const data = LeadMergedIntoData.parse(event.data);
      await tx.lead.deleteMany({ where: { tenantId: tenantOf(event), id: data.leadId } });
      return;
    }
    case LeadEventType.LeadAttributesUpdated: {
      const data = LeadAttributesUpdatedData.parse(event.data);
      // Still a change to the lead when it names neither column: the row records the event's position.
      return changeLead(tx, event, tenantOf(event), data.leadId, shownAttributes(data.changes));
    }
    case LeadEventType.LeadScoreChanged: {
      const data = LeadScoreChangedData.parse(event.data);
      return changeLead(tx, event, tenantOf(event), data.leadId, { score: data.score });
    }
    case LeadEventType.LeadBecameHot: {
      const data = LeadBecameHotData.parse(event.data);
      return changeLead(tx, event, tenantOf(event), data.leadId, { score: data.score, hot: true });
    }
    case LeadEventType.LeadCooled: {
      const data = LeadCooledData.parse(event.data);
      return changeLead(tx, event, tenantOf(event), data.leadId, { score: data.score, hot: false });
    }
    // Ownership and its activity clock mirror the leads context: assigning, claiming and following
    // up restart the no-follow-up clock; a return to the pool clears both.
    case LeadEventType.LeadAssigned: {
      const data = LeadAssignedData.parse(event.data);
      return changeLead(tx, event, tenantOf(event), data.leadId, { ownerId: data.ownerId, lastActivityAt: new Date(data.assignedAt) });
    }
    case LeadEventType.LeadClaimed: {
      const data = LeadClaimedData.parse(event.data);
      return changeLead(tx, event, tenantOf(event), data.leadId, { ownerId: data.ownerId, lastActivityAt: new Date(data.claimedAt) });
    }
    case LeadEventType.LeadFollowedUp: {
      const data = LeadFollowedUpData.parse(event.data);
      return changeLead(tx, event, tenantOf(event), data.leadId, { lastActivityAt: new Date(data.followedUpAt) });
    }
    case LeadEventType.LeadReturnedToPool: {
      const data = LeadReturnedToPoolData.parse(event.data);
      return changeLead(tx, event, tenantOf(event), data.leadId, { ownerId: null, lastActivityAt: null });
    }
    default:
      // Another leads event this read model does not show: only the checkpoint moves.
      return;
  }
};

/**
 * The lead read model (`insights.lead`): one row per lead with its current status, fed by the
 * leads context's events. Each event and the checkpoint commit in one transaction; replaying
 * events changes nothing. The tenant always comes from `event.metadata.tenantId`.
 */
export const createLeadReadModelProjection = (prisma: InsightsPrisma): LeadReadModelProjection => {
  const project = (event: RecordedEvent, source: SourceContext = SOURCE): Promise<ProjectionOutcome> =>
    applyOnce(prisma, LEAD_READ_MODEL_PROJECTION, source, event, (tx) => applyLeadEvent(tx, event));
  return {
    consumer: leadReadModelConsumer,
    handle: async (event: RecordedEvent, context: DeliveryContext) => {
      await project(event, context.source);
    },
    project,
    position: () => readCheckpoint(prisma, LEAD_READ_MODEL_PROJECTION, SOURCE),
  };
};
