import { ApiProperty } from '@nestjs/swagger';

export const CALL_OUTCOMES = ['completed', 'busy', 'no-answer', 'failed'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** A "call now" attempt: the agent's leg, then the bridged lead's (callback-call-outcomes.ts). */
export class CallbackCallResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: ['calling', 'ended'] })
  status: 'calling' | 'ended';

  @ApiProperty({ type: 'string', format: 'uuid', nullable: true })
  agentUserId: string | null;

  /** Rung first. */
  agentPhone: string;

  /** Dialled once the agent answered, from the channel's number. */
  leadPhone: string;

  @ApiProperty({ type: 'string', format: 'uuid', nullable: true })
  messageId: string | null;

  /**
   * completed (the lead answered), or why not: busy, no-answer, failed (the agent's leg when the agent
   * did not answer, else the lead's). Null while calling.
   */
  @ApiProperty({ type: 'string', enum: CALL_OUTCOMES, nullable: true })
  outcome: CallOutcome | null;

  @ApiProperty({ type: 'boolean', nullable: true })
  agentAnswered: boolean | null;

  /** Null until Twilio reported the lead leg (or when the agent never answered). */
  @ApiProperty({ type: 'boolean', nullable: true })
  leadAnswered: boolean | null;

  /** How long the lead was connected (DialCallDuration). */
  @ApiProperty({ type: 'integer', nullable: true })
  leadDurationSeconds: number | null;

  /** The whole call, from the agent answering (CallDuration). */
  @ApiProperty({ type: 'integer', nullable: true })
  durationSeconds: number | null;

  startedAt: Date;

  endedAt: Date | null;
}
