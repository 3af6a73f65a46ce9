import { Module } from '@nestjs/common';
import { IdempotencyService } from '../../common/idempotency/idempotency.service';
import { CampaignProgressService } from '../campaigns/campaign-progress.service';
import { ChannelsModule } from '../channels/channels.module';
import { N8nTriggerClient } from '../outbox/n8n-trigger.client';
import { OutboxDispatcher } from '../outbox/outbox.dispatcher';
import { InternalApiController } from './internal-api.controller';
import { InternalTokenGuard } from './internal-token.guard';
import { LeaseService } from './lease.service';
import { MaterializerService } from './materializer.service';
import { ReportService } from './report.service';
import { SchedulerService } from './scheduler.service';
import { SenderResolver } from './sender-resolver';
import { TrackingTokens } from './tracking-tokens';

@Module({
  imports: [ChannelsModule],
  controllers: [InternalApiController],
  providers: [
    LeaseService,
    ReportService,
    SenderResolver,
    TrackingTokens,
    MaterializerService,
    SchedulerService,
    OutboxDispatcher,
    N8nTriggerClient,
    InternalTokenGuard,
    IdempotencyService,
    CampaignProgressService,
  ],
  exports: [SchedulerService, TrackingTokens, IdempotencyService, CampaignProgressService, OutboxDispatcher],
})
export class DispatchModule {}
