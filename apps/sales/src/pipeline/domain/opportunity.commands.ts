import type { ActivityKind, LostReason, Money, StalledRule } from '@crm/contracts';
import type { PipelineDefinition } from './pipeline.decider';

export type OpportunitySource = { leadId?: string; campaignId?: string; channel?: string };

/**
 * Opens an opportunity in `pipeline` (the definition in effect now), in `stageId` or the
 * pipeline's first stage. Creating it again with the same content does nothing (a redelivered
 * lead conversion); different content under the same id is a conflict.
 */
export type CreateOpportunity = {
  type: 'CreateOpportunity';
  data: {
    opportunityId: string;
    name: string;
    accountId: string;
    contactId?: string;
    pipeline: PipelineDefinition;
    stageId?: string;
    amount: Money;
    expectedCloseDate: string;
    ownerId: string;
    teamId?: string;
    competitors?: readonly string[];
    source?: OpportunitySource;
    now: Date;
  };
};

/** `null` clears the team or the contact; fields left out stay as they are. */
export type OpportunityChanges = {
  name?: string;
  amount?: Money;
  expectedCloseDate?: string;
  ownerId?: string;
  teamId?: string | null;
  contactId?: string | null;
  competitors?: readonly string[];
};

export type UpdateOpportunity = { type: 'UpdateOpportunity'; data: { opportunityId: string; changes: OpportunityChanges; now: Date } };

/** Moves to another stage of the opportunity's pipeline (as defined now), forwards or backwards. */
export type ChangeOpportunityStage = {
  type: 'ChangeOpportunityStage';
  data: { opportunityId: string; stageId: string; pipeline: PipelineDefinition; changedBy?: string; now: Date };
};

export type WinOpportunity = { type: 'WinOpportunity'; data: { opportunityId: string; now: Date } };

/** `lostReasons` is the tenant's list; the reason must be one of its codes. */
export type LoseOpportunity = {
  type: 'LoseOpportunity';
  data: { opportunityId: string; reason?: string; note?: string; competitor?: string; lostReasons: readonly LostReason[]; now: Date };
};

/** Reopens a won or lost opportunity, in `stageId` or the stage it was closed in. */
export type ReopenOpportunity = {
  type: 'ReopenOpportunity';
  data: { opportunityId: string; stageId?: string; pipeline: PipelineDefinition; now: Date };
};

/**
 * The stalled-deal rule of the opportunity's current stage, checked at `now`: reports the
 * owner level once `rule.days` passed without an update, the manager level once
 * `rule.escalateAfterDays` more passed (after the owner level). Anything else does nothing.
 */
export type DetectStall = {
  type: 'DetectStall';
  data: { opportunityId: string; level: 'owner' | 'manager'; rule: StalledRule; managerId?: string; now: Date };
};

/**
 * An activity was logged about the opportunity (`now` is when it is recorded). Recorded once per
 * `activityId`; an unknown, won or lost opportunity records nothing (no error: the activity
 * itself stands, there is just no open deal to keep alive).
 */
export type RecordOpportunityActivity = {
  type: 'RecordOpportunityActivity';
  data: { opportunityId: string; activityId: string; kind: ActivityKind; occurredAt: Date; now: Date };
};

export type OpportunityCommand =
  | CreateOpportunity
  | UpdateOpportunity
  | ChangeOpportunityStage
  | WinOpportunity
  | LoseOpportunity
  | ReopenOpportunity
  | DetectStall
  | RecordOpportunityActivity;
