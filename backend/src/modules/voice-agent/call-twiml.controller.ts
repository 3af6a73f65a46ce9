import { Controller, Headers, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../../common/auth/public.decorator';
import { Environment } from '../../config/environment';
import { twilioCalledUrl, twilioFormParams } from '../webhooks/twilio-request';
import { CallTwimlService } from './call-twiml.service';

/** A call placed with answering-machine detection asks here what to play: authenticated by Twilio's signature. */
@ApiExcludeController()
@Public()
@Controller('webhooks/twilio')
export class CallTwimlController {
  constructor(
    private readonly twiml: CallTwimlService,
    private readonly env: Environment,
  ) {}

  @Post(':channelId/call')
  async answer(
    @Param('channelId') channelId: string,
    @Req() req: Request,
    @Headers('x-twilio-signature') signature: string | undefined,
    @Query('cadenceMessageId') messageId: string | undefined,
    @Res() res: Response,
  ) {
    const twiml = await this.twiml.forAnswer(channelId, twilioCalledUrl(this.env, req), twilioFormParams(req.body), signature, messageId);
    res.status(200).type('text/xml').send(twiml);
  }
}
