import { LeadAssignmentEventType, type AssignmentSettingsData, type AssignmentSettingsEvent } from '@crm/contracts';
import type { Decider } from '@crm/domain';
import { AssignmentError } from './assignment.errors';

/** Defaults (DOMAIN.md §1): 50 open leads per rep, back to the pool after 30 days without follow-up. */
export const DEFAULT_ASSIGNMENT_SETTINGS: AssignmentSettingsData = { repIds: [], rules: [], claimCap: 50, returnAfterDays: 30 };

export type AssignmentSettingsState = { settings: AssignmentSettingsData; configured: boolean };

export type ConfigureAssignment = { type: 'ConfigureAssignment'; data: { settings: AssignmentSettingsData; now: Date } };

const same = (a: AssignmentSettingsData, b: AssignmentSettingsData): boolean => JSON.stringify(a) === JSON.stringify(b);

const configure = ({ data }: ConfigureAssignment, state: AssignmentSettingsState): AssignmentSettingsEvent[] => {
  const ids = data.settings.rules.map((r) => r.id);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate !== undefined) throw new AssignmentError('invalid_assignment_settings', `rule id ${duplicate} is used twice`, { ruleId: duplicate });
  if (state.configured && same(state.settings, data.settings)) return [];
  return [{ type: LeadAssignmentEventType.AssignmentSettingsChanged, data: { ...data.settings, changedAt: data.now.toISOString() } }];
};

/** A tenant's assignment settings, one stream per tenant. */
export const assignmentSettingsDecider: Decider<ConfigureAssignment, AssignmentSettingsEvent, AssignmentSettingsState> = {
  initialState: () => ({ settings: DEFAULT_ASSIGNMENT_SETTINGS, configured: false }),
  evolve: (_state, event) => {
    const { changedAt: _changedAt, ...settings } = event.data;
    return { settings, configured: true };
  },
  decide: (command, state) => configure(command, state),
};
