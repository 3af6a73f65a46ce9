import { EntityManager } from 'typeorm';
import { reopenCampaign } from '../campaigns/campaign-status';
import { redialCalls } from '../messages/message-status';
import { FINAL_CALL_STATUSES, releaseCallSlots } from '../quota/call-slots';

/** Ended calls the campaign may place again: nobody answered, or the call never connected. */
export const REDIAL_CALL_STATUSES = ['busy', 'no-answer', 'failed'];

export interface CallEnd {
  /** Our message. */
  id: string;
  at: Date;
  /** Twilio's final CallStatus. */
  status: string;
  /** The call's SID. */
  pid: string | null;
}

/** A Twilio status event that ends a call (call SIDs start with CA; message SIDs with SM or MM). */
export function isCallEnd(source: string, providerMessageId: string | null, status: unknown): boolean {
  return source === 'twilio' && !!providerMessageId?.startsWith('CA') && FINAL_CALL_STATUSES.includes(String(status));
}

/**
 * What a call's final status callback does before the message's status moves: the call's concurrency
 * slot is free, and a busy / unanswered / never-connected call of a campaign with retries left is queued
 * again (its try kept in message_attempts) instead of failing.
 */
export async function applyCallEnds(m: EntityManager, ends: CallEnd[]): Promise<void> {
  if (ends.length === 0) return;
  await releaseCallSlots(
    m,
    ends.map((e) => e.id),
  );
  const redialled = await redialCalls(
    m,
    ends.filter((e) => REDIAL_CALL_STATUSES.includes(e.status)),
  );
  for (const campaignId of redialled.campaignIds) await reopenCampaign(m, campaignId);
}
