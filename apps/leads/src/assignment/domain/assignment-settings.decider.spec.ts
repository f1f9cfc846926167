import { LeadAssignmentEventType, type AssignmentSettingsData, type AssignmentSettingsEvent } from '@crm/contracts';
import { DeciderSpecification } from '@crm/domain';
import { assignmentSettingsDecider, DEFAULT_ASSIGNMENT_SETTINGS } from './assignment-settings.decider';

const given = DeciderSpecification.for(assignmentSettingsDecider);
const now = new Date('2026-03-01T08:00:00.000Z');
const settings: AssignmentSettingsData = { repIds: ['rep-1', 'rep-2'], rules: [{ id: 'east', regions: ['East'], repIds: ['rep-3'] }], claimCap: 20, returnAfterDays: 14 };
const changed = (s: AssignmentSettingsData): AssignmentSettingsEvent => ({ type: LeadAssignmentEventType.AssignmentSettingsChanged, data: { ...s, changedAt: now.toISOString() } });
const configure = (s: AssignmentSettingsData) => ({ type: 'ConfigureAssignment' as const, data: { settings: s, now } });

describe('Assignment settings decider', () => {
  it('defaults to a cap of 50 and 30 days', () =>
    expect(assignmentSettingsDecider.initialState()).toEqual({ settings: { repIds: [], rules: [], claimCap: 50, returnAfterDays: 30 }, configured: false }));
  it('records new settings', () => given([]).when(configure(settings)).then([changed(settings)]));
  it('records the defaults explicitly the first time', () => given([]).when(configure(DEFAULT_ASSIGNMENT_SETTINGS)).then([changed(DEFAULT_ASSIGNMENT_SETTINGS)]));
  it('is a no-op when nothing changed', () => given([changed(settings)]).when(configure(settings)).thenNothingHappened());
  it('refuses duplicate rule ids', () =>
    given([]).when(configure({ ...settings, rules: [settings.rules[0], settings.rules[0]] })).thenThrows('invalid_assignment_settings'));
  it('folds to the latest settings', () =>
    given([changed(settings)]).when(configure({ ...settings, claimCap: 10 })).thenState((s) => expect(s.settings.claimCap).toBe(10)));
});
