import { AGENT_OUTCOMES, type AgentOutcome } from '@cadence/contracts';
import { IsIn, IsObject, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** What the AI agent reports when a conversation ends (posted to the call's `outcomeUrl`). */
export class AgentOutcomeDto {
  @IsIn(AGENT_OUTCOMES) outcome: AgentOutcome;
  /** A sentence about the conversation, shown with the outcome and as the callback's reason. */
  @IsOptional() @IsString() @MaxLength(2000) summary?: string;
  /** Twilio's CallSid of the conversation: one outcome per call. */
  @IsOptional() @Matches(/^CA[0-9a-fA-F]{32}$/, { message: 'callSid must look like CA followed by 32 hex digits' }) callSid?: string;
  /** The stream parameters, echoed back by the agent; not used (the URL's token says which message it is). */
  @IsOptional() @IsObject() parameters?: Record<string, unknown>;
}
