import { ApiProperty } from '@nestjs/swagger';
import { CursorPage } from '../../common/http/page.responses';
import { TEMPLATE_CHANNELS, TemplateChannel } from './template.entity';
import { VoiceTemplateSpecDto, WhatsappTemplateSpecDto } from './templates.dto';

/** A stored template; the fields its channel does not use are null. */
export class TemplateResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  name: string;

  @ApiProperty({ enum: TEMPLATE_CHANNELS })
  channel: TemplateChannel;

  subject: string | null;

  html: string | null;

  text: string | null;

  body: string | null;

  @ApiProperty({ type: WhatsappTemplateSpecDto, nullable: true })
  whatsapp: WhatsappTemplateSpecDto | null;

  @ApiProperty({ type: VoiceTemplateSpecDto, nullable: true })
  voice: VoiceTemplateSpecDto | null;

  createdAt: Date;

  updatedAt: Date;
}

export class TemplatePageResponse extends CursorPage {
  items: TemplateResponse[];
}

/** What the message would be for that lead, rendered by @cadence/render as the n8n nodes render it. */
export class TemplatePreviewResponse {
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The lead data rendered against' })
  lead: Record<string, unknown>;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    required: ['status', 'channel'],
    properties: {
      status: { type: 'string', enum: ['rendered', 'skipped'] },
      channel: { type: 'string', enum: [...TEMPLATE_CHANNELS] },
    },
    description: 'Per channel: email `subject`, `html`, `text`, `headers`; sms `body` and segments; whatsapp components; voice TwiML',
  })
  result: Record<string, unknown>;
}
