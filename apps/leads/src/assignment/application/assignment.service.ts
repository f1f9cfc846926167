import {
  assignmentSettingsStream, leadStream, repLeadsStream, roundRobinStream, type AssignmentSettingsData, type LeadEvent,
} from '@crm/contracts';
import { DomainError, handleCommand, loadAggregate, type Clock, type CommandOptions, type CommandResult } from '@crm/domain';
import type { EventStore } from '@crm/eventstore';
import { commandMetadata, commandOptions, EVENT_STORE, TIMER_CLOCK, TIMER_STORE, type RequestContext } from '@crm/nest-kit';
import type { TimerStore } from '@crm/scheduler';
import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import type { LeadCommand } from '../../lead/domain/lead.commands';
import { leadDecider, type LeadState } from '../../lead/domain/lead.decider';
import { LeadError } from '../../lead/domain/lead.errors';
import { routeLead } from '../domain/assignment-policy';
import { assignmentSettingsDecider, type AssignmentSettingsState } from '../domain/assignment-settings.decider';
import { AssignmentError } from '../domain/assignment.errors';
import { repLeadsDecider, type RepLeadsCommand } from '../domain/rep-leads.decider';
import { pickedRep, roundRobinDecider } from '../domain/round-robin.decider';

export const RETURN_TO_POOL = 'leads.ReturnLeadToPool';
const DAY_MS = 86_400_000;

/** What the return-to-pool timer carries: the lead and the activity time it was armed for. */
export const ReturnToPoolPayload = z.object({ leadId: z.string(), activityAt: z.iso.datetime() });

export const returnToPoolTimerId = (leadId: string): string => `lead-${leadId}:return-to-pool`;

/** Who hot-lead routing's events are attributed to. */
export const HOT_LEAD_ROUTING_ACTOR = 'service:leads.hot-lead-routing';

type LeadResult = CommandResult<LeadEvent, LeadState>;
type OpenLead = Exclude<LeadState, { status: 'none' }>;

/**
 * The lead pool (公海) and assignment. Lead commands go through the lead's stream; the per-rep
 * cap through the rep's stream (`repleads-<tenant>-<rep>`): a claim first takes a slot there
 * (an expected-revision append, so concurrent claims by one rep serialize and the cap holds),
 * then claims the lead; when the claim is refused the slot is given back. A crash between the
 * two leaves a slot taken for a lead the rep does not own: the cap errs on the safe side, and
 * the slot is reconciled the next time that rep hits the cap (see `takeSlot`).
 */
