import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels/channels.module';
import { AiDraftingService } from './ai-drafting.service';
import { AiSettingsController, TemplateDraftController } from './ai-drafting.controller';
import { AiSettingsService } from './ai-settings.service';

/** AI template drafting: the organization's OpenAI-compatible provider (Settings) and `POST /templates/draft`. */
@Module({
  imports: [ChannelsModule],
  controllers: [TemplateDraftController, AiSettingsController],
  providers: [AiSettingsService, AiDraftingService],
})
export class AiDraftingModule {}
