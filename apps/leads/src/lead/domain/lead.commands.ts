import type { Consent, LeadCapturedData, TouchpointRecordedData } from '@crm/contracts';

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

export type ConvertLead = {
  type: 'ConvertLead';
  data: { leadId: string; accountId: string; contactId: string; opportunityId?: string; now: Date };
};

export type TouchpointInput = Omit<TouchpointRecordedData, 'recordedAt' | 'leadId'>;

/** Records a lead's touchpoints, in order; ids already recorded (or repeated in the batch) are skipped. */
export type RecordTouchpoints = {
  type: 'RecordTouchpoints';
  data: { leadId: string; touchpoints: TouchpointInput[]; now: Date };
};

export type LeadCommand = CaptureLead | QualifyLead | DisqualifyLead | ConvertLead | RecordTouchpoints;