@Injectable()
export class AssignmentService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(TIMER_CLOCK) private readonly clock: Clock,
    @Inject(TIMER_STORE) private readonly timers: TimerStore,
  ) {}

  async settings(tenantId: string): Promise<{ settings: AssignmentSettingsData; revision: number }> {
    const { state, revision } = await loadAggregate(this.store, assignmentSettingsStream(tenantId), assignmentSettingsDecider, tenantId);
    return { settings: (state as AssignmentSettingsState).settings, revision };
  }

  configure(ctx: RequestContext, settings: AssignmentSettingsData) {
    return handleCommand(this.store, assignmentSettingsStream(ctx.tenantId), assignmentSettingsDecider, { type: 'ConfigureAssignment', data: { settings, now: this.clock.now() } }, commandOptions(ctx));
  }

  /** Assigns to a named rep (a manager's decision: the cap does not apply, the lead still counts). */
  async assignTo(ctx: RequestContext, leadId: string, ownerId: string): Promise<LeadResult> {
    return this.assign(ctx, leadId, ownerId, 'manual');
  }

  /** Applies the tenant's policy: first matching rule, else round-robin over all reps. */
  async assignAutomatically(ctx: RequestContext, leadId: string): Promise<LeadResult> {
    const lead = await this.openLead(ctx.tenantId, leadId);
    const { settings } = await this.settings(ctx.tenantId);
    const route = routeLead(settings, lead);
    if (route === undefined) throw new AssignmentError('no_reps_configured', 'no reps are configured for assignment (PUT /v1/assignment-settings)');
    const picked = await handleCommand(this.store, roundRobinStream(ctx.tenantId), roundRobinDecider,
      { type: 'PickRep', data: { pool: route.pool, repIds: route.repIds, leadId, now: this.clock.now() } }, this.internal(ctx));
    const ownerId = pickedRep(picked.state, route.pool)!;
    return this.assign(ctx, leadId, ownerId, route.how, route.ruleId);
  }

  async claim(ctx: RequestContext, leadId: string): Promise<LeadResult> {
    const repId = ctx.actor;
    await this.openLead(ctx.tenantId, leadId);
    const { settings } = await this.settings(ctx.tenantId);
    await this.takeSlot(ctx, repId, leadId, settings.claimCap);
    let result: LeadResult;
    try {
      result = await this.runLead(ctx, leadId, { type: 'ClaimLead', data: { leadId, repId, now: this.clock.now() } });
    } catch (error) {
      await this.rep(ctx, repId, { type: 'DropLead', data: { repId, leadId, now: this.clock.now() } });
      throw error;
    }
    await this.armReturnTimer(ctx, result, settings.returnAfterDays);
    return result;
  }

  async release(ctx: RequestContext, leadId: string): Promise<LeadResult> {
    return this.returnToPool(ctx, leadId, { reason: 'manual' });
  }

  async followUp(ctx: RequestContext, leadId: string, note?: string): Promise<LeadResult> {
    const result = await this.runLead(ctx, leadId, { type: 'RecordFollowUp', data: { leadId, by: ctx.actor, ...(note !== undefined && { note }), now: this.clock.now() } });
    await this.armReturnTimer(ctx, result, (await this.settings(ctx.tenantId)).settings.returnAfterDays);
    return result;
  }

  /** The return-to-pool timer fired: back to the pool unless there was activity after `activityAt`. */
  async expire(tenantId: string, payload: unknown, idempotencyKey: string): Promise<void> {
    const { leadId, activityAt } = ReturnToPoolPayload.parse(payload);
    const ctx: RequestContext = { tenantId, actor: 'system', correlationId: idempotencyKey, idempotencyKey, roles: [] };
    try {
      await this.returnToPool(ctx, leadId, { reason: 'no_follow_up', ifNoActivitySince: new Date(activityAt) });
    } catch (error) {
      if (error instanceof DomainError && error.kind !== 'conflict') return; // nothing to do any more (lead gone or closed)
      throw error;
    }
  }

  /**
   * A lead became hot: route it first when it sits in the pool, then alert its owner (once per
   * hot spell). Idempotent; the in-process consumer of `leads.LeadBecameHot` calls it.
   */
  async routeHotLead(tenantId: string, leadId: string, correlationId: string, idempotencyKey?: string): Promise<void> {
    // The key makes a redelivered LeadBecameHot replay the assignment instead of making another.
    const ctx: RequestContext = { tenantId, actor: HOT_LEAD_ROUTING_ACTOR, correlationId, roles: [], ...(idempotencyKey !== undefined && { idempotencyKey }) };
    const lead = await this.openLead(tenantId, leadId).catch(() => undefined);
    if (lead === undefined || !lead.hot || lead.mergedInto !== undefined || lead.status === 'converted' || lead.status === 'disqualified') return;
    if (lead.ownerId === undefined) {
      try {
        await this.assignAutomatically(ctx, leadId);
      } catch (error) {
        if (error instanceof AssignmentError && error.code === 'no_reps_configured') return; // stays in the pool, flagged hot
        throw error;
      }
    }
    await handleCommand(this.store, leadStream(leadId), leadDecider, { type: 'AlertHotLeadOwner', data: { leadId, now: this.clock.now() } }, this.internal(ctx));
  }

  private async assign(ctx: RequestContext, leadId: string, ownerId: string, how: 'manual' | 'round_robin' | 'rule', ruleId?: string): Promise<LeadResult> {
    const before = await this.openLead(ctx.tenantId, leadId);
    await this.takeSlot(ctx, ownerId, leadId, undefined);
    const result = await this.runLead(ctx, leadId, { type: 'AssignLead', data: { leadId, ownerId, how, ...(ruleId !== undefined && { ruleId }), now: this.clock.now() } });
    if (before.ownerId !== undefined && before.ownerId !== ownerId && result.events.length > 0) {
      await this.rep(ctx, before.ownerId, { type: 'DropLead', data: { repId: before.ownerId, leadId, now: this.clock.now() } });
    }
    await this.armReturnTimer(ctx, result, (await this.settings(ctx.tenantId)).settings.returnAfterDays);
    if (result.state.status !== 'none' && result.state.hot) {
      await handleCommand(this.store, leadStream(leadId), leadDecider, { type: 'AlertHotLeadOwner', data: { leadId, now: this.clock.now() } }, this.internal(ctx));
    }
    return result;
  }

  private async returnToPool(ctx: RequestContext, leadId: string, how: { reason: 'manual' | 'no_follow_up'; ifNoActivitySince?: Date }): Promise<LeadResult> {
    const result = await this.runLead(ctx, leadId, { type: 'ReturnLeadToPool', data: { leadId, ...how, now: this.clock.now() } });
    for (const event of result.events) {
      if (event.type !== 'leads.LeadReturnedToPool') continue;
      const repId = event.data.previousOwnerId;
      await this.rep(ctx, repId, { type: 'DropLead', data: { repId, leadId, now: this.clock.now() } });
    }
    // A firing timer completes itself; cancelling it here would void its claim.
    if (how.reason === 'manual' && result.state.status !== 'none' && result.state.ownerId === undefined) await this.timers.cancel({ tenantId: ctx.tenantId, id: returnToPoolTimerId(leadId) });
    return result;
  }

  /** (Re)arms the lead's return-to-pool timer for its last activity; a follow-up moves it. */
  private async armReturnTimer(ctx: RequestContext, result: LeadResult, returnAfterDays: number): Promise<void> {
    const lead = result.state;
    if (lead.status === 'none' || lead.ownerId === undefined || lead.lastActivityAt === undefined) return;
    await this.timers.schedule({
      tenantId: ctx.tenantId,
      id: returnToPoolTimerId(lead.leadId),
      kind: RETURN_TO_POOL,
      dueAt: new Date(Date.parse(lead.lastActivityAt) + returnAfterDays * DAY_MS),
      payload: { leadId: lead.leadId, activityAt: lead.lastActivityAt },
      correlationId: ctx.correlationId,
    }, { replace: true });
  }

  /**
   * Counts the lead against the rep. At the cap, slots of leads the rep no longer owns (left
   * behind by a crash between the two writes of a claim) are given back, and the take retried once.
   */
  private async takeSlot(ctx: RequestContext, repId: string, leadId: string, cap: number | undefined): Promise<void> {
    const take: RepLeadsCommand = { type: 'TakeLead', data: { repId, leadId, ...(cap !== undefined && { cap }), now: this.clock.now() } };
    try {
      await this.rep(ctx, repId, take);
    } catch (error) {
      if (!(error instanceof AssignmentError && error.code === 'rep_lead_cap_reached')) throw error;
      const { state } = await loadAggregate(this.store, repLeadsStream(ctx.tenantId, repId), repLeadsDecider, ctx.tenantId);
      let freed = 0;
      for (const held of state.leadIds) {
        const lead = await loadAggregate(this.store, leadStream(held), leadDecider, ctx.tenantId);
        const owns = lead.state.status !== 'none' && lead.state.ownerId === repId && lead.state.status !== 'converted' && lead.state.status !== 'disqualified'
          && lead.state.mergedInto === undefined;
        if (!owns && held !== leadId) {
          await this.rep(ctx, repId, { type: 'DropLead', data: { repId, leadId: held, now: this.clock.now() } });
          freed++;
        }
      }
      if (freed === 0) throw error;
      await this.rep(ctx, repId, take);
    }
  }

  private rep(ctx: RequestContext, repId: string, command: RepLeadsCommand) {
    return handleCommand(this.store, repLeadsStream(ctx.tenantId, repId), repLeadsDecider, command, this.internal(ctx));
  }

  private async openLead(tenantId: string, leadId: string): Promise<OpenLead> {
    const { state } = await loadAggregate(this.store, leadStream(leadId), leadDecider, tenantId);
    if (state.status === 'none') throw new LeadError('lead_not_found', `lead ${leadId} does not exist`);
    return state;
  }

  private runLead(ctx: RequestContext, leadId: string, command: LeadCommand): Promise<LeadResult> {
    return handleCommand(this.store, leadStream(leadId), leadDecider, command, commandOptions(ctx));
  }

  /** Writes to helper streams: the request's metadata, never its If-Match or Idempotency-Key. */
  private internal(ctx: RequestContext): CommandOptions {
    return { metadata: commandMetadata(ctx) };
  }
}
