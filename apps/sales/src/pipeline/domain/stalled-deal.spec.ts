import { DEFAULT_SALES_SETTINGS } from '@crm/contracts';
import { DAY_MS, stallDueAt, stalledRuleFor, thresholdDays, wholeDaysBetween } from './stalled-deal';

describe('stalled-deal rule', () => {
  const rule = { stageId: 'negotiation', days: 10, escalateAfterDays: 5 };
  it('the default rule: 10 days in negotiation, the manager after 5 more', () => {
    expect(stalledRuleFor(DEFAULT_SALES_SETTINGS, 'negotiation')).toEqual(rule);
    expect(stalledRuleFor(DEFAULT_SALES_SETTINGS, 'proposal')).toBeUndefined();
  });
  it('levels fall due exactly N×24 h after the last update', () => {
    expect(stallDueAt('2026-11-02T09:00:00.000Z', rule, 'owner')).toEqual(new Date('2026-11-12T09:00:00.000Z'));
    expect(stallDueAt('2026-11-02T09:00:00.000Z', rule, 'manager')).toEqual(new Date('2026-11-17T09:00:00.000Z'));
    expect(stallDueAt('2026-11-02T09:00:00.000Z', { stageId: 'x', days: 3 }, 'manager')).toBeUndefined();
    expect(thresholdDays(rule, 'manager')).toBe(15);
  });
  it('idle days are whole days', () => {
    expect(wholeDaysBetween('2026-11-02T09:00:00.000Z', new Date(Date.parse('2026-11-02T09:00:00.000Z') + 10 * DAY_MS - 1))).toBe(9);
    expect(wholeDaysBetween('2026-11-02T09:00:00.000Z', new Date('2026-11-12T09:00:00.000Z'))).toBe(10);
  });
});
