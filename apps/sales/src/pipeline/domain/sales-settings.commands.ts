import type { SalesSettings } from '@crm/contracts';

/**
 * Replaces a tenant's sales settings as a whole. `knownStageIds` are the stage ids of the
 * tenant's pipelines (the service reads them): a stalled rule must name one of them.
 */
export type ChangeSalesSettings = {
  type: 'ChangeSalesSettings';
  data: { settings: SalesSettings; knownStageIds: ReadonlySet<string>; changedBy?: string; now: Date };
};

export type SalesSettingsCommand = ChangeSalesSettings;
