import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module';
import { CampaignLaunchService } from './campaign-launch.service';
import { CampaignRetryService } from './campaign-retry.service';
import { CampaignProgressService } from './campaign-progress.service';
import { CampaignReviewService } from './campaign-review.service';
import { CampaignsController } from './campaigns.controller';
import { CampaignsService } from './campaigns.service';
import { CampaignExportService } from './report/campaign-export.service';
import { CampaignReportController } from './report/campaign-report.controller';
import { CampaignStepCountsService } from './report/campaign-step-counts.service';
import { CampaignTimelineService } from './report/campaign-timeline.service';
import { MessageEventsService } from './report/message-events.service';
import { CallEventsService } from './voice/call-events.service';
import { VoiceStatsController } from './voice/voice-stats.controller';
import { VoiceStatsService } from './voice/voice-stats.service';

@Module({
  imports: [OutboxModule],
  controllers: [CampaignsController, CampaignReportController, VoiceStatsController],
  providers: [
    CampaignsService,
    CampaignLaunchService,
    CampaignRetryService,
    CampaignProgressService,
    CampaignReviewService,
    CampaignTimelineService,
    CampaignStepCountsService,
    MessageEventsService,
    CampaignExportService,
    VoiceStatsService,
    CallEventsService,
  ],
  exports: [CampaignsService, CampaignProgressService],
})
export class CampaignsModule {}
