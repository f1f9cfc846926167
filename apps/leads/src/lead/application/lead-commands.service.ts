import { idFromKey, leadStream, newId, type LeadEvent } from '@crm/contracts';
import { handleCommand, loadAggregate, type Clock, type CommandResult } from '@crm/domain';
import type { EventStore } from '@crm/eventstore';
import { commandOptions, CLOCK, EVENT_STORE, type RequestContext } from '@crm/nest-kit';
import { Inject, Injectable } from '@nestjs/common';
import type { LeadCommand } from '../domain/lead.commands';
import { leadDecider, type LeadState } from '../domain/lead.decider';
import { LeadError } from '../domain/lead.errors';
import type { CaptureLeadBody, ConvertLeadBody, DisqualifyLeadBody, QualifyLeadBody } from '../http/lead.dto';

@Injectable()
export class LeadCommandsService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  capture(ctx: RequestContext, body: CaptureLeadBody) {
    // A retried capture with the same Idempotency-Key addresses the same lead.
    const leadId = ctx.idempotencyKey ? idFromKey(ctx.tenantId, 'lead', ctx.idempotencyKey) : newId();
    const { channel, utm, ...rest } = body;
    return this.run(ctx, leadId, { type: 'CaptureLead', data: { leadId, ...rest, source: { channel, ...(utm && { utm }) }, now: this.clock.now() } });
  }

  qualify(ctx: RequestContext, leadId: string, body: QualifyLeadBody) {
    return this.run(ctx, leadId, { type: 'QualifyLead', data: { leadId, qualifiedBy: ctx.actor, ...body, now: this.clock.now() } });
  }

  disqualify(ctx: RequestContext, leadId: string, body: DisqualifyLeadBody) {
    return this.run(ctx, leadId, { type: 'DisqualifyLead', data: { leadId, reason: body.reason, now: this.clock.now() } });
  }

  convert(ctx: RequestContext, leadId: string, body: ConvertLeadBody) {
    // Ids of what sales creates are derived from the lead, so a retried conversion names the same records.
    const accountId = body.accountId ?? idFromKey(ctx.tenantId, 'lead-account', leadId);
    const contactId = body.contactId ?? idFromKey(ctx.tenantId, 'lead-contact', leadId);
    const opportunityId = body.createOpportunity ? idFromKey(ctx.tenantId, 'lead-opportunity', leadId) : undefined;
    return this.run(ctx, leadId, { type: 'ConvertLead', data: { leadId, accountId, contactId, opportunityId, now: this.clock.now() } });
  }

  async get(ctx: RequestContext, leadId: string): Promise<{ state: Exclude<LeadState, { status: 'none' }>; revision: number }> {
    const { state, revision } = await loadAggregate(this.store, leadStream(leadId), leadDecider, ctx.tenantId);
    if (state.status === 'none') throw new LeadError('lead_not_found', `lead ${leadId} does not exist`);
    return { state, revision };
  }

  private run(ctx: RequestContext, leadId: string, command: LeadCommand): Promise<CommandResult<LeadEvent, LeadState>> {
    return handleCommand(this.store, leadStream(leadId), leadDecider, command, commandOptions(ctx));
  }
}
