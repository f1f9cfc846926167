import { Module } from '@nestjs/common';

/** Accounts, contacts, matching, merge, lead conversion (DOMAIN.md §2). */
@Module({})
export class CustomersModule {}
