import { Module } from '@nestjs/common';
import { OpportunityActivityConsumer } from './application/opportunity-activity.consumer';
import { OpportunityCommandsService } from './application/opportunity-commands.service';
import { OpportunityFromLeadConsumer } from './application/opportunity-from-lead.consumer';
import { PipelineService } from './application/pipeline.service';
import { SalesConfigService } from './application/sales-config.service';
import { StalledDealService } from './application/stalled-deal.service';
import { OpportunityController } from './http/opportunity.controller';
import { PipelineController } from './http/pipeline.controller';
import { SalesSettingsController } from './http/sales-settings.controller';
import { SalesTargetController } from './http/sales-target.controller';
import { SalesTeamController } from './http/sales-team.controller';

/** Pipelines, sales settings, teams, targets, opportunities, stalled deals (DOMAIN.md §2). */
@Module({
  controllers: [PipelineController, SalesSettingsController, SalesTeamController, SalesTargetController, OpportunityController],
  providers: [PipelineService, SalesConfigService, OpportunityCommandsService, StalledDealService, OpportunityFromLeadConsumer, OpportunityActivityConsumer],
  exports: [OpportunityCommandsService, PipelineService, SalesConfigService],
})
export class PipelineModule {}
