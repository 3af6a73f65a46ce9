import { Module } from '@nestjs/common';
import { TrackingModule } from '../tracking/tracking.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { AgentOutcomeController } from './agent-outcome.controller';
import { AgentOutcomeService } from './agent-outcome.service';
import { CallTwimlController } from './call-twiml.controller';
import { CallTwimlService } from './call-twiml.service';

/** What a campaign's call plays once answered (answering-machine detection) and what its AI agent reports. */
@Module({
  imports: [TrackingModule, WebhooksModule],
  controllers: [AgentOutcomeController, CallTwimlController],
  providers: [AgentOutcomeService, CallTwimlService],
})
export class VoiceAgentModule {}
