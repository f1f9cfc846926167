import { ApiProblems, Ctx, etag, openApiSchema, ZodValidationPipe, type RequestContext } from '@crm/nest-kit';
import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CampaignCommandsService } from '../application/campaign-commands.service';
import type { CampaignState } from '../domain/campaign.decider';
import {
  AddCostBody, CampaignCommandResponse, CampaignIdParam, CampaignResponse, CancelCampaignBody, CreateCampaignBody, DefineVariantsBody, EngagementBatchBody,
  LeadIdQuery, UpdateCampaignBody, VariantResponse,
} from './campaign.dto';
import { campaignView } from './campaign.view';

const idempotencyHeader = { name: 'Idempotency-Key', required: false, description: 'Retrying with the same key appends nothing and returns the first result.' };
const ifMatchHeader = { name: 'If-Match', required: false, description: 'The ETag (revision) last seen; a stale one is refused with 409.' };
const commandResponse = { schema: openApiSchema(CampaignCommandResponse) };
const id = () => new ZodValidationPipe(CampaignIdParam);

const respond = (reply: FastifyReply, campaignId: string, { state, revision }: { state: CampaignState; revision: number }): CampaignCommandResponse => {
  void reply.header('etag', etag(revision));
  return { id: campaignId, status: state.status === 'none' ? 'draft' : state.status, revision };
};

@ApiTags('campaigns')
@ApiProblems(400, 404, 409, 422)
@Controller('v1/campaigns')
export class CampaignController {
  constructor(private readonly campaigns: CampaignCommandsService) {}

  @Post()
  @ApiOperation({ summary: 'Create a campaign: channel, budget (integer minor units, default CNY) and dates' })
  @ApiHeader(idempotencyHeader)
  @ApiBody({ schema: openApiSchema(CreateCampaignBody) })
  @ApiResponse({ status: 201, ...commandResponse })
  async create(@Ctx() ctx: RequestContext, @Body(new ZodValidationPipe(CreateCampaignBody)) body: CreateCampaignBody, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.campaigns.create(ctx, body);
    void reply.status(201).header('location', `/v1/campaigns/${result.campaignId}`);
    return respond(reply, result.campaignId, result);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A campaign with budget, total cost, remaining budget and per-variant counts and rates (with its ETag)' })
  @ApiResponse({ status: 200, schema: openApiSchema(CampaignResponse) })
  async get(@Ctx() ctx: RequestContext, @Param('id', id()) campaignId: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const { state, revision } = await this.campaigns.get(ctx, campaignId);
    void reply.header('etag', etag(revision));
    return campaignView(state, revision);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a campaign’s name, budget or dates' })
  @ApiHeader(idempotencyHeader)
  @ApiHeader(ifMatchHeader)
  @ApiBody({ schema: openApiSchema(UpdateCampaignBody) })
  @ApiResponse({ status: 200, ...commandResponse })
  async update(@Ctx() ctx: RequestContext, @Param('id', id()) campaignId: string, @Body(new ZodValidationPipe(UpdateCampaignBody)) body: UpdateCampaignBody, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(reply, campaignId, await this.campaigns.update(ctx, campaignId, body));
  }

  @Post(':id/costs')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Record a cost entry (idempotent by costEntryId)',
    description: 'The currency must be the budget’s. Cost above the budget is accepted and flagged once with campaigns.BudgetExceeded.',
  })
  @ApiHeader(idempotencyHeader)
  @ApiHeader(ifMatchHeader)
  @ApiBody({ schema: openApiSchema(AddCostBody) })
  @ApiResponse({ status: 200, ...commandResponse })
  async addCost(@Ctx() ctx: RequestContext, @Param('id', id()) campaignId: string, @Body(new ZodValidationPipe(AddCostBody)) body: AddCostBody, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(reply, campaignId, await this.campaigns.addCost(ctx, campaignId, body));
  }

  @Put(':id/variants')
  @ApiOperation({ summary: 'Define the A/B variants and their integer weights (frozen once a lead has been assigned)' })
  @ApiHeader(idempotencyHeader)
  @ApiHeader(ifMatchHeader)
  @ApiBody({ schema: openApiSchema(DefineVariantsBody) })
  @ApiResponse({ status: 200, ...commandResponse })
  async defineVariants(@Ctx() ctx: RequestContext, @Param('id', id()) campaignId: string, @Body(new ZodValidationPipe(DefineVariantsBody)) body: DefineVariantsBody, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(reply, campaignId, await this.campaigns.defineVariants(ctx, campaignId, body));
  }

  @Post(':id/start')
  @HttpCode(200)
  @ApiOperation({ summary: 'Start sending (draft → running)' })
  @ApiHeader(idempotencyHeader)
  @ApiHeader(ifMatchHeader)
  @ApiResponse({ status: 200, ...commandResponse })
  async start(@Ctx() ctx: RequestContext, @Param('id', id()) campaignId: string, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(reply, campaignId, await this.campaigns.start(ctx, campaignId));
  }

  @Post(':id/complete')
  @HttpCode(200)
  @ApiOperation({ summary: 'Complete a running campaign' })
  @ApiHeader(idempotencyHeader)
  @ApiHeader(ifMatchHeader)
  @ApiResponse({ status: 200, ...commandResponse })
  async complete(@Ctx() ctx: RequestContext, @Param('id', id()) campaignId: string, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(reply, campaignId, await this.campaigns.complete(ctx, campaignId));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a draft or running campaign' })
  @ApiHeader(idempotencyHeader)
  @ApiHeader(ifMatchHeader)
  @ApiBody({ schema: openApiSchema(CancelCampaignBody), required: false })
  @ApiResponse({ status: 200, ...commandResponse })
  async cancel(@Ctx() ctx: RequestContext, @Param('id', id()) campaignId: string, @Body(new ZodValidationPipe(CancelCampaignBody)) body: CancelCampaignBody, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(reply, campaignId, await this.campaigns.cancel(ctx, campaignId, body));
  }

  @Post(':id/engagements')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Record a batch of up to 500 engagements (sent, opened, clicked, converted)',
    description: 'Idempotent by engagementId. Each item answers recorded or duplicate, with the lead’s A/B variant. A campaign-level rule (unknown, not started) refuses the whole batch.',
  })
  @ApiBody({ schema: openApiSchema(EngagementBatchBody) })
  @ApiResponse({ status: 200, description: '{ results: [{ engagementId, leadId, status, variant }] } in request order' })
  async recordEngagements(@Ctx() ctx: RequestContext, @Param('id', id()) campaignId: string, @Body(new ZodValidationPipe(EngagementBatchBody)) body: EngagementBatchBody, @Res({ passthrough: true }) reply: FastifyReply) {
    const { results, revision } = await this.campaigns.recordEngagements(ctx, campaignId, body);
    void reply.header('etag', etag(revision));
    return { results };
  }

  @Get(':id/variant')
  @ApiOperation({ summary: 'Which A/B variant a lead gets in this campaign (deterministic by campaign and lead id)' })
  @ApiQuery({ name: 'leadId', required: true, description: 'The lead (a UUID).' })
  @ApiResponse({ status: 200, schema: openApiSchema(VariantResponse) })
  variant(@Ctx() ctx: RequestContext, @Param('id', id()) campaignId: string, @Query('leadId', new ZodValidationPipe(LeadIdQuery)) leadId: string) {
    return this.campaigns.variantOf(ctx, campaignId, leadId);
  }
}
