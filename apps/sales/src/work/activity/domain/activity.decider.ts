import { SalesWorkEventType, type ActivityEvent, type ActivityLoggedData } from '@crm/contracts';
import type { Decider } from '@crm/domain';
import type { ActivityCommand, LogActivity } from './activity.commands';
import { ActivityError } from './activity.errors';

/** Clocks of phones and laptops drift: an activity may be dated this far after `now`, no further. */
export const OCCURRED_AT_SKEW_MS = 5 * 60_000;

/** An activity is written once and never changes: a correction is a new activity. */
export type ActivityState = { status: 'none' } | ({ status: 'logged' } & ActivityLoggedData);

const names = (about: LogActivity['data']['about']) => about.accountId !== undefined || about.contactId !== undefined || about.opportunityId !== undefined;

const log = ({ data }: LogActivity, state: ActivityState): ActivityEvent[] => {
  if (state.status !== 'none') throw new ActivityError('activity_already_exists', `activity ${data.activityId} already exists`);
  if (!names(data.about)) throw new ActivityError('subject_required', 'an activity is about an account, a contact or an opportunity: name at least one');
  if (data.occurredAt.getTime() > data.now.getTime() + OCCURRED_AT_SKEW_MS) {
    throw new ActivityError('occurred_in_future', `an activity cannot have happened in the future (${data.occurredAt.toISOString()} is after ${data.now.toISOString()})`, {
      occurredAt: data.occurredAt.toISOString(),
    });
  }
  return [{
    type: SalesWorkEventType.ActivityLogged,
    data: {
      activityId: data.activityId,
      kind: data.kind,
      subject: data.subject,
      ...(data.body !== undefined && { body: data.body }),
      about: data.about,
      actorId: data.actorId,
      occurredAt: data.occurredAt.toISOString(),
      ...(data.durationMinutes !== undefined && { durationMinutes: data.durationMinutes }),
      loggedAt: data.now.toISOString(),
    },
  }];
};

export const activityDecider: Decider<ActivityCommand, ActivityEvent, ActivityState> = {
  initialState: () => ({ status: 'none' }),
  evolve: (_state, event) => ({ status: 'logged', ...event.data }),
  decide: (command, state) => log(command, state),
};
