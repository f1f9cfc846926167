import { idFromKey, newId, quoteStream, type QuoteEvent, type QuoteLine } from '@crm/contracts';
import { handleCommand, loadAggregate, type Clock, type CommandResult } from '@crm/domain';
import type { EventStore } from '@crm/eventstore';
import { commandOptions, CLOCK, EVENT_STORE, type RequestContext } from '@crm/nest-kit';
import { Inject, Injectable } from '@nestjs/common';
import { readSalesSettings } from '../../settings/sales-settings.reader';
import type { QuoteCommand } from '../domain/quote.commands';
import { quoteDecider, type ExistingQuote, type QuoteState } from '../domain/quote.decider';
import { QuoteError } from '../domain/quote.errors';
import type { ApproveQuoteBody, DraftQuoteBody, QuoteLineBody, QuoteStatusBody, RejectApprovalBody, ReviseQuoteBody } from '../http/quote.dto';

type Result = CommandResult<QuoteEvent, QuoteState>;

/** Lines without an id are numbered by position. */
const withLineIds = (lines: QuoteLineBody[]): QuoteLine[] => lines.map(({ lineId, ...line }, i) => ({ lineId: lineId ?? String(i + 1), ...line }));

@Injectable()
export class QuoteCommandsService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Currency, tax rate and the approval policy come from the tenant's sales settings unless given. */
  async draft(ctx: RequestContext, body: DraftQuoteBody): Promise<Result & { quoteId: string }> {
    const settings = await readSalesSettings(this.store, ctx.tenantId);
    // A retried draft with the same Idempotency-Key addresses the same quote.
    const quoteId = ctx.idempotencyKey ? idFromKey(ctx.tenantId, 'quote', ctx.idempotencyKey) : newId();
    const result = await this.run(ctx, quoteId, {
      type: 'DraftQuote',
      data: {
        quoteId,
        opportunityId: body.opportunityId,
        accountId: body.accountId,
        currency: body.currency ?? settings.defaultCurrency,
        lines: withLineIds(body.lines),
        taxRateBps: body.taxRateBps ?? settings.defaultTaxRateBps,
        ...(body.validUntil !== undefined && { validUntil: body.validUntil }),
        policy: settings.discountApproval,
        requestedBy: ctx.actor,
        now: this.clock.now(),
      },
    });
    return { ...result, quoteId };
  }

  async revise(ctx: RequestContext, quoteId: string, body: ReviseQuoteBody): Promise<Result> {
    const settings = await readSalesSettings(this.store, ctx.tenantId);
    return this.run(ctx, quoteId, {
      type: 'ReviseQuote',
      data: { quoteId, ...body, lines: withLineIds(body.lines), policy: settings.discountApproval, requestedBy: ctx.actor, now: this.clock.now() },
    });
  }

  approve(ctx: RequestContext, quoteId: string, body: ApproveQuoteBody): Promise<Result> {
    return this.run(ctx, quoteId, { type: 'ApproveQuote', data: { quoteId, approverId: ctx.actor, roles: ctx.roles, ...body, now: this.clock.now() } });
  }

  rejectApproval(ctx: RequestContext, quoteId: string, body: RejectApprovalBody): Promise<Result> {
    return this.run(ctx, quoteId, { type: 'RejectQuoteApproval', data: { quoteId, approverId: ctx.actor, roles: ctx.roles, comment: body.comment, now: this.clock.now() } });
  }

  send(ctx: RequestContext, quoteId: string, body: QuoteStatusBody): Promise<Result> {
    return this.run(ctx, quoteId, { type: 'SendQuote', data: { quoteId, by: ctx.actor, ...body, now: this.clock.now() } });
  }

  accept(ctx: RequestContext, quoteId: string, body: QuoteStatusBody): Promise<Result> {
    return this.run(ctx, quoteId, { type: 'AcceptQuote', data: { quoteId, by: ctx.actor, ...body, now: this.clock.now() } });
  }

  reject(ctx: RequestContext, quoteId: string, body: QuoteStatusBody): Promise<Result> {
    return this.run(ctx, quoteId, { type: 'RejectQuote', data: { quoteId, by: ctx.actor, ...body, now: this.clock.now() } });
  }

  async get(ctx: RequestContext, quoteId: string): Promise<{ state: ExistingQuote; revision: number }> {
    const { state, revision } = await loadAggregate(this.store, quoteStream(quoteId), quoteDecider, ctx.tenantId);
    if (state.status === 'none') throw new QuoteError('quote_not_found', `quote ${quoteId} does not exist`);
    return { state, revision };
  }

  private run(ctx: RequestContext, quoteId: string, command: QuoteCommand): Promise<Result> {
    return handleCommand(this.store, quoteStream(quoteId), quoteDecider, command, commandOptions(ctx));
  }
}
