import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { SUPPRESSION_CHANNELS, SUPPRESSION_REASONS, SuppressionChannel, SuppressionReason } from './suppression.entity';

export class SuppressionInputDto {
  @IsIn(SUPPRESSION_CHANNELS)
  channel: SuppressionChannel;

  /**
   * An email address, or a phone number in E.164 for sms / whatsapp / voice (normalized by the service).
   * @example "ada@example.com"
   */
  @IsString()
  @MaxLength(320)
  address: string;

  /** Defaults to `manual`. */
  @IsOptional()
  @IsIn(SUPPRESSION_REASONS)
  reason?: SuppressionReason;

  /**
   * Where the suppression comes from; defaults to `api`.
   * @example "crm_sync"
   */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  source?: string;
}
