import { ApiProblems, Ctx, etag, openApiSchema, ZodValidationPipe, type RequestContext } from '@crm/nest-kit';
import { Body, Controller, Get, Param, Put, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { SalesConfigService } from '../application/sales-config.service';
import type { SalesTeam } from '../domain/sales-team.decider';
import { DefineTeamBody, TeamIdParam, TeamResponse } from './sales-config.dto';

const view = (reply: FastifyReply, { team, revision }: { team: SalesTeam; revision: number }) => {
  void reply.header('etag', etag(revision));
  return { teamId: team.teamId, name: team.name, managerId: team.managerId, memberIds: [...team.memberIds], revision };
};

@ApiTags('sales-teams')
@ApiProblems(400, 404, 409, 422)
@Controller('v1/sales-teams')
export class SalesTeamController {
  constructor(private readonly config: SalesConfigService) {}

  @Get(':teamId')
  @ApiOperation({ summary: 'A sales team: manager and members' })
  @ApiResponse({ status: 200, schema: openApiSchema(TeamResponse) })
  async get(@Ctx() ctx: RequestContext, @Param('teamId', new ZodValidationPipe(TeamIdParam)) teamId: string, @Res({ passthrough: true }) reply: FastifyReply) {
    return view(reply, await this.config.team(ctx.tenantId, teamId));
  }

  @Put(':teamId')
  @ApiOperation({ summary: 'Define or redefine a sales team (its manager is who stalled deals escalate to)' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag (revision) last seen; a stale one is refused with 409.' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retrying with the same key appends nothing.' })
  @ApiBody({ schema: openApiSchema(DefineTeamBody) })
  @ApiResponse({ status: 200, schema: openApiSchema(TeamResponse) })
  async define(
    @Ctx() ctx: RequestContext,
    @Param('teamId', new ZodValidationPipe(TeamIdParam)) teamId: string,
    @Body(new ZodValidationPipe(DefineTeamBody)) body: DefineTeamBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return view(reply, await this.config.defineTeam(ctx, teamId, body));
  }
}
