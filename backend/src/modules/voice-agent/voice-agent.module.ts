import { Module } from '@nestjs/common';
import { TrackingModule } from '../tracking/tracking.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { AgentOutcomeController } from './agent-outcome.controller';
import { AgentOutcomeService } from './agent-outcome.service';

/** The AI agent on a voice call: its outcome reports. */
@Module({
  imports: [TrackingModule, WebhooksModule],
  controllers: [AgentOutcomeController],
  providers: [AgentOutcomeService],
})
export class VoiceAgentModule {}
