import { idFromKey, leadStream, newId, type LeadEvent } from '@crm/contracts';
import { DomainError, handleCommand, loadAggregate, type Clock, type CommandResult } from '@crm/domain';
import type { EventStore } from '@crm/eventstore';
import { commandOptions, CLOCK, EVENT_STORE, type RequestContext } from '@crm/nest-kit';
import { Inject, Injectable } from '@nestjs/common';
import type { CaptureLead, LeadCommand, TouchpointInput } from '../domain/lead.commands';
import { leadDecider, type LeadState } from '../domain/lead.decider';
import { LeadError } from '../domain/lead.errors';
import type { CaptureLeadBody, ConvertLeadBody, DisqualifyLeadBody, QualifyLeadBody, TouchpointBatchBody, TouchpointResult, WebFormSubmission } from '../http/lead.dto';

@Injectable()
export class LeadCommandsService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  capture(ctx: RequestContext, body: CaptureLeadBody) {
    const { channel, utm, campaignId, referrer, consentPurposes, ...person } = body;
    const now = this.clock.now();
    return this.captureLead(ctx, {
      ...person,
      source: { channel, ...(utm && { utm }), ...(campaignId && { campaignId }), ...(referrer && { referrer }) },
      consents: consentPurposes?.map((purpose) => ({ purpose, grantedAt: now.toISOString(), source: channel })),
      now,
    });
  }

  /** A public web-form post; the caller has already dropped honeypot hits. */
  captureFromWebForm(ctx: RequestContext, formId: string, form: WebFormSubmission, referrerHeader?: string) {
    const now = this.clock.now();
    const utm = { source: form.utm_source, medium: form.utm_medium, campaign: form.utm_campaign, term: form.utm_term, content: form.utm_content };
    const hasUtm = Object.values(utm).some((v) => v !== undefined);
    const referrer = form.referrer ?? referrerHeader;
    const keyed = form.submission_id ? { ...ctx, idempotencyKey: ctx.idempotencyKey ?? `form:${formId}:${form.submission_id}` } : ctx;
    return this.captureLead(keyed, {
      name: form.name,
      ...(form.company && { company: form.company }),
      ...(form.email && { email: form.email }),
      ...(form.phone && { phone: form.phone }),
      source: {
        channel: 'web_form',
        formId,
        ...(hasUtm && { utm: Object.fromEntries(Object.entries(utm).filter(([, v]) => v !== undefined)) }),
        ...(form.campaign && { campaignId: form.campaign }),
        ...(referrer && { referrer }),
      },
      consents: form.consent ? [{ purpose: form.consent_purpose ?? 'marketing', grantedAt: now.toISOString(), source: `web_form:${formId}` }] : undefined,
      now,
    });
  }

  private captureLead(ctx: RequestContext, data: Omit<CaptureLead['data'], 'leadId'>) {
    // A retried capture with the same Idempotency-Key addresses the same lead.
    const leadId = ctx.idempotencyKey ? idFromKey(ctx.tenantId, 'lead', ctx.idempotencyKey) : newId();
    return this.run(ctx, leadId, { type: 'CaptureLead', data: { leadId, ...data } });
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

  /**
   * Records a batch of touchpoints: one command (one append) per lead, a few leads at a time.
   * Idempotent by touchpoint id; a touchpoint for an unknown lead is rejected on its own.
   */
  async recordTouchpoints(ctx: RequestContext, batch: TouchpointBatchBody): Promise<TouchpointResult[]> {
    const byLead = new Map<string, TouchpointInput[]>();
    for (const { leadId, ...touchpoint } of batch.touchpoints) byLead.set(leadId, [...(byLead.get(leadId) ?? []), touchpoint]);
    const outcome = new Map<string, Pick<TouchpointResult, 'status' | 'code'>>();
    const options = { ...commandOptions(ctx), idempotencyKey: undefined, expectedRevision: undefined };
    const now = this.clock.now();
    const leads = [...byLead.entries()];
    const worker = async () => {
      for (let next = leads.shift(); next; next = leads.shift()) {
        const [leadId, touchpoints] = next;
        try {
          const result = await handleCommand(this.store, leadStream(leadId), leadDecider, { type: 'RecordTouchpoints', data: { leadId, touchpoints, now } }, options);
          const recorded = new Set(result.events.map((e) => (e.data as { touchpointId: string }).touchpointId));
          for (const t of touchpoints) outcome.set(`${leadId}/${t.touchpointId}`, { status: recorded.has(t.touchpointId) ? 'recorded' : 'duplicate' });
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          for (const t of touchpoints) outcome.set(`${leadId}/${t.touchpointId}`, { status: 'rejected', code: error.code });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(8, leads.length) }, worker));
    return batch.touchpoints.map(({ touchpointId, leadId }) => ({ touchpointId, leadId, ...outcome.get(`${leadId}/${touchpointId}`)! }));
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
