import { ApiProblems, Ctx, openApiSchema, ZodValidationPipe, type RequestContext } from '@crm/nest-kit';
import { Body, Controller, Headers, HttpCode, Logger, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Throttle, ThrottlerGuard } from '@nestjs/throttler';
import { LeadCommandsService } from '../application/lead-commands.service';
import { FormIdParam, WebFormSubmission } from './lead.dto';

/** Per client IP; behind an ingress, the app trusts X-Forwarded-For (Fastify `trustProxy`). */
export const WEB_FORM_LIMIT = { limit: Number(process.env.WEB_FORM_RATE_LIMIT ?? 20), ttl: 60_000 };

/**
 * The public endpoint a website's forms post to. Spam-safe: a filled-in honeypot is accepted
 * and dropped, and every answer is the same 202, so a bot learns nothing; per-IP rate limit.
 */
@ApiTags('web forms')
@ApiProblems(400, 429)
@Controller('v1/web-forms')
@UseGuards(ThrottlerGuard)
export class WebFormController {
  private readonly logger = new Logger('web-forms');

  constructor(private readonly leads: LeadCommandsService) {}

  @Post(':formId/submissions')
  @HttpCode(202)
  @Throttle({ default: WEB_FORM_LIMIT })
  @ApiOperation({ summary: 'Submit a web form (urlencoded or JSON): captures a lead with its UTM fields, referrer and consent' })
  @ApiBody({ schema: openApiSchema(WebFormSubmission) })
  @ApiResponse({ status: 202, description: 'Received.' })
  async submit(
    @Ctx() ctx: RequestContext,
    @Param('formId', new ZodValidationPipe(FormIdParam)) formId: string,
    @Body(new ZodValidationPipe(WebFormSubmission)) form: WebFormSubmission,
    @Headers('referer') referer?: string,
  ) {
    if (form.website) {
      this.logger.warn(`form ${formId}: honeypot filled, submission dropped`);
    } else {
      await this.leads.captureFromWebForm({ ...ctx, actor: `web_form:${formId}` }, formId, form, referer);
    }
    return { status: 'received' };
  }
}
