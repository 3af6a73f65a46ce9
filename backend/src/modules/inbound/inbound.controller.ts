import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../../common/auth/public.decorator';
import { Environment } from '../../config/environment';
import { GmailInboxSync } from './gmail-inbox-sync.service';
import { readGmailPush } from './gmail-push';
import { readInboundForm } from './inbound-form';
import { MailgunInboundService } from './mailgun-inbound.service';

/** Where inbound email arrives: authenticated by the provider's signature, never by API keys. */
@ApiExcludeController()
@Public()
@Controller('webhooks')
export class InboundController {
  constructor(
    private readonly mailgun: MailgunInboundService,
    private readonly gmail: GmailInboxSync,
    private readonly env: Environment,
  ) {}

  /** A Mailgun route's forward(): 200 once stored; 406 (replay) tells Mailgun not to retry. */
  @Post('mailgun/:channelId/inbound')
  @HttpCode(200)
  async mailgunInbound(@Param('channelId') channelId: string, @Req() req: Request) {
    const outcome = await this.mailgun.receive(channelId, await readInboundForm(req));
    return { ok: true, ...outcome };
  }

  /** Gmail push (users.watch through Pub/Sub): acknowledged at once, the named mailbox is synced in the background. */
  @Post('gmail/push/:token')
  @HttpCode(200)
  async gmailPush(@Param('token') token: string, @Body() body: unknown) {
    const { emailAddress } = readGmailPush(this.env.GMAIL_PUSH_TOKEN, token, body);
    return { ok: true, mailboxes: await this.gmail.syncAddress(emailAddress) };
  }
}
