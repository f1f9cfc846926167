import { ApiProblems, Ctx, etag, openApiSchema, ZodValidationPipe, type RequestContext } from '@crm/nest-kit';
import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ActivityCommandsService } from '../application/activity-commands.service';
import { ActivityCommandResponse, ActivityIdParam, ActivityResponse, LogActivityBody } from './activity.dto';

const id = () => new ZodValidationPipe(ActivityIdParam);

@ApiTags('activities')
@ApiProblems(400, 404, 409, 422)
@Controller('v1/activities')
export class ActivityController {
  constructor(private readonly activities: ActivityCommandsService) {}

  @Post()
  @ApiOperation({
    summary: 'Log a call, visit, meeting, note or e-mail against an account, contact and/or opportunity',
    description: 'The actor (x-actor-id) is who did it. Activities are immutable: a correction is a new activity.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retrying with the same key appends nothing and returns the first result.' })
  @ApiBody({ schema: openApiSchema(LogActivityBody) })
  @ApiResponse({ status: 201, schema: openApiSchema(ActivityCommandResponse) })
  async log(@Ctx() ctx: RequestContext, @Body(new ZodValidationPipe(LogActivityBody)) body: LogActivityBody, @Res({ passthrough: true }) reply: FastifyReply): Promise<ActivityCommandResponse> {
    const { activityId, revision } = await this.activities.log(ctx, body);
    void reply.status(201).header('location', `/v1/activities/${activityId}`).header('etag', etag(revision));
    return { id: activityId, revision };
  }

  @Get(':id')
  @ApiOperation({ summary: 'An activity (with its ETag)' })
  @ApiResponse({ status: 200, schema: openApiSchema(ActivityResponse) })
  async get(@Ctx() ctx: RequestContext, @Param('id', id()) activityId: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<ActivityResponse> {
    const { state: { status: _status, activityId: _id, ...activity }, revision } = await this.activities.get(ctx, activityId);
    void reply.header('etag', etag(revision));
    return { id: activityId, revision, ...activity };
  }
}
