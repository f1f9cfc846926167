import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { ContactIndexConsumer } from './application/contact-index.consumer';
import { LeadCommandsService } from './application/lead-commands.service';
import { LeadConversionConfirmationConsumer } from './application/lead-conversion-confirmation.consumer';
import { LeadController } from './http/lead.controller';
import { TouchpointController } from './http/touchpoint.controller';
import { WebFormController, WEB_FORM_LIMIT } from './http/web-form.controller';

@Module({
  imports: [ThrottlerModule.forRoot([{ name: 'default', ...WEB_FORM_LIMIT }])],
  controllers: [LeadController, WebFormController, TouchpointController],
  providers: [LeadCommandsService, LeadConversionConfirmationConsumer, ContactIndexConsumer],
  exports: [LeadCommandsService],
})
export class LeadModule {}
