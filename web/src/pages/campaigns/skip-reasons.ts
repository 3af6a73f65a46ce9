import type { SkipReason } from '@cadence/contracts';

/** Why a message was not sent, in words; typed by the contract's list so a new reason needs its words here. */
const SKIP_REASON_WORDS: Record<SkipReason, string> = {
  missing_address: 'no address for the channel',
  suppressed: 'suppressed (unsubscribed, bounced, STOP…)',
  no_consent: 'no consent for the channel',
  condition_not_met: "the step's condition did not hold",
  missing_variable: 'a template variable had no value',
  token_revoked: 'the mailbox needs re-authorization',
  cancelled: 'the campaign was cancelled',
  lead_deleted: 'the lead was deleted',
  sender_unavailable: 'the sender was unavailable',
  replied: 'the lead replied',
  exited: 'a leaving event ended the enrollment',
  frequency_capped: "the lead reached the campaign's frequency cap",
};

/** "Skipped: exited (a leaving event ended the enrollment)": the code stays visible for support and search. */
export function skippedText(reason: string): string {
  const words = (SKIP_REASON_WORDS as Record<string, string>)[reason];
  return words ? `Skipped: ${reason} (${words})` : `Skipped: ${reason}`;
}
