import { opportunityStream } from '@crm/contracts';
import { handleCommand, loadAggregate, type Clock } from '@crm/domain';
import type { EventStore } from '@crm/eventstore';
import { CLOCK, EVENT_STORE, SCHEDULER, TIMER_STORE } from '@crm/nest-kit';
import type { ClaimedTimer, Scheduler, TimerHandlerContext, TimerStore } from '@crm/scheduler';
import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { readSalesSettings } from '../../settings/sales-settings.reader';
import { opportunityDecider, type Opportunity, type OpportunityState } from '../domain/opportunity.decider';
import { stallDueAt, stalledRuleFor, type StallLevel } from '../domain/stalled-deal';
import { SalesConfigService } from './sales-config.service';

/** Timer kind of both stalled-deal checks (the payload says which level). */
export const STALLED_DEAL_CHECK = 'sales.StalledDealCheck';

export const StalledTimerPayload = z.object({ opportunityId: z.string(), level: z.enum(['owner', 'manager']) });

/** `stalled-<id>` reminds the owner; `stalled-<id>:manager` is the escalation, armed when the owner was reminded. */
export const stalledTimerId = (opportunityId: string, level: StallLevel): string =>
  level === 'owner' ? `stalled-${opportunityId}` : `stalled-${opportunityId}:manager`;

/**
 * The stalled-deal rule on durable timers. After every successful opportunity command the
 * service calls `rearm`, which derives the timers from the opportunity's state alone: the owner
 * check due exactly `days` after the last update, cancelled when the deal closes or its stage
 * has no rule. A firing timer re-reads the opportunity and the tenant's rule and decides from
 * them, not from what it was armed with: an update it was not moved for (a crash between the
 * append and the re-arm) only makes it fire early, and it then re-arms itself for the real
 * deadline, so a missed re-arm can delay an alarm but never raise a false one.
 */
@Injectable()
export class StalledDealService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(TIMER_STORE) private readonly timers: TimerStore,
    @Inject(SCHEDULER) scheduler: Scheduler,
    private readonly config: SalesConfigService,
  ) {
    scheduler.on(STALLED_DEAL_CHECK, (timer, context) => this.fire(timer, context));
  }

  /** Arms or cancels the opportunity's stalled timers for its current state. */
  async rearm(tenantId: string, state: OpportunityState): Promise<void> {
    if (state.status === 'none') return;
    const rule = state.status === 'open' ? stalledRuleFor(await readSalesSettings(this.store, tenantId), state.stageId) : undefined;
    if (rule === undefined) {
      await this.cancel(tenantId, state.opportunityId, 'owner');
      await this.cancel(tenantId, state.opportunityId, 'manager');
      return;
    }
    // Already reminded in this idle spell (a command that changed nothing): the escalation, if any, stays armed.
    if (state.stalled.owner !== undefined) return;
    await this.schedule(tenantId, state, 'owner', stallDueAt(state.lastUpdateAt, rule, 'owner')!);
    await this.cancel(tenantId, state.opportunityId, 'manager');
  }

  /** A stalled check fired: report the level if it is due now, re-arm if the deadline moved, else nothing. */
  async fire(timer: ClaimedTimer, { idempotencyKey }: Pick<TimerHandlerContext, 'idempotencyKey'>): Promise<void> {
    const { opportunityId, level } = StalledTimerPayload.parse(timer.payload);
    const { tenantId } = timer;
    const { state } = await loadAggregate(this.store, opportunityStream(opportunityId), opportunityDecider, tenantId);
    if (state.status !== 'open') return; // closed or gone: nothing to watch
    const rule = stalledRuleFor(await readSalesSettings(this.store, tenantId), state.stageId);
    if (rule === undefined) return;
    // The escalation belongs to an idle spell whose owner reminder is on record; otherwise the owner check comes first.
    if (level === 'manager' && state.stalled.owner === undefined) return;
    const dueAt = stallDueAt(state.lastUpdateAt, rule, level);
    if (dueAt === undefined) return;
    const now = this.clock.now();
    if (now < dueAt) {
      await this.schedule(tenantId, state, level, dueAt);
      return;
    }
    const managerId = level === 'manager' ? await this.config.managerFor(tenantId, state.teamId, state.ownerId) : undefined;
    const result = await handleCommand(this.store, opportunityStream(opportunityId), opportunityDecider,
      { type: 'DetectStall', data: { opportunityId, level, rule, ...(managerId !== undefined && { managerId }), now } },
      { metadata: { tenantId, actor: 'system', correlationId: idempotencyKey, causationId: idempotencyKey }, idempotencyKey });
    const after = result.state;
    if (level === 'owner' && after.status === 'open' && after.stalled.owner !== undefined && after.stalled.manager === undefined) {
      const escalateAt = stallDueAt(after.lastUpdateAt, rule, 'manager');
      if (escalateAt !== undefined) await this.schedule(tenantId, after, 'manager', escalateAt);
    }
  }

  /** The timer is a function of the state alone (no correlation id), so re-arming for an unchanged deadline is a no-op. */
  private schedule(tenantId: string, o: Opportunity, level: StallLevel, dueAt: Date) {
    return this.timers.schedule({
      tenantId,
      id: stalledTimerId(o.opportunityId, level),
      kind: STALLED_DEAL_CHECK,
      dueAt,
      payload: { opportunityId: o.opportunityId, level },
    }, { replace: true });
  }

  private cancel(tenantId: string, opportunityId: string, level: StallLevel) {
    return this.timers.cancel({ tenantId, id: stalledTimerId(opportunityId, level) });
  }
}
