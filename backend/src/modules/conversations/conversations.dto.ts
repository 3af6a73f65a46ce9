import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateIf } from 'class-validator';
import { CONVERSATION_STATUSES, type ConversationStatus } from './conversation-status';

export class UpdateConversationDto {
  /** open: needs an answer; waiting: we answered; closed: done. */
  @IsOptional()
  @IsIn(CONVERSATION_STATUSES)
  status?: ConversationStatus;

  /** A member of the organization, or null to unassign. */
  @ApiPropertyOptional({ type: 'string', format: 'uuid', nullable: true })
  @ValidateIf((_, v) => v !== null)
  @IsOptional()
  @IsUUID()
  assigneeId?: string | null;
}

export class ReplyDto {
  /** The answer, sent as it is (no template variables). @example "Thanks, Tuesday at 10 works." */
  @IsString()
  @Matches(/\S/, { message: 'text must not be blank' })
  @MaxLength(10_000)
  text: string;

  /** Email only; defaults to "Re: " and the subject of the lead's latest email. */
  @IsOptional()
  @IsString()
  @MaxLength(500)
  subject?: string;
}
