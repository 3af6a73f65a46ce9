import { Module } from '@nestjs/common';
import { ChannelsController } from './channels.controller';
import { ChannelsService } from './channels.service';
import { ProviderUrlPolicy } from './provider-url.policy';

@Module({
  controllers: [ChannelsController],
  providers: [ChannelsService, ProviderUrlPolicy],
  exports: [ChannelsService, ProviderUrlPolicy],
})
export class ChannelsModule {}
