import {
  activityStream,
  DEFAULT_PIPELINE_ID,
  newId,
  opportunityStream,
  pipelineStream,
  salesSettingsStream,
  salesTargetStream,
  salesTeamStream,
  SalesPipelineEventType as SP,
  SalesWorkEventType,
  type ActivityLoggedData,
  type OpportunityCreatedData,
  type OpportunityLostData,
  type OpportunityWonData,
  type PipelineDefinedData,
  type RecordedEvent,
  type SalesTargetSetData,
} from '@crm/contracts';
import { useInsightsReadModel } from '../../test/read-model.fixture';

/** A sales event as a test writes it: a type and its payload (checked by the projection's parse). */
export type SalesEvent = { type: string; data: Record<string, unknown> };

const streamOf = (tenantId: string, event: SalesEvent): string => {
  const data = event.data as Record<string, string>;
  switch (event.type) {
    case SP.PipelineDefined:
      return pipelineStream(tenantId, data.pipelineId);
    case SP.SalesSettingsChanged:
      return salesSettingsStream(tenantId);
    case SP.SalesTeamDefined:
      return salesTeamStream(tenantId, data.teamId);
    case SP.SalesTargetSet:
      return salesTargetStream(data.targetId);
    case SalesWorkEventType.ActivityLogged:
      return activityStream(data.activityId);
    default:
      return opportunityStream(data.opportunityId);
  }
};

/**
 * Wraps sales events as the sales store would deliver them, with ever-growing positions (one
 * recorder per spec file: the projection's checkpoint is shared by the file, as in production).
 */
export const createSalesEventRecorder = () => {
  let position = 0n;
  const recorded = (tenantId: string, event: SalesEvent): RecordedEvent => ({
    id: newId(),
    type: event.type,
    streamName: streamOf(tenantId, event),
    revision: 0,
    position: ++position,
    occurredAt: new Date('2026-01-01T00:00:00.000Z'),
    data: event.data,
    metadata: { tenantId, correlationId: newId() },
  });
  return { recorded };
};

/**
 * A migrated read model for one spec file (registered as beforeAll/afterAll) and a tenant of its
 * own. `deliver` projects sales events of that tenant in order and keeps them in `delivered`, so a
 * spec can replay exactly those (every one must then be skipped); `recorded` only wraps an event.
 */
export const useSalesReports = (name: string) => {
  const fixture = useInsightsReadModel(name);
  const { recorded } = createSalesEventRecorder();
  const tenant = `t-${newId()}`;
  const delivered: RecordedEvent[] = [];
  const deliver = async (events: SalesEvent[]): Promise<void> => {
    for (const event of events) {
      const wrapped = recorded(tenant, event);
      delivered.push(wrapped);
      await fixture.readModel().projections.salesReports.project(wrapped);
    }
  };
  return { readModel: fixture.readModel, tenant, recorded, delivered, deliver };
};

/** What a test says about an opportunity; the rest of OpportunityCreated gets defaults. */
export type OpportunitySpec = {
  id: string;
  ownerId: string;
  amountMinor: number;
  currency?: string;
  stageId?: string;
  probability?: number;
  expectedCloseDate?: string;
  createdAt: string;
  pipelineId?: string;
  teamId?: string;
  leadId?: string;
  campaignId?: string;
};

const money = (spec: OpportunitySpec) => ({ amountMinor: spec.amountMinor, currency: spec.currency ?? 'CNY' });

export const opportunityCreated = (spec: OpportunitySpec): SalesEvent => ({
  type: SP.OpportunityCreated,
  data: {
    opportunityId: spec.id,
    name: `Deal ${spec.id}`,
    accountId: `acc-${spec.id}`,
    pipelineId: spec.pipelineId ?? DEFAULT_PIPELINE_ID,
    stageId: spec.stageId ?? 'initial_contact',
    probability: spec.probability ?? 10,
    amount: money(spec),
    expectedCloseDate: spec.expectedCloseDate ?? '2026-12-31',
    ownerId: spec.ownerId,
    ...(spec.teamId ? { teamId: spec.teamId } : {}),
    ...(spec.leadId || spec.campaignId ? { source: { ...(spec.leadId ? { leadId: spec.leadId } : {}), ...(spec.campaignId ? { campaignId: spec.campaignId } : {}) } } : {}),
    createdAt: spec.createdAt,
  } satisfies OpportunityCreatedData,
});

