import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { RawBodyRequest } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../../common/auth/public.decorator';
import { Environment } from '../../config/environment';
import { ProviderWebhooksService } from './provider-webhooks.service';
import { twilioCalledUrl, twilioFormParams } from './twilio-request';

/** Where providers report: authenticated by their signatures, never by API keys. */
@ApiExcludeController()
@Public()
@Controller('webhooks')
export class WebhooksController {
  constructor(
    private readonly webhooks: ProviderWebhooksService,
    private readonly env: Environment,
  ) {}

  private calledUrl(req: Request): string {
    return twilioCalledUrl(this.env, req);
  }

  @Post('mailgun/:channelId')
  @HttpCode(200)
  async mailgun(@Param('channelId') channelId: string, @Body() body: Record<string, unknown>) {
    await this.webhooks.mailgun(channelId, body);
    return { ok: true };
  }

  @Post('twilio/:channelId/status')
  @HttpCode(200)
  async twilioStatus(
    @Param('channelId') channelId: string,
    @Req() req: Request,
    @Headers('x-twilio-signature') signature: string | undefined,
    @Query('cadenceMessageId') messageId: string | undefined,
  ) {
    await this.webhooks.twilioStatus(channelId, this.calledUrl(req), twilioFormParams(req.body), signature, messageId);
    return { ok: true };
  }

  /** A call-now bridge's `<Dial action>`: the lead leg's outcome; the answer ends the agent's call. */
  @Post('twilio/:channelId/dial')
  async twilioDial(
    @Param('channelId') channelId: string,
    @Req() req: Request,
    @Headers('x-twilio-signature') signature: string | undefined,
    @Query('cadenceCallId') callId: string | undefined,
    @Res() res: Response,
  ) {
    await this.webhooks.twilioDial(channelId, this.calledUrl(req), twilioFormParams(req.body), signature, callId ?? '');
    res.status(200).type('text/xml').send('<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>');
  }

  /** The number's "A call comes in" URL: the caller hears the channel's greeting; the call becomes a missed-call callback request. */
  @Post('twilio/:channelId/voice')
  async twilioVoice(
    @Param('channelId') channelId: string,
    @Req() req: Request,
    @Headers('x-twilio-signature') signature: string | undefined,
    @Res() res: Response,
  ) {
    const twiml = await this.webhooks.twilioVoice(channelId, this.calledUrl(req), twilioFormParams(req.body), signature);
    res.status(200).type('text/xml').send(twiml);
  }

  @Post('twilio/:channelId/inbound')
  async twilioInbound(
    @Param('channelId') channelId: string,
    @Req() req: Request,
    @Headers('x-twilio-signature') signature: string | undefined,
    @Res() res: Response,
  ) {
    await this.webhooks.twilioInbound(channelId, this.calledUrl(req), twilioFormParams(req.body), signature);
    res.status(200).type('text/xml').send('<?xml version="1.0" encoding="UTF-8"?><Response/>');
  }

  @Get('whatsapp/:channelId')
  async whatsappVerify(@Param('channelId') channelId: string, @Query() query: Record<string, string>, @Res() res: Response) {
    res
      .status(200)
      .type('text/plain')
      .send(await this.webhooks.whatsappVerify(channelId, query));
  }

  @Post('whatsapp/:channelId')
  @HttpCode(200)
  async whatsapp(
    @Param('channelId') channelId: string,
    @Req() req: RawBodyRequest<Request>,
    @Headers('x-hub-signature-256') signature: string | undefined,
  ) {
    await this.webhooks.whatsapp(channelId, req.rawBody, signature, req.body as Record<string, unknown>);
    return { ok: true };
  }
}
