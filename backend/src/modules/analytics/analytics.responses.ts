import { ApiProperty } from '@nestjs/swagger';
import type { CountKey, RATE_KEYS } from './analytics-metrics';

const COUNT = { type: 'integer', minimum: 0 } as const;
const RATE = {
  type: 'number',
  nullable: true,
  minimum: 0,
  description: 'Over delivered messages (0 to 1); null while none is delivered',
} as const;

/**
 * Counts over messages and their events. Unique ones count a message once however many events it has
 * (`opened`, `clicked`, `replied`, `unsubscribed`, `complained`, `read`, `bounced`, `answered`); machine opens
 * and clicks (see the description of the analytics endpoints) are only in `machineOpened` / `machineClicked`.
 */
export class AnalyticsCountsResponse implements Record<CountKey, number> {
  @ApiProperty({ ...COUNT, description: 'Messages handed to the provider (each once, when it was sent)' }) sent: number;
  @ApiProperty({ ...COUNT, description: 'Messages the provider reported delivered' }) delivered: number;
  @ApiProperty({ ...COUNT, description: 'Messages that failed (now)' }) failed: number;
  @ApiProperty({ ...COUNT, description: 'Messages whose outcome is unknown (now)' }) unknown: number;
  @ApiProperty({ ...COUNT, description: 'Messages skipped, all reasons' }) skipped: number;
  @ApiProperty({ ...COUNT, description: 'Messages opened by a person (unique)' }) opened: number;
  @ApiProperty({ ...COUNT, description: 'Messages with a link clicked by a person (unique)' }) clicked: number;
  @ApiProperty({ ...COUNT, description: 'Messages answered by a person (unique; auto-replies are not counted)' }) replied: number;
  @ApiProperty({ ...COUNT, description: 'Messages whose recipient unsubscribed (unique)' }) unsubscribed: number;
  @ApiProperty({ ...COUNT, description: 'Emails that failed permanently (unique)' }) bounced: number;
  @ApiProperty({ ...COUNT, description: 'Messages reported as spam (unique)' }) complained: number;
  @ApiProperty({ ...COUNT, description: 'WhatsApp messages read (unique)' }) read: number;
  @ApiProperty({ ...COUNT, description: 'Voice calls answered: completed (unique)' }) answered: number;
  @ApiProperty({ ...COUNT, description: 'Messages opened by a machine (Apple Mail Privacy Protection, scanners), not in opened' })
  machineOpened: number;
  @ApiProperty({ ...COUNT, description: 'Messages with a link fetched by a machine (security scanners), not in clicked' })
  machineClicked: number;
  @ApiProperty({ ...COUNT, description: 'Conversions attributed to these messages' }) conversions: number;
}

export class AnalyticsRatesResponse implements Record<(typeof RATE_KEYS)[number], number | null> {
  @ApiProperty(RATE) open: number | null;
  @ApiProperty(RATE) click: number | null;
  @ApiProperty(RATE) reply: number | null;
  @ApiProperty(RATE) bounce: number | null;
  @ApiProperty(RATE) unsubscribe: number | null;
  @ApiProperty(RATE) complaint: number | null;
  @ApiProperty(RATE) conversion: number | null;
}

export class AnalyticsBreakdownResponse extends AnalyticsCountsResponse {
  @ApiProperty({ type: AnalyticsRatesResponse })
  rates: AnalyticsRatesResponse;
}

export class StepAnalyticsResponse extends AnalyticsBreakdownResponse {
  @ApiProperty({ format: 'uuid' }) stepId: string;
  @ApiProperty({ type: 'integer', minimum: 0 }) position: number;
  @ApiProperty() channel: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) templateId: string | null;
}

export class ChannelAnalyticsResponse extends AnalyticsBreakdownResponse {
  @ApiProperty({ enum: ['email', 'sms', 'whatsapp', 'voice'] }) channel: string;
}

export class TemplateAnalyticsResponse extends AnalyticsBreakdownResponse {
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, description: 'The variant: the template its steps send' }) templateId:
    string | null;
  @ApiProperty({ type: 'string', nullable: true }) templateName: string | null;
}

export class CampaignAnalyticsItemResponse extends AnalyticsBreakdownResponse {
  @ApiProperty({ format: 'uuid' }) campaignId: string;
  @ApiProperty() name: string;
}

export class RevenueResponse {
  @ApiProperty({ example: 'USD', description: 'ISO 4217' }) currency: string;
  @ApiProperty({ example: '1249.5', description: 'Decimal string, exact' }) amount: string;
}

export class SeriesPointResponse extends AnalyticsCountsResponse {
  @ApiProperty({ format: 'date-time', description: 'Start of the bucket (UTC); buckets without any count are left out' })
  at: string;
}

const SKIPPED = {
  type: 'object',
  additionalProperties: { type: 'integer', minimum: 0 },
  description: 'Skipped messages per reason',
  example: { suppressed: 3, missing_address: 1 },
} as const;

export class CampaignAnalyticsResponse {
  @ApiProperty({ format: 'uuid' }) campaignId: string;
  @ApiProperty({ enum: ['hour', 'day'] }) bucket: 'hour' | 'day';
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Leads enrolled at launch' }) audienceSize: number;
  @ApiProperty({ type: AnalyticsCountsResponse }) totals: AnalyticsCountsResponse;
  @ApiProperty({ type: AnalyticsRatesResponse }) rates: AnalyticsRatesResponse;
  @ApiProperty(SKIPPED) skippedByReason: Record<string, number>;
  @ApiProperty({ type: [RevenueResponse], description: 'Revenue of the attributed conversions, per currency' }) revenue: RevenueResponse[];
  @ApiProperty({ type: [StepAnalyticsResponse] }) steps: StepAnalyticsResponse[];
  @ApiProperty({ type: [ChannelAnalyticsResponse] }) channels: ChannelAnalyticsResponse[];
  @ApiProperty({ type: [TemplateAnalyticsResponse] }) templates: TemplateAnalyticsResponse[];
  @ApiProperty({ type: [SeriesPointResponse] }) series: SeriesPointResponse[];
}

export class OrganizationAnalyticsResponse {
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty({ format: 'date-time' }) to: string;
  @ApiProperty({ enum: ['hour', 'day'] }) bucket: 'hour' | 'day';
  @ApiProperty({ type: AnalyticsCountsResponse }) totals: AnalyticsCountsResponse;
  @ApiProperty({ type: AnalyticsRatesResponse }) rates: AnalyticsRatesResponse;
  @ApiProperty(SKIPPED) skippedByReason: Record<string, number>;
  @ApiProperty({ type: [RevenueResponse] }) revenue: RevenueResponse[];
  @ApiProperty({ type: [CampaignAnalyticsItemResponse], description: 'Campaigns with any count in the range, most sent first' })
  campaigns: CampaignAnalyticsItemResponse[];
  @ApiProperty({ type: [ChannelAnalyticsResponse] }) channels: ChannelAnalyticsResponse[];
  @ApiProperty({ type: [SeriesPointResponse] }) series: SeriesPointResponse[];
}
