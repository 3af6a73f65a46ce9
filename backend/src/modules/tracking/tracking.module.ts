import { Module } from '@nestjs/common';
import { SuppressionsModule } from '../suppressions/suppressions.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { TrackingController } from './tracking.controller';
import { TrackingService } from './tracking.service';
import { TrackingTokens } from './tracking-tokens';

/** Opens, clicks and unsubscribes: the signed message tokens the lease hands out and the public routes that read them. */
@Module({
  imports: [SuppressionsModule, WebhooksModule],
  controllers: [TrackingController],
  providers: [TrackingService, TrackingTokens],
  exports: [TrackingTokens],
})
export class TrackingModule {}
