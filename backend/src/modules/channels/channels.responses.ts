import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CursorPage } from '../../common/http/page.responses';
import { CHANNEL_TYPES, ChannelStatus, ChannelType } from './channel-connection.entity';

/**
 * The addresses of this backend to paste at the provider (channel-webhook-urls.ts): which keys are present
 * depends on the channel type.
 */
export class ChannelWebhookUrlsResponse {
  @ApiPropertyOptional({
    format: 'uri',
    description:
      'Twilio: the number\'s "A message comes in" webhook (replies, STOP). Mailgun: the target of a receiving route\'s forward() (replies, out-of-office answers, bounces)',
  })
  inbound?: string;

  @ApiPropertyOptional({
    format: 'uri',
    description: 'Twilio only: the status callback (sent with every message Cadence sends; paste it for messages sent elsewhere)',
  })
  status?: string;

  @ApiPropertyOptional({
    format: 'uri',
    description:
      'Twilio only: the number\'s "A call comes in" webhook (the caller hears a greeting; the missed call becomes a callback request)',
  })
  voice?: string;

  @ApiPropertyOptional({ format: 'uri', description: 'Mailgun only: the URL for every event webhook of the domain' })
  events?: string;

  @ApiPropertyOptional({
    format: 'uri',
    description: "WhatsApp only: the Cloud API's callback URL (verified with the channel's verifyToken)",
  })
  callback?: string;
}

/** A channel connection; its secrets are never answered, only hints to tell them apart. */
export class ChannelResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: CHANNEL_TYPES })
  type: ChannelType;

  name: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The provider settings of `type` with their defaults (MailgunConfig, TwilioConfig or WhatsappConfig)',
  })
  config: Record<string, unknown>;

  @ApiProperty({
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'boolean' }] },
    description: 'Each stored secret as a hint (`…` and its last 4 characters); `{"unreadable": true}` when they cannot be decrypted',
    example: { apiKey: '…3f9a' },
  })
  secrets: Record<string, string> | { unreadable: true };

  @ApiProperty({ enum: ['untested', 'connected', 'error'] })
  status: ChannelStatus;

  lastTestedAt: Date | null;

  /** What the last failed test said. */
  lastError: string | null;

  /** Where the provider must send delivery events and replies: Twilio `inbound`, `status` and `voice`, Mailgun `events`, WhatsApp `callback`. */
  webhookUrls: ChannelWebhookUrlsResponse;

  createdAt: Date;

  updatedAt: Date;
}

export class ChannelPageResponse extends CursorPage {
  items: ChannelResponse[];
}

/** The outcome of a read-only call to the provider: 200 whether or not it worked. */
export class ChannelTestResponse {
  ok: boolean;

  @ApiPropertyOptional({ enum: ['invalid_credentials', 'not_found', 'unreachable', 'provider_error'], description: 'Why it failed' })
  code?: 'invalid_credentials' | 'not_found' | 'unreachable' | 'provider_error';

  message: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'What the provider says about the sender, e.g. the Mailgun domain state or the WhatsApp display number',
  })
  details?: Record<string, unknown>;
}

/** Creating the Mailgun receiving route: 200 whether or not Mailgun accepted it. */
export class ChannelInboundRouteResponse {
  ok: boolean;

  @ApiPropertyOptional({ enum: ['invalid_credentials', 'unreachable', 'provider_error', 'no_reply_address'], description: 'Why it failed' })
  code?: 'invalid_credentials' | 'unreachable' | 'provider_error' | 'no_reply_address';

  message: string;

  /** Mailgun's id of the route. */
  routeId?: string;

  /** @example "match_recipient(\"^team@mg\\.example\\.com$\")" */
  expression?: string;

  /** false when a route forwarding to this channel already existed. */
  created?: boolean;
}
