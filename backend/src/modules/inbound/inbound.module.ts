import { Module } from '@nestjs/common';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { GmailInboxSync } from './gmail-inbox-sync.service';
import { InboundController } from './inbound.controller';
import { MailgunInboundService } from './mailgun-inbound.service';

/** Replies, automatic answers and bounces that come back to our senders, told apart and matched to our messages. */
@Module({
  imports: [WebhooksModule],
  controllers: [InboundController],
  providers: [MailgunInboundService, GmailInboxSync],
  exports: [GmailInboxSync],
})
export class InboundModule {}
