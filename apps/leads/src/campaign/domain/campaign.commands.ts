import type { CampaignChannel, CampaignEngagementKind, CampaignMoney, CampaignVariant } from '@crm/contracts';

/** Dates are calendar dates, `YYYY-MM-DD`; money is integer minor units. */
export type CreateCampaign = {
  type: 'CreateCampaign';
  data: { campaignId: string; name: string; channel: CampaignChannel; budget: CampaignMoney; startsOn: string; endsOn: string; now: Date };
};

/** Changes any of name, budget and dates; fields left out stay as they are. */
export type UpdateCampaign = {
  type: 'UpdateCampaign';
  data: { campaignId: string; name?: string; budget?: CampaignMoney; startsOn?: string; endsOn?: string; now: Date };
};

export type AddCostEntry = {
  type: 'AddCostEntry';
  data: { campaignId: string; costEntryId: string; amount: CampaignMoney; incurredOn: string; note?: string; now: Date };
};

export type DefineVariants = { type: 'DefineVariants'; data: { campaignId: string; variants: CampaignVariant[]; now: Date } };

export type StartCampaign = { type: 'StartCampaign'; data: { campaignId: string; now: Date } };

export type CompleteCampaign = { type: 'CompleteCampaign'; data: { campaignId: string; now: Date } };

export type CancelCampaign = { type: 'CancelCampaign'; data: { campaignId: string; reason?: string; now: Date } };

export type EngagementInput = { engagementId: string; leadId: string; kind: CampaignEngagementKind; at: string };

/** Records engagements, in order; ids already recorded (or repeated in the batch) are skipped. */
export type RecordCampaignEngagement = {
  type: 'RecordCampaignEngagement';
  data: { campaignId: string; engagements: EngagementInput[]; now: Date };
};

export type CampaignCommand =
  | CreateCampaign
  | UpdateCampaign
  | AddCostEntry
  | DefineVariants
  | StartCampaign
  | CompleteCampaign
  | CancelCampaign
  | RecordCampaignEngagement;
