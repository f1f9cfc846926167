import { Module } from '@nestjs/common';

/** Pipelines, sales settings, teams, targets, opportunities, stalled deals (DOMAIN.md §2). */
@Module({})
export class PipelineModule {}
