import { ApiProblems, Ctx, etag, openApiSchema, ZodValidationPipe, type RequestContext } from '@crm/nest-kit';
import { Body, Controller, Get, HttpCode, Param, Patch, Post, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AccountCommandsService } from '../application/account-commands.service';
import type { AccountState } from '../domain/account.decider';
import { AccountDuplicatesResponse, AccountIdParam, AccountResponse, CheckAccountDuplicatesBody, CreateAccountBody, UpdateAccountBody } from './account.dto';
import { MergeBody } from './customer-fields.dto';
import { accountView } from './customer.view';

const idempotencyHeader = { name: 'Idempotency-Key', required: false, description: 'Retrying with the same key appends nothing and returns the first result.' };
const ifMatchHeader = { name: 'If-Match', required: false, description: 'The ETag (revision) last seen; a stale one is refused with 409.' };
const accountResponse = { schema: openApiSchema(AccountResponse) };
const id = () => new ZodValidationPipe(AccountIdParam);

const respond = (reply: FastifyReply, { state, revision }: { state: AccountState; revision: number }): AccountResponse => {
  void reply.header('etag', etag(revision));
  // Every command that returns here ran on an existing account.
  return accountView(state as Exclude<AccountState, { status: 'none' }>, revision);
};

@ApiTags('accounts')
@ApiProblems(400, 404, 409, 422)
@Controller('v1/accounts')
export class AccountController {
  constructor(private readonly accounts: AccountCommandsService) {}

  @Post()
  @ApiOperation({
    summary: 'Create an account (company or person)',
    description: 'E-mail and phone are normalised (E.164, mainland China by default). An account matching an existing one by e-mail, phone or folded company name '
      + '(persons: name with e-mail or phone) is refused with 409 duplicate_account { existingId, matchedOn }, unless "onDuplicate": "create".',
  })
  @ApiHeader(idempotencyHeader)
  @ApiBody({ schema: openApiSchema(CreateAccountBody) })
  @ApiResponse({ status: 201, ...accountResponse })
  async create(@Ctx() ctx: RequestContext, @Body(new ZodValidationPipe(CreateAccountBody)) body: CreateAccountBody, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.accounts.create(ctx, body);
    void reply.status(201).header('location', `/v1/accounts/${result.accountId}`);
    return respond(reply, result);
  }

  @Post('duplicates/check')
  @HttpCode(200)
  @ApiOperation({ summary: 'The existing accounts a create with this body would duplicate (writes nothing)' })
  @ApiBody({ schema: openApiSchema(CheckAccountDuplicatesBody) })
  @ApiResponse({ status: 200, schema: openApiSchema(AccountDuplicatesResponse) })
  async checkDuplicates(@Ctx() ctx: RequestContext, @Body(new ZodValidationPipe(CheckAccountDuplicatesBody)) body: CheckAccountDuplicatesBody) {
    return { matches: await this.accounts.duplicates(ctx, body) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'An account with its ETag; a merged account answers 200 with mergedInto (the survivor) set' })
  @ApiResponse({ status: 200, ...accountResponse })
  async get(@Ctx() ctx: RequestContext, @Param('id', id()) accountId: string, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(reply, await this.accounts.get(ctx, accountId));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change an account’s profile (null clears a field); 422 account_merged on a merged account' })
  @ApiHeader(idempotencyHeader)
  @ApiHeader(ifMatchHeader)
  @ApiBody({ schema: openApiSchema(UpdateAccountBody) })
  @ApiResponse({ status: 200, ...accountResponse })
  async update(@Ctx() ctx: RequestContext, @Param('id', id()) accountId: string, @Body(new ZodValidationPipe(UpdateAccountBody)) body: UpdateAccountBody, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(reply, await this.accounts.update(ctx, accountId, body));
  }

  @Post(':id/merge')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Merge another account into this one (this one survives)',
    description: 'Both histories are kept; the merged account redirects (mergedInto) and its match keys now lead here. Merging into itself, '
      + 'into a merged account or an already merged account is 422.',
  })
  @ApiHeader(idempotencyHeader)
  @ApiHeader(ifMatchHeader)
  @ApiBody({ schema: openApiSchema(MergeBody) })
  @ApiResponse({ status: 200, ...accountResponse })
  async merge(@Ctx() ctx: RequestContext, @Param('id', id()) accountId: string, @Body(new ZodValidationPipe(MergeBody)) body: MergeBody, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(reply, await this.accounts.merge(ctx, accountId, body.mergedId));
  }
}
