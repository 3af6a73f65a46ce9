import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { OutboxModule } from '../outbox/outbox.module';
import { MaterializerService } from './materializer.service';
import { SchedulerService } from './scheduler.service';

/** What is due and when: audience materialization, runs per campaign, lease expiry, sequence timing. */
@Module({
  imports: [OutboxModule, CampaignsModule],
  providers: [SchedulerService, MaterializerService],
  exports: [SchedulerService],
})
export class SchedulingModule {}
