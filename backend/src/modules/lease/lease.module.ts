import { Module } from '@nestjs/common';
import { DeliverabilityModule } from '../deliverability/deliverability.module';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { ChannelsModule } from '../channels/channels.module';
import { TrackingModule } from '../tracking/tracking.module';
import { DueCursors } from './due-cursor';
import { InternalApiController } from './internal-api.controller';
import { InternalTokenGuard } from './internal-token.guard';
import { LeaseService } from './lease.service';
import { LeaseTurns } from './lease-turn';
import { ReportService } from './report.service';
import { SenderResolver } from './sender-resolver';

/** n8n's side of the engine (`/internal/v1`): lease a batch, mark it sending, report results, hand off. */
@Module({
  imports: [ChannelsModule, TrackingModule, CampaignsModule, DeliverabilityModule],
  controllers: [InternalApiController],
  providers: [
    { provide: DueCursors, useValue: new DueCursors() },
    { provide: LeaseTurns, useValue: new LeaseTurns() },
    LeaseService,
    ReportService,
    SenderResolver,
    InternalTokenGuard,
  ],
})
export class LeaseModule {}
