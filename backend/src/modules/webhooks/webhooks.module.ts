import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels/channels.module';
import { DispatchModule } from '../dispatch/dispatch.module';
import { SuppressionsModule } from '../suppressions/suppressions.module';
import { TrackingController } from '../tracking/tracking.controller';
import { TrackingService } from '../tracking/tracking.service';
import { MessageEventRecorder } from './message-event.recorder';
import { ProviderWebhooksService } from './provider-webhooks.service';
import { WebhooksController } from './webhooks.controller';

@Module({
  imports: [ChannelsModule, DispatchModule, SuppressionsModule],
  controllers: [WebhooksController, TrackingController],
  providers: [MessageEventRecorder, ProviderWebhooksService, TrackingService],
  exports: [MessageEventRecorder],
})
export class WebhooksModule {}
