import { ApiProblems, Ctx, etag, openApiSchema, ZodValidationPipe, type RequestContext } from '@crm/nest-kit';
import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ContractCommandsService } from '../application/contract-commands.service';
import type { ContractState, ExistingContract } from '../domain/contract.decider';
import { CancelContractBody, ContractCommandResponse, ContractIdParam, ContractResponse, DraftContractBody, SignContractBody } from './contract.dto';
import { contractSummary, contractView } from './contract.view';

const idempotencyHeader = { name: 'Idempotency-Key', required: false, description: 'Retrying with the same key appends nothing and returns the first result.' };
const ifMatchHeader = { name: 'If-Match', required: false, description: 'The ETag (revision) last seen; a stale one is refused with 409.' };
const commandResponse = { schema: openApiSchema(ContractCommandResponse) };
const id = () => new ZodValidationPipe(ContractIdParam);

const respond = (reply: FastifyReply, { state, revision }: { state: ContractState; revision: number }): ContractCommandResponse => {
  void reply.header('etag', etag(revision));
  // A command either found the contract or threw; the state is never 'none' here.
  return contractSummary(state as ExistingContract, revision);
};

@ApiTags('contracts')
@ApiProblems(400, 404, 409, 422)
@Controller('v1/contracts')
export class ContractController {
  constructor(private readonly contracts: ContractCommandsService) {}

  @Post()
  @ApiOperation({
    summary: 'Draft a contract/order from an accepted quote ({ quoteId }) or directly ({ accountId, lines, currency, taxMinor })',
    description: 'Gets the next contract number of the tenant (C-<year>-000001). Installments: one at the start date by default, '
      + '{ installmentCount, intervalMonths } for an even split, or a list that must sum to the total. One contract per quote (a second is 409).',
  })
  @ApiHeader(idempotencyHeader)
  @ApiBody({ schema: openApiSchema(DraftContractBody) })
  @ApiResponse({ status: 201, ...commandResponse })
  async draft(@Ctx() ctx: RequestContext, @Body(new ZodValidationPipe(DraftContractBody)) body: DraftContractBody, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.contracts.draft(ctx, body);
    void reply.status(201).header('location', `/v1/contracts/${result.contractId}`);
    return respond(reply, result);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A contract: number, lines, total and tax, payment plan, dates, signing or cancellation (with its ETag)' })
  @ApiResponse({ status: 200, schema: openApiSchema(ContractResponse) })
  async get(@Ctx() ctx: RequestContext, @Param('id', id()) contractId: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const { state, revision } = await this.contracts.get(ctx, contractId);
    void reply.header('etag', etag(revision));
    return contractView(state, revision);
  }

  @Post(':id/sign')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign: sales.ContractSigned carries what billing (payment plan) and service (onboarding) need',
    description: 'Signing twice changes nothing; a cancelled contract cannot be signed; the account must exist.',
  })
  @ApiHeader(idempotencyHeader)
  @ApiHeader(ifMatchHeader)
  @ApiBody({ schema: openApiSchema(SignContractBody), required: false })
  @ApiResponse({ status: 200, ...commandResponse })
  async sign(@Ctx() ctx: RequestContext, @Param('id', id()) contractId: string, @Body(new ZodValidationPipe(SignContractBody)) body: SignContractBody, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(reply, await this.contracts.sign(ctx, contractId, body));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a drafted or signed contract, with a reason' })
  @ApiHeader(idempotencyHeader)
  @ApiHeader(ifMatchHeader)
  @ApiBody({ schema: openApiSchema(CancelContractBody) })
  @ApiResponse({ status: 200, ...commandResponse })
  async cancel(@Ctx() ctx: RequestContext, @Param('id', id()) contractId: string, @Body(new ZodValidationPipe(CancelContractBody)) body: CancelContractBody, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(reply, await this.contracts.cancel(ctx, contractId, body));
  }
}
