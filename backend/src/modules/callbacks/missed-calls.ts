import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { createCallback } from './callback-creation';

const DEFAULT_GREETING = 'Thank you for calling. Nobody can take your call right now; we will call you back as soon as we can.';
const E164 = /^\+[1-9]\d{6,14}$/;
const XML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const escapeXml = (text: string) => text.replace(/[&<>"']/g, (c) => XML[c]);

/** A stable id per Twilio CallSid: a replayed webhook of the same call finds what the first one made. */
export function missedCallSourceId(callSid: string): string {
  const h = createHash('sha256').update(`missed-call:${callSid}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * An inbound call to one of the organization's Twilio numbers. Nobody answers calls in Cadence, so each is
 * a missed call: it becomes a callback request (source `missed_call`) for the lead with the caller's
 * number, or a new lead made from the number. Once per call (the CallSid); a caller who already has an
 * open request gets that one, with the new call in its activity. Answers the TwiML the caller hears.
 */
export async function missedCall(
  m: EntityManager,
  channel: { id: string; organizationId: string; config: Record<string, unknown> },
  params: Record<string, string>,
): Promise<string> {
  const from = (params.From ?? '').trim();
  const callSid = params.CallSid ?? '';
  if (E164.test(from) && callSid) {
    const sourceId = missedCallSourceId(callSid);
    const [seen] = await m.query<unknown[]>(
      `SELECT 1 FROM callback_requests WHERE organization_id = $1 AND source = 'missed_call' AND source_message_id = $2
       UNION ALL
       SELECT 1 FROM callback_activities WHERE organization_id = $1 AND kind = 'duplicate' AND details ->> 'sourceMessageId' = $2::text
       LIMIT 1`,
      [channel.organizationId, sourceId],
    );
    if (!seen) {
      // The caller's lead, or a new one: a person who called has asked to be called back on this number.
      await m.query(
        `INSERT INTO leads (organization_id, phone) VALUES ($1, $2)
         ON CONFLICT (organization_id, phone) WHERE phone IS NOT NULL DO NOTHING`,
        [channel.organizationId, from],
      );
      const [lead]: Array<{ id: string }> = await m.query('SELECT id FROM leads WHERE organization_id = $1 AND phone = $2', [
        channel.organizationId,
        from,
      ]);
      await createCallback(m, {
        organizationId: channel.organizationId,
        leadId: lead.id,
        channel: 'voice',
        address: from,
        reason: `Called ${params.To ?? 'our number'} and nobody answered`,
        source: 'missed_call',
        sourceMessageId: sourceId,
        actorUserId: null,
        actorLabel: 'system',
      });
    }
  }
  const greeting = typeof channel.config.missedCallGreeting === 'string' ? channel.config.missedCallGreeting : DEFAULT_GREETING;
  const voicemail = channel.config.missedCallVoicemail === true ? '<Record maxLength="120" playBeep="true"/>' : '';
  return `<?xml version="1.0" encoding="UTF-8"?><Response><Say>${escapeXml(greeting)}</Say>${voicemail}<Hangup/></Response>`;
}
