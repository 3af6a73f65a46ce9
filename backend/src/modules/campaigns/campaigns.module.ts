import { Module } from '@nestjs/common';
import { DispatchModule } from '../dispatch/dispatch.module';
import { CampaignLaunchService } from './campaign-launch.service';
import { CampaignsController } from './campaigns.controller';
import { CampaignsService } from './campaigns.service';

@Module({
  imports: [DispatchModule],
  controllers: [CampaignsController],
  providers: [CampaignsService, CampaignLaunchService],
  exports: [CampaignsService],
})
export class CampaignsModule {}
