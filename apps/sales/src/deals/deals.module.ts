import { Module } from '@nestjs/common';

/** Quotes, discount approvals, contracts/orders (DOMAIN.md §2). */
@Module({})
export class DealsModule {}