export const stageChanged = (spec: OpportunitySpec, fromStageId: string, toStageId: string, probability: number, changedAt: string, direction: 'forward' | 'backward' = 'forward'): SalesEvent => ({
  type: SP.OpportunityStageChanged,
  data: { opportunityId: spec.id, pipelineId: spec.pipelineId ?? DEFAULT_PIPELINE_ID, fromStageId, toStageId, direction, probability, msInPreviousStage: 0, changedAt },
});

export const opportunityUpdated = (spec: OpportunitySpec, changes: Record<string, unknown>, updatedAt: string): SalesEvent => ({
  type: SP.OpportunityUpdated,
  data: { opportunityId: spec.id, changes, updatedAt },
});

export const opportunityWon = (spec: OpportunitySpec, stageId: string, wonAt: string, amountMinor = spec.amountMinor): SalesEvent => ({
  type: SP.OpportunityWon,
  data: {
    opportunityId: spec.id,
    accountId: `acc-${spec.id}`,
    pipelineId: spec.pipelineId ?? DEFAULT_PIPELINE_ID,
    stageId,
    amount: { ...money(spec), amountMinor },
    ownerId: spec.ownerId,
    ...(spec.teamId ? { teamId: spec.teamId } : {}),
    msInPreviousStage: 0,
    wonAt,
  } satisfies OpportunityWonData,
});

export const opportunityLost = (spec: OpportunitySpec, stageId: string, reason: string, lostAt: string): SalesEvent => ({
  type: SP.OpportunityLost,
  data: { opportunityId: spec.id, pipelineId: spec.pipelineId ?? DEFAULT_PIPELINE_ID, stageId, reason, amount: money(spec), ownerId: spec.ownerId, msInPreviousStage: 0, lostAt } satisfies OpportunityLostData,
});

export const opportunityReopened = (spec: OpportunitySpec, stageId: string, probability: number, reopenedAt: string): SalesEvent => ({
  type: SP.OpportunityReopened,
  data: { opportunityId: spec.id, stageId, probability, reopenedAt },
});

export const teamDefined = (teamId: string, managerId: string, memberIds: string[], name = `Team ${teamId}`): SalesEvent => ({
  type: SP.SalesTeamDefined,
  data: { teamId, name, managerId, memberIds, definedAt: '2026-01-01T00:00:00.000Z' },
});

export const targetSet = (kind: 'rep' | 'team', id: string, period: string, amountMinor: number, currency = 'CNY'): SalesEvent => ({
  type: SP.SalesTargetSet,
  data: { targetId: `target-${kind}-${id}-${period}`, scope: { kind, id }, period, target: { amountMinor, currency }, setAt: '2026-01-01T00:00:00.000Z' } satisfies SalesTargetSetData,
});

export const activityLogged = (actorId: string, occurredAt: string, kind: ActivityLoggedData['kind'] = 'call'): SalesEvent => ({
  type: SalesWorkEventType.ActivityLogged,
  data: { activityId: newId(), kind, subject: 'Follow-up', about: { accountId: 'acc-1' }, actorId, occurredAt, loggedAt: occurredAt } satisfies ActivityLoggedData,
});

export const pipelineDefined = (pipelineId: string, name: string, stages: PipelineDefinedData['stages']): SalesEvent => ({
  type: SP.PipelineDefined,
  data: { pipelineId, name, stages, definedAt: '2026-01-01T00:00:00.000Z' } satisfies PipelineDefinedData,
});

export const settingsChanged = (defaultCurrency: string, version = 1): SalesEvent => ({
  type: SP.SalesSettingsChanged,
  data: { version, defaultCurrency, lostReasons: [{ code: 'price', label: 'Price' }], stalledRules: [], discountApproval: { thresholdBps: 1500, chain: [{ role: 'sales_manager', minTotalMinor: 0 }] }, defaultTaxRateBps: 1300, changedAt: '2026-01-01T00:00:00.000Z' },
});
