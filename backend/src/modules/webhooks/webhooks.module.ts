import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels/channels.module';
import { WhatsappTemplatesModule } from '../whatsapp-templates/whatsapp-templates.module';
import { MessageEventRecorder } from './message-event.recorder';
import { ProviderWebhooksService } from './provider-webhooks.service';
import { WebhooksController } from './webhooks.controller';

@Module({
  imports: [ChannelsModule, WhatsappTemplatesModule],
  controllers: [WebhooksController],
  providers: [MessageEventRecorder, ProviderWebhooksService],
  exports: [MessageEventRecorder, ProviderWebhooksService],
})
export class WebhooksModule {}
