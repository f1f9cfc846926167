import { ApiProblems, Ctx, etag, openApiSchema, ZodValidationPipe, type RequestContext } from '@crm/nest-kit';
import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { TaskCommandsService } from '../application/task-commands.service';
import type { TaskState } from '../domain/task.decider';
import {
  CancelTaskBody, CompleteTaskBody, CreateTaskBody, ReassignTaskBody, RescheduleTaskBody, TaskCommandResponse, TaskIdParam, TaskResponse,
} from './task.dto';
import { taskView } from './task.view';

const idempotencyHeader = { name: 'Idempotency-Key', required: false, description: 'Retrying with the same key appends nothing and returns the first result.' };
const ifMatchHeader = { name: 'If-Match', required: false, description: 'The ETag (revision) last seen; a stale one is refused with 409.' };
const commandResponse = { schema: openApiSchema(TaskCommandResponse) };
const id = () => new ZodValidationPipe(TaskIdParam);

const respond = (reply: FastifyReply, taskId: string, { state, revision }: { state: TaskState; revision: number }): TaskCommandResponse => {
  void reply.header('etag', etag(revision));
  return { id: taskId, status: state.status === 'none' ? 'open' : state.status, revision };
};

@ApiTags('tasks')
@ApiProblems(400, 404, 409, 422)
@Controller('v1/tasks')
export class TaskController {
  constructor(private readonly tasks: TaskCommandsService) {}

  @Post()
  @ApiOperation({
    summary: 'Create a task with a due time and an optional reminder (durable timers fire sales.TaskReminderDue and sales.TaskOverdue)',
    description: 'The assignee defaults to the actor (x-actor-id). The reminder must not be after the due time (422).',
  })
  @ApiHeader(idempotencyHeader)
  @ApiBody({ schema: openApiSchema(CreateTaskBody) })
  @ApiResponse({ status: 201, ...commandResponse })
  async create(@Ctx() ctx: RequestContext, @Body(new ZodValidationPipe(CreateTaskBody)) body: CreateTaskBody, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.tasks.create(ctx, body);
    void reply.status(201).header('location', `/v1/tasks/${result.taskId}`);
    return respond(reply, result.taskId, result);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A task (with its ETag)' })
  @ApiResponse({ status: 200, schema: openApiSchema(TaskResponse) })
  async get(@Ctx() ctx: RequestContext, @Param('id', id()) taskId: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const { state, revision } = await this.tasks.get(ctx, taskId);
    void reply.header('etag', etag(revision));
    return taskView(state, revision);
  }

  @Post(':id/reschedule')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move the due time (and the reminder); the timers move with it' })
  @ApiHeader(idempotencyHeader)
  @ApiHeader(ifMatchHeader)
  @ApiBody({ schema: openApiSchema(RescheduleTaskBody) })
  @ApiResponse({ status: 200, ...commandResponse })
  async reschedule(@Ctx() ctx: RequestContext, @Param('id', id()) taskId: string, @Body(new ZodValidationPipe(RescheduleTaskBody)) body: RescheduleTaskBody, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(reply, taskId, await this.tasks.reschedule(ctx, taskId, body));
  }

  @Post(':id/reassign')
  @HttpCode(200)
  @ApiOperation({ summary: 'Hand an open task to someone else' })
  @ApiHeader(idempotencyHeader)
  @ApiHeader(ifMatchHeader)
  @ApiBody({ schema: openApiSchema(ReassignTaskBody) })
  @ApiResponse({ status: 200, ...commandResponse })
  async reassign(@Ctx() ctx: RequestContext, @Param('id', id()) taskId: string, @Body(new ZodValidationPipe(ReassignTaskBody)) body: ReassignTaskBody, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(reply, taskId, await this.tasks.reassign(ctx, taskId, body));
  }

  @Post(':id/complete')
  @HttpCode(200)
  @ApiOperation({ summary: 'Complete a task (completing twice is a no-op); its timers are cancelled' })
  @ApiHeader(idempotencyHeader)
  @ApiHeader(ifMatchHeader)
  @ApiBody({ schema: openApiSchema(CompleteTaskBody), required: false })
  @ApiResponse({ status: 200, ...commandResponse })
  async complete(@Ctx() ctx: RequestContext, @Param('id', id()) taskId: string, @Body(new ZodValidationPipe(CompleteTaskBody)) body: CompleteTaskBody, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(reply, taskId, await this.tasks.complete(ctx, taskId, body));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a task (cancelling twice is a no-op); its timers are cancelled' })
  @ApiHeader(idempotencyHeader)
  @ApiHeader(ifMatchHeader)
  @ApiBody({ schema: openApiSchema(CancelTaskBody), required: false })
  @ApiResponse({ status: 200, ...commandResponse })
  async cancel(@Ctx() ctx: RequestContext, @Param('id', id()) taskId: string, @Body(new ZodValidationPipe(CancelTaskBody)) body: CancelTaskBody, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(reply, taskId, await this.tasks.cancel(ctx, taskId, body));
  }
}
