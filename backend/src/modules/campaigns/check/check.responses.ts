import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TEMPLATE_CHANNELS, TemplateChannel } from '../../templates/template.entity';
import { SkipCountsResponse } from '../campaigns.responses';

/** One finding of the pre-launch check. */
export class CheckFindingResponse {
  /** Stable: `mailbox_not_connected`, `mailbox_scope_missing`, `channel_test_failed`, `channel_untested`, `sender_missing`, `sender_paused`, `whatsapp_template_not_approved`, `whatsapp_template_parameters_mismatch`, `nothing_to_send`, `missing_variable`, `skipped_<reason>`, `twilio_queue_validity`, `eta_unknown`. */
  code: string;

  /** `blocking` findings make launch refuse with `campaign_check_failed`. */
  @ApiProperty({ enum: ['blocking', 'warning'] })
  severity: 'blocking' | 'warning';

  message: string;

  /** The step (0-based) it is about. */
  @ApiPropertyOptional({ type: 'integer', minimum: 0 })
  step?: number;

  /** The sender it is about: `channel:<id>` or `email_account:<id>`. */
  sender?: string;

  /** How many messages (or leads, for a missing variable) it concerns. */
  @ApiPropertyOptional({ type: 'integer', minimum: 0 })
  count?: number;
}

export class MissingVariableResponse {
  /** As the template writes it, e.g. `lead.first_name`. */
  variable: string;

  /** Leads the step will send to whose value is blank: each is skipped (`missing_variable`). */
  @ApiProperty({ type: 'integer', minimum: 0 })
  leads: number;
}

export class CheckStepResponse {
  @ApiProperty({ type: 'integer', minimum: 0 })
  position: number;

  @ApiProperty({ enum: TEMPLATE_CHANNELS })
  channel: TemplateChannel;

  /** The step's sender (`channel:<id>` or `email_account:<id>`), null when it has none. */
  @ApiProperty({ type: 'string', nullable: true })
  sender: string | null;

  /** Messages that pass consent, suppression and address checks. */
  @ApiProperty({ type: 'integer', minimum: 0 })
  eligible: number;

  skipped: SkipCountsResponse;

  missingVariables: MissingVariableResponse[];
}

export class CheckEtaSenderResponse {
  sender: string;
  /** The channel's name or the mailbox's address. */
  label: string;
  /** Messages of this campaign it sends. */
  @ApiProperty({ type: 'integer', minimum: 0 })
  messages: number;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  lastMessageAt: string | null;
}

export class CheckEtaResponse {
  /** `settings.startAt` if later, else now. */
  @ApiProperty({ format: 'date-time' })
  startAt: string;

  /** When the last message goes out: rates, daily and warm-up caps, send windows in the recipients' zones, step delays, other campaigns on the same senders. */
  @ApiProperty({ format: 'date-time' })
  lastMessageAt: string;

  @ApiProperty({ type: 'integer', minimum: 0 })
  seconds: number;

  senders: CheckEtaSenderResponse[];
}

/** `POST /campaigns/{id}/check`: what launch would refuse, what it would skip, and when it would end. */
export class CampaignCheckResponse {
  /** True when nothing blocks the launch. */
  ok: boolean;

  blocking: CheckFindingResponse[];

  warnings: CheckFindingResponse[];

  /** Leads in the audience (0 for a triggered campaign). */
  @ApiProperty({ type: 'integer', minimum: 0 })
  leads: number;

  steps: CheckStepResponse[];

  /** Null for a triggered campaign, a step without sender, or a schedule that does not end within 400 days. */
  @ApiProperty({ type: CheckEtaResponse, nullable: true })
  eta: CheckEtaResponse | null;
}
