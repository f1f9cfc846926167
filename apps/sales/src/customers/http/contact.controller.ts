import { ApiProblems, Ctx, etag, openApiSchema, ZodValidationPipe, type RequestContext } from '@crm/nest-kit';
import { Body, Controller, Get, HttpCode, Param, Patch, Post, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ContactCommandsService } from '../application/contact-commands.service';
import type { ContactState } from '../domain/contact.decider';
import { CheckContactDuplicatesBody, ContactDuplicatesResponse, ContactIdParam, ContactResponse, CreateContactBody, UpdateContactBody } from './contact.dto';
import { MergeBody } from './customer-fields.dto';
import { contactView } from './customer.view';

const idempotencyHeader = { name: 'Idempotency-Key', required: false, description: 'Retrying with the same key appends nothing and returns the first result.' };
const ifMatchHeader = { name: 'If-Match', required: false, description: 'The ETag (revision) last seen; a stale one is refused with 409.' };
const contactResponse = { schema: openApiSchema(ContactResponse) };
const id = () => new ZodValidationPipe(ContactIdParam);

const respond = (reply: FastifyReply, { state, revision }: { state: ContactState; revision: number }): ContactResponse => {
  void reply.header('etag', etag(revision));
  // Every command that returns here ran on an existing contact.
  return contactView(state as Exclude<ContactState, { status: 'none' }>, revision);
};

@ApiTags('contacts')
@ApiProblems(400, 404, 409, 422)
@Controller('v1/contacts')
export class ContactController {
  constructor(private readonly contacts: ContactCommandsService) {}

  @Post()
  @ApiOperation({
    summary: 'Create a contact (role, decision maker, phone, e-mail, WeCom/WeChat id), optionally under an account',
    description: 'E-mail and phone are normalised. An unknown accountId is 422 unknown_account. A contact matching an existing one by e-mail, phone or '
      + 'folded name within the same account is refused with 409 duplicate_contact { existingId, matchedOn }, unless "onDuplicate": "create".',
  })
  @ApiHeader(idempotencyHeader)
  @ApiBody({ schema: openApiSchema(CreateContactBody) })
  @ApiResponse({ status: 201, ...contactResponse })
  async create(@Ctx() ctx: RequestContext, @Body(new ZodValidationPipe(CreateContactBody)) body: CreateContactBody, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.contacts.create(ctx, body);
    void reply.status(201).header('location', `/v1/contacts/${result.contactId}`);
    return respond(reply, result);
  }

  @Post('duplicates/check')
  @HttpCode(200)
  @ApiOperation({ summary: 'The existing contacts a create with this body would duplicate (writes nothing)' })
  @ApiBody({ schema: openApiSchema(CheckContactDuplicatesBody) })
  @ApiResponse({ status: 200, schema: openApiSchema(ContactDuplicatesResponse) })
  async checkDuplicates(@Ctx() ctx: RequestContext, @Body(new ZodValidationPipe(CheckContactDuplicatesBody)) body: CheckContactDuplicatesBody) {
    return { matches: await this.contacts.duplicates(ctx, body) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'A contact with its ETag; a merged contact answers 200 with mergedInto (the survivor) set' })
  @ApiResponse({ status: 200, ...contactResponse })
  async get(@Ctx() ctx: RequestContext, @Param('id', id()) contactId: string, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(reply, await this.contacts.get(ctx, contactId));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a contact’s profile (null clears a field); 422 contact_merged on a merged contact' })
  @ApiHeader(idempotencyHeader)
  @ApiHeader(ifMatchHeader)
  @ApiBody({ schema: openApiSchema(UpdateContactBody) })
  @ApiResponse({ status: 200, ...contactResponse })
  async update(@Ctx() ctx: RequestContext, @Param('id', id()) contactId: string, @Body(new ZodValidationPipe(UpdateContactBody)) body: UpdateContactBody, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(reply, await this.contacts.update(ctx, contactId, body));
  }

  @Post(':id/merge')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Merge another contact into this one (this one survives)',
    description: 'Both histories are kept; the merged contact redirects (mergedInto) and its match keys now lead here. Merging into itself, '
      + 'into a merged contact or an already merged contact is 422.',
  })
  @ApiHeader(idempotencyHeader)
  @ApiHeader(ifMatchHeader)
  @ApiBody({ schema: openApiSchema(MergeBody) })
  @ApiResponse({ status: 200, ...contactResponse })
  async merge(@Ctx() ctx: RequestContext, @Param('id', id()) contactId: string, @Body(new ZodValidationPipe(MergeBody)) body: MergeBody, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(reply, await this.contacts.merge(ctx, contactId, body.mergedId));
  }
}
