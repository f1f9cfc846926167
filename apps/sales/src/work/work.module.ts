import { Module } from '@nestjs/common';

/** Activities and tasks with reminders (DOMAIN.md §2). */
@Module({})
export class WorkModule {}
