import { activityStream, idFromKey, newId, type ActivityEvent } from '@crm/contracts';
import { handleCommand, loadAggregate, type Clock, type CommandResult } from '@crm/domain';
import type { EventStore } from '@crm/eventstore';
import { commandOptions, CLOCK, EVENT_STORE, type RequestContext } from '@crm/nest-kit';
import { Inject, Injectable } from '@nestjs/common';
import { unknownSubjects } from '../../application/subjects';
import { activityDecider, type ActivityState } from '../domain/activity.decider';
import { ActivityError } from '../domain/activity.errors';
import type { LogActivityBody } from '../http/activity.dto';

type LoggedActivity = Exclude<ActivityState, { status: 'none' }>;

@Injectable()
export class ActivityCommandsService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The actor logs it; a retry with the same Idempotency-Key addresses the same activity and appends nothing. */
  async log(ctx: RequestContext, { occurredAt, ...body }: LogActivityBody): Promise<CommandResult<ActivityEvent, ActivityState> & { activityId: string }> {
    const activityId = ctx.idempotencyKey ? idFromKey(ctx.tenantId, 'activity', ctx.idempotencyKey) : newId();
    const missing = await unknownSubjects(this.store, ctx.tenantId, body.about);
    if (missing.length > 0) throw new ActivityError('subject_not_found', `the activity is about something that does not exist: ${missing.join(', ')}`, { missing });
    const now = this.clock.now();
    const command = { type: 'LogActivity' as const, data: { activityId, ...body, actorId: ctx.actor, occurredAt: occurredAt ?? now, now } };
    const result = await handleCommand(this.store, activityStream(activityId), activityDecider, command, commandOptions(ctx));
    return { ...result, activityId };
  }

  async get(ctx: RequestContext, activityId: string): Promise<{ state: LoggedActivity; revision: number }> {
    const { state, revision } = await loadAggregate(this.store, activityStream(activityId), activityDecider, ctx.tenantId);
    if (state.status === 'none') throw new ActivityError('activity_not_found', `activity ${activityId} does not exist`);
    return { state, revision };
  }
}
