import type { AssignmentHow, Consent, LeadAttributeValue, LeadCapturedData, LeadConversionConfirmedData, LeadConvertedData, LeadMatchRule, ReturnToPoolReason, TouchpointRecordedData } from '@crm/contracts';

export type CaptureLead = {
  type: 'CaptureLead';
  data: {
    leadId: string;
    name: string;
    company?: string;
    email?: string;
    phone?: string;
    source: LeadCapturedData['source'];
    consents?: Consent[];
    now: Date;
  };
};

export type QualifyLead = { type: 'QualifyLead'; data: { leadId: string; qualifiedBy?: string; note?: string; now: Date } };

export type DisqualifyLead = { type: 'DisqualifyLead'; data: { leadId: string; reason: string; now: Date } };

/**
 * A capture that matched this (open) lead: attach it instead of creating a twin. Fields the
 * lead lacks are taken from it; fields it has are kept.
 */
export type RecaptureLead = {
  type: 'RecaptureLead';
  data: Omit<CaptureLead['data'], 'leadId'> & { leadId: string; matchedOn: LeadMatchRule };
};

/**
 * Converts a qualified lead. `opportunity` hints go with an `opportunityId` only; the decider
 * adds the lead's snapshot so sales can create the records without calling leads back.
 */
export type ConvertLead = {
  type: 'ConvertLead';
  data: {
    leadId: string;
    accountId: string;
    contactId: string;
    opportunityId?: string;
    opportunity?: NonNullable<LeadConvertedData['opportunity']>;
    convertedBy?: string;
    now: Date;
  };
};

/** On the survivor: takes `mergedId` in (the loser is marked with `MarkLeadMerged`). */
export type MergeLead = { type: 'MergeLead'; data: { survivorId: string; mergedId: string; mergedBy?: string; now: Date } };

/** On the loser: from now on it redirects to `survivorId` and refuses commands. */
export type MarkLeadMerged = { type: 'MarkLeadMerged'; data: { leadId: string; survivorId: string; mergedBy?: string; now: Date } };

/** Sales recorded the conversion: what stands for the lead now. */
export type ConfirmLeadConversion = { type: 'ConfirmLeadConversion'; data: Omit<LeadConversionConfirmedData, 'confirmedAt'> & { now: Date } };

/**
 * Changes a lead's profile attributes (industry, region, title, …; `null` clears one). Only real
 * changes are recorded; a converted lead's profile now lives in sales and is refused.
 */
export type UpdateLeadAttributes = { type: 'UpdateLeadAttributes'; data: { leadId: string; changes: Record<string, LeadAttributeValue | null>; now: Date } };

export type TouchpointInput = Omit<TouchpointRecordedData, 'recordedAt' | 'leadId'>;

/** Records a lead's touchpoints, in order; ids already recorded (or repeated in the batch) are skipped. */
export type RecordTouchpoints = {
  type: 'RecordTouchpoints';
  data: { leadId: string; touchpoints: TouchpointInput[]; now: Date };
};

/** Gives the lead an owner (or a new one): by hand, round-robin or by a rule. */
export type AssignLead = {
  type: 'AssignLead';
  data: { leadId: string; ownerId: string; how: AssignmentHow; ruleId?: string; now: Date };
};

/** A rep takes a lead from the pool (公海); refused when someone owns it. The cap is the rep stream's concern. */
export type ClaimLead = { type: 'ClaimLead'; data: { leadId: string; repId: string; now: Date } };

/**
 * Sends an owned lead back to the pool. `no_follow_up` comes from the return-to-pool timer and
 * carries the activity time the timer was armed for: a follow-up (or new owner) after it makes
 * the command a no-op, so a late or duplicated firing changes nothing.
 */
export type ReturnLeadToPool = {
  type: 'ReturnLeadToPool';
  data: { leadId: string; reason: ReturnToPoolReason; ifNoActivitySince?: Date; now: Date };
};

/** A rep followed up the lead: resets the no-follow-up clock. */
export type RecordFollowUp = { type: 'RecordFollowUp'; data: { leadId: string; by: string; note?: string; now: Date } };

/** Alerts the owner of a hot lead, once per hot spell and owner. */
export type AlertHotLeadOwner = { type: 'AlertHotLeadOwner'; data: { leadId: string; now: Date } };

export type LeadCommand =
  | CaptureLead
  | RecaptureLead
  | MergeLead
  | MarkLeadMerged
  | ConfirmLeadConversion
  | QualifyLead
  | DisqualifyLead
  | UpdateLeadAttributes
  | ConvertLead
  | RecordTouchpoints
  | AssignLead
  | ClaimLead
  | ReturnLeadToPool
  | RecordFollowUp
  | AlertHotLeadOwner;
