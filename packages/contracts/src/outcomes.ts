import * as z from 'zod/mini';

/** What n8n reports for a message it leased (docs/internal-api.md, "Outcomes"). */
export const OUTCOMES = ['sent', 'failed', 'deferred', 'unknown', 'skipped'] as const;
export const OutcomeSchema = z.enum(OUTCOMES);

/**
 * Deferred codes that prove the message was never handed to the provider in that lease (its slot passed,
 * the lease was ending, no quota slot): the lease does not count as an attempt (`messages.attempts`).
 */
export const NOT_ATTEMPTED_CODES = ['slot_missed', 'lease_ending', 'no_grant'] as const;
export type Outcome = z.infer<typeof OutcomeSchema>;

/** Why a message was not sent: set by the backend at lease time, or reported by n8n with `skipped`. */
export const SKIP_REASONS = [
  'missing_address',
  'suppressed',
  'no_consent',
  'condition_not_met',
  'missing_variable',
  'token_revoked',
  'cancelled',
  'lead_deleted',
  'sender_unavailable',
  /** The lead replied (to this campaign or, by its `stopOnReply` setting, to another): its remaining steps stop. */
  'replied',
  /** A triggered campaign's leaving event (e.g. `purchase`) ended the lead's enrollment: its remaining steps stop. */
  'exited',
  /** The campaign's frequency cap: the lead already got that many messages on the channel, from any campaign, in the period. */
  'frequency_capped',
] as const;
export const SkipReasonSchema = z.enum(SKIP_REASONS);
export type SkipReason = z.infer<typeof SkipReasonSchema>;
