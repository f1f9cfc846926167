import { eventSchemas, SalesWorkEventType, type ActivityEvent } from '@crm/contracts';
import { DeciderSpecification } from '@crm/domain';
import type { LogActivity } from './activity.commands';
import { activityDecider, OCCURRED_AT_SKEW_MS } from './activity.decider';

const given = DeciderSpecification.for(activityDecider);
const now = new Date('2026-11-02T09:00:00.000Z');
const activityId = '0190cccc-0000-7000-8000-000000000001';
const opportunityId = '0190dddd-0000-7000-8000-000000000001';

const log = (over: Partial<LogActivity['data']> = {}): LogActivity => ({
  type: 'LogActivity',
  data: { activityId, kind: 'call', subject: 'Pricing call', about: { opportunityId }, actorId: 'rep-1', occurredAt: new Date('2026-11-02T08:30:00.000Z'), now, ...over },
});
const logged = (over: Partial<Extract<ActivityEvent, { type: 'sales.ActivityLogged' }>['data']> = {}): ActivityEvent => ({
  type: SalesWorkEventType.ActivityLogged,
  data: { activityId, kind: 'call', subject: 'Pricing call', about: { opportunityId }, actorId: 'rep-1', occurredAt: '2026-11-02T08:30:00.000Z', loggedAt: now.toISOString(), ...over },
});

describe('Activity decider', () => {
  describe('LogActivity', () => {
    it('logs an activity with when it happened and when it was logged', () => given([]).when(log()).then([logged()]));

    it('keeps the optional body and duration', () =>
      given([]).when(log({ kind: 'meeting', body: 'Agreed on a pilot', durationMinutes: 45 })).then([logged({ kind: 'meeting', body: 'Agreed on a pilot', durationMinutes: 45 })]));

    it('may be about an account, a contact and an opportunity at once', () => {
      const about = { accountId: 'a-1', contactId: 'c-1', opportunityId };
      given([]).when(log({ about })).then([logged({ about })]);
    });

    it('refuses an activity about nothing (400)', () => given([]).when(log({ about: {} })).thenThrows('subject_required', (e) => expect(e.kind).toBe('invalid')));

    it('accepts a time a little ahead of the clock (device skew), refuses one further in the future', () => {
      const edge = new Date(now.getTime() + OCCURRED_AT_SKEW_MS);
      given([]).when(log({ occurredAt: edge })).then([logged({ occurredAt: edge.toISOString() })]);
      given([]).when(log({ occurredAt: new Date(edge.getTime() + 1) })).thenThrows('occurred_in_future', (e) => expect(e.kind).toBe('rule_violation'));
    });

    it('is immutable: logging the same activity again is refused (a correction is a new activity)', () =>
      given([logged()]).when(log({ subject: 'Pricing call (corrected)' })).thenThrows('activity_already_exists'));
  });

  it('emits only events that match their published schema', () => {
    for (const e of [logged(), logged({ body: 'b', durationMinutes: 0, about: { accountId: 'a' } })]) {
      expect(eventSchemas[e.type].data.safeParse(e.data)).toMatchObject({ success: true });
    }
  });
});
