import type { ActivityKind, SalesSubject } from '@crm/contracts';

/** Logs a call, visit, meeting, note or e-mail; `occurredAt` may be earlier than `now` (logged afterwards). */
export type LogActivity = {
  type: 'LogActivity';
  data: {
    activityId: string;
    kind: ActivityKind;
    subject: string;
    body?: string;
    about: SalesSubject;
    actorId: string;
    occurredAt: Date;
    durationMinutes?: number;
    now: Date;
  };
};

export type ActivityCommand = LogActivity;
