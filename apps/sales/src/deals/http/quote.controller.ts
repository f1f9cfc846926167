import { ApiProblems, Ctx, etag, openApiSchema, ZodValidationPipe, type RequestContext } from '@crm/nest-kit';
import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { QuoteCommandsService } from '../application/quote-commands.service';
import type { QuoteState } from '../domain/quote.decider';
import { ApproveQuoteBody, DraftQuoteBody, QuoteCommandResponse, QuoteIdParam, QuoteResponse, QuoteStatusBody, RejectApprovalBody, ReviseQuoteBody } from './quote.dto';
import { quoteSummary, quoteView } from './quote.view';

const idempotencyHeader = { name: 'Idempotency-Key', required: false, description: 'Retrying with the same key appends nothing and returns the first result.' };
const ifMatchHeader = { name: 'If-Match', required: false, description: 'The ETag (revision) last seen; a stale one is refused with 409.' };
const rolesHeader = { name: 'x-actor-roles', required: false, description: 'The approver’s roles, comma-separated (e.g. sales_manager).' };
const commandResponse = { schema: openApiSchema(QuoteCommandResponse) };
const id = () => new ZodValidationPipe(QuoteIdParam);

const respond = (reply: FastifyReply, { state, revision }: { state: QuoteState; revision: number }): QuoteCommandResponse => {
  void reply.header('etag', etag(revision));
  // A command either found the quote or threw; the state is never 'none' here.
  return quoteSummary(state as Exclude<QuoteState, { status: 'none' }>, revision);
};

@ApiTags('quotes')
@ApiProblems(400, 403, 404, 409, 422)
@Controller('v1/quotes')
export class QuoteController {
  constructor(private readonly quotes: QuoteCommandsService) {}

  @Post()
  @ApiOperation({
    summary: 'Draft a quote: lines (product, quantity, unit price, discount), totals and tax in minor units',
    description: 'A line or overall discount above the tenant’s threshold needs the approver chain (sales.QuoteApprovalRequested) before the quote can be sent.',
  })
  @ApiHeader(idempotencyHeader)
  @ApiBody({ schema: openApiSchema(DraftQuoteBody) })
  @ApiResponse({ status: 201, ...commandResponse })
  async draft(@Ctx() ctx: RequestContext, @Body(new ZodValidationPipe(DraftQuoteBody)) body: DraftQuoteBody, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.quotes.draft(ctx, body);
    void reply.status(201).header('location', `/v1/quotes/${result.quoteId}`);
    return respond(reply, result);
  }

  @Get(':id')
  @ApiOperation({ summary: 'The current version of a quote: lines, totals, approval status with the decisions (with its ETag)' })
  @ApiResponse({ status: 200, schema: openApiSchema(QuoteResponse) })
  async get(@Ctx() ctx: RequestContext, @Param('id', id()) quoteId: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const { state, revision } = await this.quotes.get(ctx, quoteId);
    void reply.header('etag', etag(revision));
    return quoteView(state, revision);
  }

  @Post(':id/revise')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revise: the next version (any approval pending on the older version lapses)' })
  @ApiHeader(idempotencyHeader)
  @ApiHeader(ifMatchHeader)
  @ApiBody({ schema: openApiSchema(ReviseQuoteBody) })
  @ApiResponse({ status: 200, ...commandResponse })
  async revise(@Ctx() ctx: RequestContext, @Param('id', id()) quoteId: string, @Body(new ZodValidationPipe(ReviseQuoteBody)) body: ReviseQuoteBody, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(reply, await this.quotes.revise(ctx, quoteId, body));
  }

  @Post(':id/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve the current step of the approver chain (the actor must hold its role or be its named approver)' })
  @ApiHeader(idempotencyHeader)
  @ApiHeader(ifMatchHeader)
  @ApiHeader(rolesHeader)
  @ApiBody({ schema: openApiSchema(ApproveQuoteBody), required: false })
  @ApiResponse({ status: 200, ...commandResponse })
  async approve(@Ctx() ctx: RequestContext, @Param('id', id()) quoteId: string, @Body(new ZodValidationPipe(ApproveQuoteBody)) body: ApproveQuoteBody, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(reply, await this.quotes.approve(ctx, quoteId, body));
  }

  @Post(':id/reject-approval')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject the discount at the current step, with a comment (the version cannot be sent; revise it)' })
  @ApiHeader(idempotencyHeader)
  @ApiHeader(ifMatchHeader)
  @ApiHeader(rolesHeader)
  @ApiBody({ schema: openApiSchema(RejectApprovalBody) })
  @ApiResponse({ status: 200, ...commandResponse })
  async rejectApproval(@Ctx() ctx: RequestContext, @Param('id', id()) quoteId: string, @Body(new ZodValidationPipe(RejectApprovalBody)) body: RejectApprovalBody, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(reply, await this.quotes.rejectApproval(ctx, quoteId, body));
  }

  @Post(':id/send')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send the current version to the customer (refused while approval is pending or after it was rejected)' })
  @ApiHeader(idempotencyHeader)
  @ApiHeader(ifMatchHeader)
  @ApiBody({ schema: openApiSchema(QuoteStatusBody), required: false })
  @ApiResponse({ status: 200, ...commandResponse })
  async send(@Ctx() ctx: RequestContext, @Param('id', id()) quoteId: string, @Body(new ZodValidationPipe(QuoteStatusBody)) body: QuoteStatusBody, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(reply, await this.quotes.send(ctx, quoteId, body));
  }

  @Post(':id/accept')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record that the customer accepted the sent version' })
  @ApiHeader(idempotencyHeader)
  @ApiHeader(ifMatchHeader)
  @ApiBody({ schema: openApiSchema(QuoteStatusBody), required: false })
  @ApiResponse({ status: 200, ...commandResponse })
  async accept(@Ctx() ctx: RequestContext, @Param('id', id()) quoteId: string, @Body(new ZodValidationPipe(QuoteStatusBody)) body: QuoteStatusBody, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(reply, await this.quotes.accept(ctx, quoteId, body));
  }

  @Post(':id/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record that the customer rejected the sent version' })
  @ApiHeader(idempotencyHeader)
  @ApiHeader(ifMatchHeader)
  @ApiBody({ schema: openApiSchema(QuoteStatusBody), required: false })
  @ApiResponse({ status: 200, ...commandResponse })
  async reject(@Ctx() ctx: RequestContext, @Param('id', id()) quoteId: string, @Body(new ZodValidationPipe(QuoteStatusBody)) body: QuoteStatusBody, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(reply, await this.quotes.reject(ctx, quoteId, body));
  }
}
