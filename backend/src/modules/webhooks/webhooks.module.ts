import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels/channels.module';
import { MessageEventRecorder } from './message-event.recorder';
import { ProviderWebhooksService } from './provider-webhooks.service';
import { WebhooksController } from './webhooks.controller';

@Module({
  imports: [ChannelsModule],
  controllers: [WebhooksController],
  providers: [MessageEventRecorder, ProviderWebhooksService],
  exports: [MessageEventRecorder, ProviderWebhooksService],
})
export class WebhooksModule {}
