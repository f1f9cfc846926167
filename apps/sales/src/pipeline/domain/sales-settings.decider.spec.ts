import { DEFAULT_PIPELINE_STAGES, DEFAULT_SALES_SETTINGS, eventSchemas, SalesPipelineEventType, type SalesSettings } from '@crm/contracts';
import { DeciderSpecification } from '@crm/domain';
import { salesSettingsDecider, type SalesSettingsEvent } from './sales-settings.decider';

const given = DeciderSpecification.for(salesSettingsDecider);
const now = new Date('2026-11-02T09:00:00.000Z');
const knownStageIds = new Set(DEFAULT_PIPELINE_STAGES.map((s) => s.stageId));
const settings: SalesSettings = { ...DEFAULT_SALES_SETTINGS, stalledRules: [{ stageId: 'proposal', days: 7 }, { stageId: 'negotiation', days: 10, escalateAfterDays: 5 }] };
const change = (s: SalesSettings) => ({ type: 'ChangeSalesSettings' as const, data: { settings: s, knownStageIds, changedBy: 'admin-1', now } });
const changed = (s: SalesSettings, version: number): SalesSettingsEvent => ({
  type: SalesPipelineEventType.SalesSettingsChanged,
  data: { ...s, version, changedBy: 'admin-1', changedAt: now.toISOString() },
});

describe('Sales settings decider', () => {
  it('the first change is version 1, the next version 2', () => {
    given([]).when(change(settings)).then([changed(settings, 1)]);
    given([changed(settings, 1)]).when(change({ ...settings, defaultTaxRateBps: 600 })).then([changed({ ...settings, defaultTaxRateBps: 600 }, 2)]);
  });
  it('saving the defaults explicitly is a change (they become the tenant’s own, version 1)', () =>
    given([]).when(change(DEFAULT_SALES_SETTINGS)).then([changed(DEFAULT_SALES_SETTINGS, 1)]));
  it('does nothing when the settings are unchanged (key order does not matter)', () => {
    const reordered = Object.fromEntries(Object.entries(settings).reverse()) as SalesSettings;
    given([changed(settings, 1)]).when(change(reordered)).thenNothingHappened();
  });
  it('refuses duplicate lost reason codes', () =>
    given([]).when(change({ ...settings, lostReasons: [{ code: 'price', label: 'a' }, { code: 'price', label: 'b' }] })).thenThrows('duplicate_lost_reason'));
  it('refuses two stalled rules for one stage', () =>
    given([]).when(change({ ...settings, stalledRules: [{ stageId: 'proposal', days: 3 }, { stageId: 'proposal', days: 5 }] })).thenThrows('duplicate_stalled_rule'));
  it('refuses a stalled rule for a stage no pipeline has', () =>
    given([]).when(change({ ...settings, stalledRules: [{ stageId: 'nirvana', days: 3 }] })).thenThrows('unknown_stalled_stage'));
  it('emits events that match the published schema', () =>
    expect(eventSchemas[SalesPipelineEventType.SalesSettingsChanged].data.safeParse(changed(settings, 1).data)).toMatchObject({ success: true }));
});
