import { Module } from '@nestjs/common';
import { AccountCommandsService } from './application/account-commands.service';
import { ContactCommandsService } from './application/contact-commands.service';
import { ContactRecaptureConsumer } from './application/contact-recapture.consumer';
import { LeadConversionConsumer } from './application/lead-conversion.consumer';
import { LeadConversionService } from './application/lead-conversion.service';
import { MatchKeyIndex } from './application/match-key-index';
import { AccountController } from './http/account.controller';
import { ContactController } from './http/contact.controller';

/** Accounts, contacts, matching, merge, lead conversion (DOMAIN.md §2). */
@Module({
  controllers: [AccountController, ContactController],
  providers: [MatchKeyIndex, AccountCommandsService, ContactCommandsService, LeadConversionService, LeadConversionConsumer, ContactRecaptureConsumer],
})
export class CustomersModule {}
