import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module';
import { CampaignLaunchService } from './campaign-launch.service';
import { CampaignProgressService } from './campaign-progress.service';
import { CampaignReviewService } from './campaign-review.service';
import { CampaignsController } from './campaigns.controller';
import { CampaignsService } from './campaigns.service';

@Module({
  imports: [OutboxModule],
  controllers: [CampaignsController],
  providers: [CampaignsService, CampaignLaunchService, CampaignProgressService, CampaignReviewService],
  exports: [CampaignsService, CampaignProgressService],
})
export class CampaignsModule {}
