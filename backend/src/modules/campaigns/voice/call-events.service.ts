import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** One call's progress, as the campaign page's "calls in progress" panel shows it. */
export interface CallEvent {
  messageId: string;
  leadId: string | null;
  callSid: string;
  /** ringing, answered, completed, busy, no-answer, failed, canceled. */
  status: string;
  /** Completed calls: seconds of talk. */
  durationSeconds?: number;
  answeredBy?: string;
  at: string;
}

/** Twilio's CallStatus as the panel names it. */
const PANEL_STATUS: Record<string, string> = { 'in-progress': 'answered' };
const SHOWN = ['ringing', 'in-progress', 'completed', 'busy', 'no-answer', 'failed', 'canceled'];
/** Events committed late (a batch open during the previous poll, a loaded machine) are still picked up: the window looks back this far. */
const LOOKBACK_MS = 30_000;

/**
 * Per-call live events for a campaign's SSE stream, read from the Twilio status events the webhooks
 * stored. Each reader keeps its own cursor and the ids it already sent within the look-back window.
 */
@Injectable()
export class CallEventsService {
  constructor(private readonly dataSource: DataSource) {}

  reader(organizationId: string, campaignId: string): () => Promise<CallEvent[]> {
    let since = new Date(Date.now() - LOOKBACK_MS);
    // Event id → when it was stored, for the events already sent that the look-back still sees.
    const sent = new Map<string, number>();
    return async () => {
      const rows: Array<{
        id: string;
        message_id: string;
        lead_id: string | null;
        event_id: string;
        payload: Record<string, unknown>;
        created_at: Date;
      }> = await this.dataSource.query(
        `SELECT e.id, e.message_id, ms.lead_id, e.event_id, e.payload, e.created_at
             FROM messages ms JOIN message_events e ON e.message_id = ms.id
            WHERE ms.organization_id = $1 AND ms.campaign_id = $2 AND ms.channel = 'voice'
              AND e.source = 'twilio' AND e.created_at > $3 AND e.payload ->> 'status' = ANY($4::text[])
              AND NOT (e.id = ANY($5::uuid[]))
            ORDER BY e.created_at, e.id LIMIT 1000`,
        // The ones already sent are left out in the query, so a busy look-back never fills the page with them.
        [organizationId, campaignId, new Date(since.getTime() - LOOKBACK_MS), SHOWN, [...sent.keys()]],
      );
      const fresh = rows.filter((r) => !sent.has(r.id));
      for (const r of fresh) sent.set(r.id, new Date(r.created_at).getTime());
      if (rows.length) since = new Date(Math.max(since.getTime(), new Date(rows.at(-1)!.created_at).getTime()));
      for (const [id, at] of sent) if (at < since.getTime() - LOOKBACK_MS * 2) sent.delete(id);
      return fresh.map((r) => {
        const status = String(r.payload.status);
        const duration = Number(r.payload.duration);
        return {
          messageId: r.message_id,
          leadId: r.lead_id,
          callSid: r.event_id.split(':')[0],
          status: PANEL_STATUS[status] ?? status,
          ...(status === 'completed' && Number.isFinite(duration) && { durationSeconds: duration }),
          ...(typeof r.payload.answeredBy === 'string' && { answeredBy: r.payload.answeredBy }),
          at: new Date(r.created_at).toISOString(),
        };
      });
    };
  }
}
