import { DEFAULT_SALES_SETTINGS, SalesPipelineEventType, type SalesSettings, type SalesSettingsChangedData } from '@crm/contracts';
import type { Decider } from '@crm/domain';
import { canonicalJson } from './canonical-json';
import type { SalesSettingsCommand } from './sales-settings.commands';
import { SalesSettingsError } from './sales-settings.errors';

export type SalesSettingsEvent = { type: typeof SalesPipelineEventType.SalesSettingsChanged; data: SalesSettingsChangedData };

/** A tenant's settings (`salessettings-<tenant>`): the defaults at version 0 until the first change. */
export type SalesSettingsState = { settings: SalesSettings; version: number };

const settingsOf = ({ version: _v, changedBy: _by, changedAt: _at, ...settings }: SalesSettingsChangedData): SalesSettings => settings;

const evolve = (state: SalesSettingsState, event: SalesSettingsEvent): SalesSettingsState => {
  switch (event.type) {
    case SalesPipelineEventType.SalesSettingsChanged:
      return { settings: settingsOf(event.data), version: event.data.version };
    default:
      return state;
  }
};

const firstDuplicate = (values: readonly string[]): string | undefined => values.find((v, i) => values.indexOf(v) !== i);

const decide = ({ data }: SalesSettingsCommand, state: SalesSettingsState): SalesSettingsEvent[] => {
  const { settings } = data;
  const reason = firstDuplicate(settings.lostReasons.map((r) => r.code));
  if (reason !== undefined) throw new SalesSettingsError('duplicate_lost_reason', `lost reason code ${reason} appears more than once`, { lostReason: reason });
  const ruleStage = firstDuplicate(settings.stalledRules.map((r) => r.stageId));
  if (ruleStage !== undefined) throw new SalesSettingsError('duplicate_stalled_rule', `stage ${ruleStage} has more than one stalled rule`, { stageId: ruleStage });
  const unknown = settings.stalledRules.find((r) => !data.knownStageIds.has(r.stageId));
  if (unknown) throw new SalesSettingsError('unknown_stalled_stage', `stalled rule for ${unknown.stageId}: no pipeline of this tenant has that stage`, { stageId: unknown.stageId });
  if (state.version > 0 && canonicalJson(state.settings) === canonicalJson(settings)) return [];
  return [{
    type: SalesPipelineEventType.SalesSettingsChanged,
    data: { ...settings, version: state.version + 1, ...(data.changedBy !== undefined && { changedBy: data.changedBy }), changedAt: data.now.toISOString() },
  }];
};

export const salesSettingsDecider: Decider<SalesSettingsCommand, SalesSettingsEvent, SalesSettingsState> = {
  initialState: () => ({ settings: DEFAULT_SALES_SETTINGS, version: 0 }),
  evolve,
  decide,
};
