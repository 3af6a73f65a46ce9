import type { EntityManager } from 'typeorm';
import { returning } from '../../database/returning';
import { logActivity } from './callback-creation';
import type { CallbackCallResponse, CallOutcome } from './callback-calls.responses';

/** A `callback_calls` row as the outcome functions read it. */
export interface CallRow {
  id: string;
  organization_id: string;
  callback_request_id: string;
  agent_user_id: string | null;
  agent_phone: string;
  lead_phone: string;
  message_id: string | null;
  status: 'calling' | 'ended';
  agent_status: string | null;
  dial_status: string | null;
  lead_duration_seconds: number | null;
  duration_seconds: number | null;
  created_at: Date;
  ended_at: Date | null;
  activity_id: string | null;
}

/** Twilio's `canceled` (a call ended before it was answered) counts as failed for the person reading the log. */
const asOutcome = (status: string): CallOutcome =>
  status === 'completed' || status === 'busy' || status === 'no-answer' ? status : 'failed';

/**
 * The attempt as the web page and the activity log show it. The agent's leg decides first (if the agent
 * did not answer, the lead was never dialled); then the `<Dial>` outcome is the lead's.
 */
export function presentCall(c: CallRow): CallbackCallResponse {
  const agentAnswered = c.agent_status === null ? (c.dial_status === null ? null : true) : c.agent_status === 'completed';
  const leadAnswered = c.dial_status === null ? null : c.dial_status === 'completed';
  const outcome =
    agentAnswered === false
      ? asOutcome(c.agent_status!)
      : c.dial_status !== null
        ? asOutcome(c.dial_status)
        : c.status === 'ended'
          ? 'completed'
          : null;
  return {
    id: c.id,
    status: c.status,
    agentUserId: c.agent_user_id,
    agentPhone: c.agent_phone,
    leadPhone: c.lead_phone,
    messageId: c.message_id,
    outcome,
    agentAnswered,
    leadAnswered,
    leadDurationSeconds: c.lead_duration_seconds,
    durationSeconds: c.duration_seconds,
    startedAt: c.created_at,
    endedAt: c.ended_at,
  };
}

function describe(c: CallRow): { summary: string; details: Record<string, unknown> } {
  const p = presentCall(c);
  const summary =
    p.agentAnswered === false
      ? `Call now: the agent's phone ${c.agent_phone} did not answer (${c.agent_status})`
      : p.leadAnswered
        ? `Call now: connected with the lead ${c.lead_phone} for ${c.lead_duration_seconds ?? 0} s`
        : p.leadAnswered === false
          ? `Call now: the agent answered; the lead ${c.lead_phone} did not (${c.dial_status})`
          : `Call now: the agent answered; the lead leg was not reported`;
  return {
    summary,
    details: {
      callId: c.id,
      messageId: c.message_id,
      outcome: p.outcome,
      agentAnswered: p.agentAnswered,
      leadAnswered: p.leadAnswered,
      agentStatus: c.agent_status,
      dialStatus: c.dial_status,
      leadDurationSeconds: c.lead_duration_seconds,
      durationSeconds: c.duration_seconds,
    },
  };
}

const seconds = (value: string | undefined): number | null => (value !== undefined && /^\d{1,7}$/.test(value) ? Number(value) : null);

/**
 * Twilio's `<Dial action>` request: the lead leg's outcome (DialCallStatus, DialCallDuration, DialCallSid).
 * Scoped to the channel that signed it; a replay writes the same values again. If the attempt line was
 * already written (the parent call's report came first), it is brought up to date.
 */
export async function recordDialOutcome(
  m: EntityManager,
  organizationId: string,
  channelId: string,
  callId: string,
  params: Record<string, string>,
): Promise<boolean> {
  const status = (params.DialCallStatus ?? '').toLowerCase();
  if (!/^[0-9a-f-]{36}$/i.test(callId) || !status) return false;
  const rows = await returning<CallRow>(
    m,
    `UPDATE callback_calls SET dial_status = $4, dial_call_sid = $5, lead_duration_seconds = $6, updated_at = clock_timestamp()
      WHERE id = $1 AND organization_id = $2 AND channel_id = $3 RETURNING *`,
    [callId, organizationId, channelId, status, params.DialCallSid ?? null, seconds(params.DialCallDuration) ?? 0],
  );
  const call = rows[0];
  if (!call) return false;
  if (call.activity_id) {
    const { summary, details } = describe(call);
    await m.query('UPDATE callback_activities SET summary = $2, details = $3 WHERE id = $1', [
      call.activity_id,
      summary,
      JSON.stringify(details),
    ]);
  }
  return true;
}

/**
 * Parent calls of "call now" attempts that reached a final status (from the message events recorder):
 * each attempt ends once, with an `attempt` line in its request's activity log.
 */
export async function recordCallNowEnds(
  m: EntityManager,
  ends: Array<{ messageId: string; status: string; duration: number | null }>,
): Promise<void> {
  if (ends.length === 0) return;
  const rows = await returning<CallRow>(
    m,
    `UPDATE callback_calls c SET status = 'ended', agent_status = v.status, duration_seconds = v.duration,
            ended_at = clock_timestamp(), updated_at = clock_timestamp()
       FROM json_to_recordset($1::json) AS v("messageId" uuid, status text, duration integer)
      WHERE c.message_id = v."messageId" AND c.status = 'calling'
     RETURNING c.*`,
    [JSON.stringify(ends)],
  );
  for (const call of rows) {
    const { summary, details } = describe(call);
    await logActivity(m, call.organization_id, call.callback_request_id, {
      kind: 'attempt',
      actorUserId: call.agent_user_id,
      actorLabel: 'system',
      summary,
      details,
    });
    await m.query(
      `UPDATE callback_calls SET activity_id = (SELECT id FROM callback_activities
          WHERE callback_request_id = $2 AND kind = 'attempt' AND details ->> 'callId' = $1::text ORDER BY created_at DESC LIMIT 1)
        WHERE id = $1`,
      [call.id, call.callback_request_id],
    );
  }
}
