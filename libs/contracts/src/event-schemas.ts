import type { z } from 'zod';
import { BudgetExceededData, CampaignCancelledData, CampaignCompletedData, CampaignCreatedData, CampaignEventType, CampaignStartedData, CampaignUpdatedData, CostRecordedData, EngagementRecordedData, VariantsDefinedData } from './campaign.events';
import {
  AssignmentSettingsChangedData, HotLeadOwnerAlertedData, LeadAssignedData, LeadAssignmentEventType, LeadClaimedData, LeadFollowedUpData,
  LeadReturnedToPoolData, RepLeadDroppedData, RepLeadTakenData, RoundRobinAdvancedData,
} from './lead-assignment.events';
import { LeadAttributesUpdatedData, LeadBecameHotData, LeadCooledData, LeadScoreChangedData } from './lead-scoring.events';
import {
  LeadCapturedData, LeadConversionConfirmedData, LeadConvertedData, LeadDisqualifiedData, LeadEventType, LeadMatchKeyEventType, LeadMatchKeyPointedData, LeadMergedIntoData,
  LeadQualifiedData, LeadRecapturedData, LeadsMergedData, TouchpointRecordedData,
  ContactCaptureEventType, ContactKeyChangedData, ContactRecapturedData, SalesContactIndexedData,
} from './leads.events';
import { ScoringRulesChangedData, ScoringRulesEventType } from './scoring-rules.events';
import {
  AccountCreatedData, AccountUpdatedData, ContactCreatedData, ContactUpdatedData, LeadConversionRecordedData, RecordMergedIntoData, RecordsMergedData,
  SalesCustomerEventType as SC, MatchKeyClaimedData, MatchKeyReleasedData, ContactEngagedData,
} from './sales-customers.events';
import {
  OpportunityActivityRecordedData, OpportunityCreatedData, OpportunityLostData, OpportunityReopenedData, OpportunityStageChangedData, OpportunityStalledData, OpportunityUpdatedData,
  OpportunityWonData, PipelineDefinedData, SalesPipelineEventType as SP, SalesSettingsChangedData, SalesTargetSetData, SalesTeamDefinedData,
} from './sales-pipeline.events';
import {
  ActivityLoggedData, SalesWorkEventType as SW, TaskCancelledData, TaskCompletedData, TaskCreatedData, TaskOverdueData, TaskReassignedData,
  TaskReminderDueData, TaskRescheduledData,
} from './sales-work.events';
import {
  ContractCancelledData, ContractDraftedData, ContractNumberAllocatedData, ContractSignedData, QuoteApprovalDecisionData, QuoteApprovalRequestedData, QuoteApprovedData,
  QuoteStatusData, QuoteVersionData, SalesDealEventType as SD,
} from './sales-deals.events';

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
  [LeadEventType.LeadRecaptured]: { version: 1, data: LeadRecapturedData, description: 'A capture matched an open lead (same e-mail, phone, or company and name) and attached to it instead of creating a twin.' },
  [LeadEventType.LeadsMerged]: { version: 1, data: LeadsMergedData, description: 'On the surviving lead: another lead was merged into it; both histories are kept.' },
  [LeadEventType.LeadMergedInto]: { version: 1, data: LeadMergedIntoData, description: 'On the merged lead: its id now redirects to the survivor; it accepts no more commands.' },
  [LeadEventType.LeadConversionConfirmed]: { version: 1, data: LeadConversionConfirmedData, description: 'Sales confirmed a conversion: the account, contact and opportunity now standing for the lead (created or linked).' },
  [LeadMatchKeyEventType.LeadMatchKeyPointed]: { version: 1, data: LeadMatchKeyPointedData, description: 'Internal de-duplication index: a match key (e-mail, phone, company + name; hashed) now belongs to a lead.' },
  [ContactCaptureEventType.ContactRecaptured]: { version: 1, data: ContactRecapturedData, description: 'A capture matched a sales contact (and no open lead): recorded against the contact instead of creating a lead.' },
  [ContactCaptureEventType.SalesContactIndexed]: { version: 1, data: SalesContactIndexedData, description: 'Internal to leads’ index of sales contacts: a contact’s hashed match keys and survivor, from sales contact events.' },
  [ContactCaptureEventType.ContactKeyPointed]: { version: 1, data: ContactKeyChangedData, description: 'Internal to leads’ index of sales contacts: a contact holds a (hashed) e-mail or phone key.' },
  [ContactCaptureEventType.ContactKeyReleased]: { version: 1, data: ContactKeyChangedData, description: 'Internal to leads’ index of sales contacts: a contact no longer holds a (hashed) key.' },
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
  [SC.AccountCreated]: { version: 1, data: AccountCreatedData, description: 'An account (company or person) was created, possibly from a converted lead.' },
  [SC.AccountUpdated]: { version: 1, data: AccountUpdatedData, description: 'An account’s profile changed (only changed fields; null clears).' },
  [SC.AccountsMerged]: { version: 1, data: RecordsMergedData, description: 'On the surviving account: another account was merged into it.' },
  [SC.AccountMergedInto]: { version: 1, data: RecordMergedIntoData, description: 'On the merged account: its id now redirects to the survivor; its history stays.' },
  [SC.ContactCreated]: { version: 1, data: ContactCreatedData, description: 'A contact was created (role, decision maker, phone, e-mail, WeCom/WeChat id).' },
  [SC.ContactUpdated]: { version: 1, data: ContactUpdatedData, description: 'A contact’s profile changed (only changed fields; null clears).' },
  [SC.ContactsMerged]: { version: 1, data: RecordsMergedData, description: 'On the surviving contact: another contact was merged into it.' },
  [SC.ContactMergedInto]: { version: 1, data: RecordMergedIntoData, description: 'On the merged contact: its id now redirects to the survivor; its history stays.' },
  [SC.ContactEngaged]: { version: 1, data: ContactEngagedData, description: 'A contact came back through a marketing channel (from leads.ContactRecaptured); shown as its last engagement.' },
  [SC.LeadConversionRecorded]: { version: 1, data: LeadConversionRecordedData, description: 'Sales handled a lead conversion: the account, contact and opportunity now standing for the lead (created or linked).' },
  [SC.MatchKeyClaimed]: { version: 1, data: MatchKeyClaimedData, description: 'Internal to the duplicate index: an account or contact owns a match key (first claim, or re-pointed by a merge).' },
  [SC.MatchKeyReleased]: { version: 1, data: MatchKeyReleasedData, description: 'Internal to the duplicate index: the owner no longer has the value behind a match key.' },
  [SP.PipelineDefined]: { version: 1, data: PipelineDefinedData, description: 'A pipeline and its ordered stages with win probabilities were defined or redefined.' },
  [SP.SalesSettingsChanged]: { version: 1, data: SalesSettingsChangedData, description: 'A tenant’s sales settings changed: lost reasons, stalled-deal rules, discount approval policy, currency, tax.' },
  [SP.SalesTeamDefined]: { version: 1, data: SalesTeamDefinedData, description: 'A sales team, its manager and members were defined.' },
  [SP.SalesTargetSet]: { version: 1, data: SalesTargetSetData, description: 'A won-amount target was set for a rep or team over a period.' },
  [SP.OpportunityCreated]: { version: 1, data: OpportunityCreatedData, description: 'An opportunity was opened in a pipeline stage, with amount, close date, owner and source.' },
  [SP.OpportunityUpdated]: { version: 1, data: OpportunityUpdatedData, description: 'An opportunity’s amount, close date, owner or other fields changed.' },
  [SP.OpportunityStageChanged]: { version: 1, data: OpportunityStageChangedData, description: 'An opportunity moved to another stage (forwards or backwards), with the exact time in the stage it left.' },
  [SP.OpportunityWon]: { version: 1, data: OpportunityWonData, description: 'An opportunity was won: its amount counts as won revenue.' },
  [SP.OpportunityLost]: { version: 1, data: OpportunityLostData, description: 'An opportunity was lost, with a reason from the tenant’s list.' },
  [SP.OpportunityReopened]: { version: 1, data: OpportunityReopenedData, description: 'A won or lost opportunity was reopened into a stage.' },
  [SP.OpportunityStalled]: { version: 1, data: OpportunityStalledData, description: 'The stalled-deal rule fired: the owner is reminded, or after a second period the manager is told.' },
  [SP.OpportunityActivityRecorded]: { version: 1, data: OpportunityActivityRecordedData, description: 'An activity logged about an open opportunity was recorded on it (once per activity); it restarts the stalled-deal clock.' },
  [SW.ActivityLogged]: { version: 1, data: ActivityLoggedData, description: 'A call, visit, meeting, note or e-mail was logged against an account, contact or opportunity.' },
  [SW.TaskCreated]: { version: 1, data: TaskCreatedData, description: 'A task with a due date (and optional reminder) was created, by a rep or by a rule.' },
  [SW.TaskRescheduled]: { version: 1, data: TaskRescheduledData, description: 'A task’s due time or reminder moved.' },
  [SW.TaskReassigned]: { version: 1, data: TaskReassignedData, description: 'A task was given to someone else.' },
  [SW.TaskReminderDue]: { version: 1, data: TaskReminderDueData, description: 'A task’s reminder time came: notify the assignee.' },
  [SW.TaskOverdue]: { version: 1, data: TaskOverdueData, description: 'A task’s due time passed while it was open.' },
  [SW.TaskCompleted]: { version: 1, data: TaskCompletedData, description: 'A task was completed.' },
  [SW.TaskCancelled]: { version: 1, data: TaskCancelledData, description: 'A task was cancelled.' },
  [SD.QuoteDrafted]: { version: 1, data: QuoteVersionData, description: 'A quote’s first version: lines, totals and tax in minor units; whether approval is required.' },
  [SD.QuoteRevised]: { version: 1, data: QuoteVersionData, description: 'A quote’s next version (any pending approval of the previous version lapses).' },
  [SD.QuoteApprovalRequested]: { version: 1, data: QuoteApprovalRequestedData, description: 'A quote version’s discount is above the threshold: the approver chain must approve it.' },
  [SD.QuoteApprovalGranted]: { version: 1, data: QuoteApprovalDecisionData, description: 'One approver of the chain approved, with a comment.' },
  [SD.QuoteApprovalRejected]: { version: 1, data: QuoteApprovalDecisionData, description: 'An approver rejected the quote version, with a comment.' },
  [SD.QuoteApproved]: { version: 1, data: QuoteApprovedData, description: 'Every approver approved: the quote version may be sent.' },
  [SD.QuoteSent]: { version: 1, data: QuoteStatusData, description: 'A quote version was sent to the customer.' },
  [SD.QuoteAccepted]: { version: 1, data: QuoteStatusData, description: 'The customer accepted a quote version.' },
  [SD.QuoteRejected]: { version: 1, data: QuoteStatusData, description: 'The customer rejected a quote version.' },
  [SD.ContractDrafted]: { version: 1, data: ContractDraftedData, description: 'A contract/order was drafted from an accepted quote or directly, with its payment plan.' },
  [SD.ContractSigned]: { version: 1, data: ContractSignedData, description: 'A contract was signed: billing creates the payment plan, service starts onboarding, finance is told.' },
  [SD.ContractCancelled]: { version: 1, data: ContractCancelledData, description: 'A contract was cancelled before or after signing, with a reason.' },
  [SD.ContractNumberAllocated]: { version: 1, data: ContractNumberAllocatedData, description: 'A contract number was taken from the tenant’s yearly sequence (internal to sales).' },
  [CampaignEventType.EngagementRecorded]: { version: 1, data: EngagementRecordedData, description: 'A lead was sent, opened, clicked or converted by a campaign, with its A/B variant.' },
};

/** Validates an event payload against its declared schema; unknown types pass through unchanged. */
export const parseEventData = (type: string, data: unknown): unknown => {
  const schema = eventSchemas[type];
  return schema ? schema.data.parse(data) : data;
};
