import { LIBRARY_CATEGORIES, type LibraryCategory } from '@cadence/contracts';
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

  /** The library category it is saved under; null when it is not in the library. */
  @ApiProperty({ enum: LIBRARY_CATEGORIES, nullable: true })
  libraryCategory: LibraryCategory | null;

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

/** A library entry: a built-in starter (`starter-…` id) or one of the organization's templates saved to the library. */
export class LibraryTemplateResponse {
  @ApiProperty({ description: 'A starter slug (starter-…) or the saved template id (uuid)' })
  id: string;

  @ApiProperty({ enum: ['starter', 'organization'] })
  source: 'starter' | 'organization';

  name: string;

  @ApiProperty({ enum: TEMPLATE_CHANNELS })
  channel: TemplateChannel;

  @ApiProperty({ enum: LIBRARY_CATEGORIES })
  category: LibraryCategory;

  /** What it is for and what it expects; null for the organization's own entries. */
  description: string | null;

  subject: string | null;

  html: string | null;

  text: string | null;

  body: string | null;

  @ApiProperty({ type: WhatsappTemplateSpecDto, nullable: true })
  whatsapp: WhatsappTemplateSpecDto | null;

  @ApiProperty({ type: VoiceTemplateSpecDto, nullable: true })
  voice: VoiceTemplateSpecDto | null;

  /** When the organization's entry last changed; null for starters. */
  updatedAt: Date | null;
}

export class LibraryTemplateListResponse {
  items: LibraryTemplateResponse[];
}
