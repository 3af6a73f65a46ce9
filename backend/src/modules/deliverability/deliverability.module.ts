import { Module } from '@nestjs/common';
import { DeliverabilityGuard } from './deliverability-guard.service';
import { ChannelGuardController, EmailAccountGuardController } from './guard.controller';

/** The deliverability guard: pauses a sender whose bounce, complaint or rejection rate crosses its threshold. */
@Module({
  controllers: [ChannelGuardController, EmailAccountGuardController],
  providers: [DeliverabilityGuard],
  exports: [DeliverabilityGuard],
})
export class DeliverabilityModule {}
