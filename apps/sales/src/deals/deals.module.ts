import { Module } from '@nestjs/common';
import { ContractCommandsService } from './application/contract-commands.service';
import { QuoteCommandsService } from './application/quote-commands.service';
import { ContractController } from './http/contract.controller';
import { QuoteController } from './http/quote.controller';

/** Quotes, discount approvals, contracts/orders (DOMAIN.md §2). */
@Module({
  controllers: [QuoteController, ContractController],
  providers: [QuoteCommandsService, ContractCommandsService],
})
export class DealsModule {}
