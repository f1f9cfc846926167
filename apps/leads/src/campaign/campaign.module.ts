import { Module } from '@nestjs/common';
import { CampaignCommandsService } from './application/campaign-commands.service';
import { CampaignController } from './http/campaign.controller';

@Module({
  controllers: [CampaignController],
  providers: [CampaignCommandsService],
})
export class CampaignModule {}
