import type { AssignmentRule } from '@crm/contracts';
import { nextRep, routeLead, ruleMatches } from './assignment-policy';

const east: AssignmentRule = { id: 'east', regions: ['East', 'Shanghai'], repIds: ['rep-e1', 'rep-e2'] };
const saasEvents: AssignmentRule = { id: 'saas-events', industries: ['SaaS'], channels: ['trade_show', 'webinar'], repIds: ['rep-s'] };
const lead = (channel: 'web_form' | 'webinar', attributes: Record<string, string> = {}) => ({ channel, attributes });

describe('assignment policy', () => {
  it('matches a territory case-insensitively', () => expect(ruleMatches(east, lead('web_form', { region: ' shanghai ' }))).toBe(true));
  it('needs every named condition', () => {
    expect(ruleMatches(saasEvents, lead('webinar', { industry: 'saas' }))).toBe(true);
    expect(ruleMatches(saasEvents, lead('web_form', { industry: 'saas' }))).toBe(false);
    expect(ruleMatches(saasEvents, lead('webinar'))).toBe(false);
  });
  it('routes by the first matching rule', () =>
    expect(routeLead({ rules: [saasEvents, east], repIds: ['rep-1'] }, lead('webinar', { region: 'East', industry: 'SaaS' }))).toEqual({
      pool: 'rule:saas-events', repIds: ['rep-s'], how: 'rule', ruleId: 'saas-events',
    }));
  it('falls back to the round-robin of all reps', () =>
    expect(routeLead({ rules: [east], repIds: ['rep-1', 'rep-2'] }, lead('web_form', { region: 'North' }))).toEqual({
      pool: 'default', repIds: ['rep-1', 'rep-2'], how: 'round_robin',
    }));
  it('has nowhere to route without reps', () => expect(routeLead({ rules: [], repIds: [] }, lead('web_form'))).toBeUndefined());
  it('takes turns, starting over after the last rep and when the last pick left the list', () => {
    expect(nextRep(['a', 'b', 'c'], undefined)).toBe('a');
    expect(nextRep(['a', 'b', 'c'], 'a')).toBe('b');
    expect(nextRep(['a', 'b', 'c'], 'c')).toBe('a');
    expect(nextRep(['a', 'b'], 'gone')).toBe('a');
    expect(nextRep([], 'a')).toBeUndefined();
  });
});
