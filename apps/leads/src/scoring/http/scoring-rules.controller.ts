import { ApiProblems, Ctx, etag, openApiSchema, ZodValidationPipe, type RequestContext } from '@crm/nest-kit';
import { Body, Controller, Get, Put, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { LeadScoringService } from '../application/lead-scoring.service';
import { ScoringRulesService } from '../application/scoring-rules.service';
import type { ScoringRules } from '../domain/scoring-rules';
import { PutScoringRulesBody, PutScoringRulesResponse, ScoringRulesResponse } from './scoring-rules.dto';

@ApiTags('scoring')
@ApiProblems(400, 409)
@Controller('v1/scoring-rules')
export class ScoringRulesController {
  constructor(
    private readonly rules: ScoringRulesService,
    private readonly scoring: LeadScoringService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'The tenant’s lead-scoring rules',
    description: 'The built-in defaults (version 1) until the tenant changes them. ETag: the rule set’s revision (absent while on the defaults).',
  })
  @ApiResponse({ status: 200, schema: openApiSchema(ScoringRulesResponse) })
  async get(@Ctx() ctx: RequestContext, @Res({ passthrough: true }) reply: FastifyReply): Promise<ScoringRules> {
    const { rules, revision } = await this.rules.current(ctx.tenantId);
    if (revision >= 0) void reply.header('etag', etag(revision));
    return rules;
  }

  @Put()
  @ApiOperation({
    summary: 'Replace the tenant’s lead-scoring rules',
    description:
      'Each change is the next version. Existing leads are re-scored from their history in the background (202); ' +
      'submitting the current rules changes nothing (200). `version` in the body, when present, must be the current one.',
  })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag (revision) last seen; a stale one is refused with 409.' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retrying with the same key changes nothing more.' })
  @ApiBody({ schema: openApiSchema(PutScoringRulesBody) })
  @ApiResponse({ status: 202, description: 'Changed; re-scoring queued', schema: openApiSchema(PutScoringRulesResponse) })
  @ApiResponse({ status: 200, description: 'Unchanged', schema: openApiSchema(PutScoringRulesResponse) })
  async put(
    @Ctx() ctx: RequestContext,
    @Body(new ZodValidationPipe(PutScoringRulesBody)) body: PutScoringRulesBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PutScoringRulesResponse> {
    const { version, ...ruleSet } = body;
    const { rules, revision, changed } = await this.rules.change(ctx, ruleSet, version);
    if (revision >= 0) void reply.header('etag', etag(revision));
    void reply.status(changed ? 202 : 200);
    return { version: rules.version, rescoring: { leads: changed ? (await this.scoring.leadIdsOf(ctx.tenantId)).length : 0 } };
  }
}
