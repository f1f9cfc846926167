import type { z } from 'zod';
import { BudgetExceededData, CampaignCancelledData, CampaignCompletedData, CampaignCreatedData, CampaignEventType, CampaignStartedData, CampaignUpdatedData, CostRecordedData, EngagementRecordedData, VariantsDefinedData } from './campaign.events';
import {
  AssignmentSettingsChangedData, HotLeadOwnerAlertedData, LeadAssignedData, LeadAssignmentEventType, LeadClaimedData, LeadFollowedUpData,
  LeadReturnedToPoolData, RepLeadDroppedData, RepLeadTakenData, RoundRobinAdvancedData,
} from './lead-assignment.events';
import { LeadAttributesUpdatedData, LeadBecameHotData, LeadCooledData, LeadScoreChangedData } from './lead-scoring.events';
import { LeadCapturedData, LeadConvertedData, LeadDisqualifiedData, LeadEventType, LeadQualifiedData, TouchpointRecordedData } from './leads.events';
import { ScoringRulesChangedData, ScoringRulesEventType } from './scoring-rules.events';

export type EventSchema = {
  /** Payload schema version (metadata.schemaVersion); older versions are upcast on read. */
  version: number;
  data: z.ZodType;
  description: string;
};

/**
 * Every published event type and its payload schema: the public contract, validated at the
 * edges and rendered into docs/asyncapi.yaml.
 */
export const eventSchemas: Record<string, EventSchema> = {
  [LeadEventType.LeadCaptured]: { version: 1, data: LeadCapturedData, description: 'A lead was captured from a channel.' },
  [LeadEventType.LeadQualified]: { version: 1, data: LeadQualifiedData, description: 'A lead was qualified for sales.' },
  [LeadEventType.LeadDisqualified]: { version: 1, data: LeadDisqualifiedData, description: 'A lead was disqualified, with a reason.' },
  [LeadEventType.LeadConverted]: { version: 1, data: LeadConvertedData, description: 'A lead was converted; sales creates the account, contact and opportunity.' },
  [LeadEventType.LeadAttributesUpdated]: { version: 1, data: LeadAttributesUpdatedData, description: 'Lead fields changed (null clears a field).' },
  [LeadEventType.LeadScoreChanged]: { version: 1, data: LeadScoreChangedData, description: 'A lead’s score changed, with the rules that fired.' },
  [LeadEventType.LeadBecameHot]: { version: 1, data: LeadBecameHotData, description: 'A lead’s score reached the hot threshold: route it first and alert its owner.' },
  [LeadEventType.LeadCooled]: { version: 1, data: LeadCooledData, description: 'A lead’s score fell below the hot threshold.' },
  [LeadEventType.TouchpointRecorded]: { version: 1, data: TouchpointRecordedData, description: 'A behaviour touchpoint (page view, download, e-mail click, …) was recorded on a lead.' },
  [ScoringRulesEventType.ScoringRulesChanged]: { version: 1, data: ScoringRulesChangedData, description: 'A tenant’s lead-scoring rule set was replaced (next version); its leads are re-scored from their history.' },
  [LeadAssignmentEventType.LeadAssigned]: { version: 1, data: LeadAssignedData, description: 'A lead was given an owner: manually, round-robin or by an assignment rule (re-assignment names the previous owner).' },
  [LeadAssignmentEventType.LeadClaimed]: { version: 1, data: LeadClaimedData, description: 'A rep claimed a lead from the pool (公海), within the per-rep cap.' },
  [LeadAssignmentEventType.LeadReturnedToPool]: { version: 1, data: LeadReturnedToPoolData, description: 'A lead went back to the pool: released by hand, or no follow-up for N days.' },
  [LeadAssignmentEventType.LeadFollowedUp]: { version: 1, data: LeadFollowedUpData, description: 'A rep followed up a lead; the no-follow-up clock starts again.' },
  [LeadAssignmentEventType.HotLeadOwnerAlerted]: { version: 1, data: HotLeadOwnerAlertedData, description: 'The owner of a hot lead is to be alerted (automation and notifications consume this).' },
  [LeadAssignmentEventType.AssignmentSettingsChanged]: { version: 1, data: AssignmentSettingsChangedData, description: 'A tenant’s assignment settings changed: reps, rules, claim cap, return-to-pool days.' },
  [LeadAssignmentEventType.RoundRobinAdvanced]: { version: 1, data: RoundRobinAdvancedData, description: 'Round-robin picked the next rep of a pool for a lead.' },
  [LeadAssignmentEventType.RepLeadTaken]: { version: 1, data: RepLeadTakenData, description: 'A rep now holds an open lead (counts toward the claim cap).' },
  [LeadAssignmentEventType.RepLeadDropped]: { version: 1, data: RepLeadDroppedData, description: 'A rep no longer holds a lead.' },
  [CampaignEventType.CampaignCreated]: { version: 1, data: CampaignCreatedData, description: 'A marketing campaign was created with its channel, budget and dates.' },
  [CampaignEventType.CampaignUpdated]: { version: 1, data: CampaignUpdatedData, description: 'A campaign’s name, budget or dates changed (only changed fields are present).' },
  [CampaignEventType.CostRecorded]: { version: 1, data: CostRecordedData, description: 'A cost entry was recorded against a campaign (integer minor units, budget currency).' },
  [CampaignEventType.BudgetExceeded]: { version: 1, data: BudgetExceededData, description: 'A campaign’s total cost went above its budget (overspend is allowed and flagged once per crossing).' },
  [CampaignEventType.VariantsDefined]: { version: 1, data: VariantsDefinedData, description: 'A campaign’s A/B variants and split weights were defined (frozen once a lead is assigned).' },
  [CampaignEventType.CampaignStarted]: { version: 1, data: CampaignStartedData, description: 'A campaign started sending.' },
  [CampaignEventType.CampaignCompleted]: { version: 1, data: CampaignCompletedData, description: 'A campaign completed.' },
  [CampaignEventType.CampaignCancelled]: { version: 1, data: CampaignCancelledData, description: 'A campaign was cancelled.' },
  [CampaignEventType.EngagementRecorded]: { version: 1, data: EngagementRecordedData, description: 'A lead was sent, opened, clicked or converted by a campaign, with its A/B variant.' },
};

/** Validates an event payload against its declared schema; unknown types pass through unchanged. */
export const parseEventData = (type: string, data: unknown): unknown => {
  const schema = eventSchemas[type];
  return schema ? schema.data.parse(data) : data;
};
