import { ApiProperty } from '@nestjs/swagger';
import { CursorPage } from '../../common/http/page.responses';

export class ConversionAttributionResponse {
  @ApiProperty({ format: 'uuid' }) campaignId: string;
  @ApiProperty({ format: 'uuid' }) messageId: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) stepId: string | null;
  @ApiProperty({ type: 'string', nullable: true }) channel: string | null;
  @ApiProperty({
    enum: ['engaged', 'delivered'],
    description: "engaged: the lead's message with the latest open, click or reply in the window; delivered: else its latest delivered one",
  })
  by: 'engaged' | 'delivered';
}

export class ConversionResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, description: 'Null once the lead is deleted' }) leadId: string | null;
  @ApiProperty() name: string;
  @ApiProperty({ example: '129.9', description: 'Decimal string, exact' }) value: string;
  @ApiProperty({ example: 'USD' }) currency: string;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
  @ApiProperty({
    type: ConversionAttributionResponse,
    nullable: true,
    description: 'The campaign message it is attributed to; null when the lead had none in the 30 days before',
  })
  attribution: ConversionAttributionResponse | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class ConversionPageResponse extends CursorPage {
  @ApiProperty({ type: [ConversionResponse] }) items: ConversionResponse[];
}
