import { Module } from '@nestjs/common';
import { LeadsModule } from '../leads/leads.module';
import { OutboxModule } from '../outbox/outbox.module';
import { CampaignFromCsvService } from './from-csv/campaign-from-csv.service';
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
import { VariantResultsService } from './variants/variant-results.service';
import { VariantsController } from './variants/variants.controller';

@Module({
  imports: [OutboxModule, LeadsModule],
  controllers: [CampaignsController, CampaignReportController, VoiceStatsController, VariantsController],
  providers: [
    CampaignsService,
    CampaignFromCsvService,
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
    VariantResultsService,
  ],
  exports: [CampaignsService, CampaignProgressService],
})
export class CampaignsModule {}
