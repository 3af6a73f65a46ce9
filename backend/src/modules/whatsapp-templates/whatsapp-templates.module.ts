import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels/channels.module';
import { WhatsappTemplateSyncPoller } from './whatsapp-template-sync.poller';
import { WhatsappTemplatesController } from './whatsapp-templates.controller';
import { WhatsappTemplatesService } from './whatsapp-templates.service';

@Module({
  imports: [ChannelsModule],
  controllers: [WhatsappTemplatesController],
  providers: [WhatsappTemplatesService, WhatsappTemplateSyncPoller],
  exports: [WhatsappTemplatesService],
})
export class WhatsappTemplatesModule {}
