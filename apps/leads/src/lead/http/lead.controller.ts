import { ApiProblems, Ctx, etag, openApiSchema, ZodValidationPipe, type RequestContext } from '@crm/nest-kit';
import { Body, Controller, Get, HttpCode, Param, Patch, Post, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { LeadCommandsService } from '../application/lead-commands.service';
import type { LeadState } from '../domain/lead.decider';
import {
  CaptureLeadBody, ContactCaptureResponse, ConvertLeadBody, DisqualifyLeadBody, LeadCommandResponse, LeadIdParam, LeadResponse, MergeLeadsBody, QualifyLeadBody,
  UpdateLeadBody,
} from './lead.dto';

const idempotencyHeader = { name: 'Idempotency-Key', required: false, description: 'Retrying with the same key appends nothing and returns the first result.' };
const ifMatchHeader = { name: 'If-Match', required: false, description: 'The ETag (revision) last seen; a stale one is refused with 409.' };
const commandResponse = { schema: openApiSchema(LeadCommandResponse) };

type Result = { state: LeadState; revision: number };

const respond = (reply: FastifyReply, leadId: string, { state, revision }: Result): LeadCommandResponse => {
  void reply.header('etag', etag(revision));
  return { id: leadId, status: state.status === 'none' ? 'captured' : state.status, revision };
};

@ApiTags('leads')
@ApiProblems(400, 404, 409, 422)
@Controller('v1/leads')
export class LeadController {
  constructor(private readonly leads: LeadCommandsService) {}

  @Post()
  @ApiOperation({ summary: 'Capture a lead from a channel' })
  @ApiHeader(idempotencyHeader)
  @ApiBody({ schema: openApiSchema(CaptureLeadBody) })
  @ApiResponse({ status: 201, ...commandResponse })
  @ApiResponse({
    status: 200,
    description: 'The person matched an open lead: the capture attached to it (`attached: true`, the lead). Or it matched no open lead but a '
      + 'sales contact (same e-mail or phone): no lead is created and the answer is `{ attached: true, contactId }`, without Location or ETag '
      + '(the contact is a sales resource).',
    schema: openApiSchema(z.union([LeadCommandResponse, ContactCaptureResponse])),
  })
  async capture(@Ctx() ctx: RequestContext, @Body(new ZodValidationPipe(CaptureLeadBody)) body: CaptureLeadBody, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.leads.capture(ctx, body);
    if (result.contactId !== undefined) {
      void reply.status(200);
      return { attached: true, contactId: result.contactId } satisfies ContactCaptureResponse;
    }
    void reply.status(result.attached ? 200 : 201).header('location', `/v1/leads/${result.leadId}`);
    return { ...respond(reply, result.leadId, result), attached: result.attached };
  }

  @Get(':id')
  @ApiOperation({ summary: 'The current state of a lead on the write side (with its ETag)' })
  @ApiResponse({ status: 200, schema: openApiSchema(LeadResponse) })
  async get(@Ctx() ctx: RequestContext, @Param('id', new ZodValidationPipe(LeadIdParam)) id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const { state, revision } = await this.leads.get(ctx, id);
    void reply.header('etag', etag(revision));
    const { leadId, status, touchpointIds: _touchpoints, identities: _identities, ...rest } = state;
    return { id: leadId, status, revision, ...rest };
  }

  @Post(':id/merge')
  @HttpCode(200)
  @ApiOperation({ summary: 'Merge another lead into this one: both histories stay, the merged id redirects here' })
  @ApiHeader(idempotencyHeader)
  @ApiHeader(ifMatchHeader)
  @ApiBody({ schema: openApiSchema(MergeLeadsBody) })
  @ApiResponse({ status: 200, ...commandResponse })
  async merge(@Ctx() ctx: RequestContext, @Param('id', new ZodValidationPipe(LeadIdParam)) id: string, @Body(new ZodValidationPipe(MergeLeadsBody)) body: MergeLeadsBody, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(reply, id, await this.leads.merge(ctx, id, body));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change profile attributes (industry, region, title, …; null clears one); scoring re-evaluates the lead' })
  @ApiHeader(idempotencyHeader)
  @ApiHeader(ifMatchHeader)
  @ApiBody({ schema: openApiSchema(UpdateLeadBody) })
  @ApiResponse({ status: 200, ...commandResponse })
  async update(@Ctx() ctx: RequestContext, @Param('id', new ZodValidationPipe(LeadIdParam)) id: string, @Body(new ZodValidationPipe(UpdateLeadBody)) body: UpdateLeadBody, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(reply, id, await this.leads.updateAttributes(ctx, id, body));
  }

  @Post(':id/qualify')
  @HttpCode(200)
  @ApiOperation({ summary: 'Qualify a lead for sales' })
  @ApiHeader(idempotencyHeader)
  @ApiHeader(ifMatchHeader)
  @ApiBody({ schema: openApiSchema(QualifyLeadBody), required: false })
  @ApiResponse({ status: 200, ...commandResponse })
  async qualify(@Ctx() ctx: RequestContext, @Param('id', new ZodValidationPipe(LeadIdParam)) id: string, @Body(new ZodValidationPipe(QualifyLeadBody)) body: QualifyLeadBody, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(reply, id, await this.leads.qualify(ctx, id, body));
  }

  @Post(':id/disqualify')
  @HttpCode(200)
  @ApiOperation({ summary: 'Disqualify a lead (a reason is required)' })
  @ApiHeader(idempotencyHeader)
  @ApiHeader(ifMatchHeader)
  @ApiBody({ schema: openApiSchema(DisqualifyLeadBody) })
  @ApiResponse({ status: 200, ...commandResponse })
  async disqualify(@Ctx() ctx: RequestContext, @Param('id', new ZodValidationPipe(LeadIdParam)) id: string, @Body(new ZodValidationPipe(DisqualifyLeadBody)) body: DisqualifyLeadBody, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(reply, id, await this.leads.disqualify(ctx, id, body));
  }

  @Post(':id/convert')
  @HttpCode(200)
  @ApiOperation({ summary: 'Convert a qualified lead; sales creates the account, contact and opportunity' })
  @ApiHeader(idempotencyHeader)
  @ApiHeader(ifMatchHeader)
  @ApiBody({ schema: openApiSchema(ConvertLeadBody), required: false })
  @ApiResponse({ status: 200, ...commandResponse })
  async convert(@Ctx() ctx: RequestContext, @Param('id', new ZodValidationPipe(LeadIdParam)) id: string, @Body(new ZodValidationPipe(ConvertLeadBody)) body: ConvertLeadBody, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(reply, id, await this.leads.convert(ctx, id, body));
  }
}
