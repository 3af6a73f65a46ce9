import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { returning } from '../../database/returning';
import { advanceSequences } from '../dispatch/message-queue';
import { SuppressionChannel, SuppressionReason } from '../suppressions/suppression.entity';

export interface IncomingEvent {
  organizationId: string;
  /** Our message id when the provider echoes it back (Mailgun variables, callback URL). */
  messageId?: string | null;
  /** Otherwise the provider's id (Twilio SID, WhatsApp wamid, Mailgun Message-Id). */
  providerMessageId?: string | null;
  source: string;
  eventId: string;
  type: string;
  occurredAt: Date;
  payload: Record<string, unknown>;
  error?: { code?: string; message?: string };
}

/** Provider evidence may settle an ambiguous send, and statuses only move forward. */
const STATUS_FROM_EVENT: Record<string, { to: string; from: string[] }> = {
  sent: { to: 'sent', from: ['unknown', 'sending'] },
  delivered: { to: 'delivered', from: ['sent', 'unknown', 'sending'] },
  failed: { to: 'failed', from: ['sent', 'unknown', 'sending'] },
};

/**
 * Records provider and tracking events once each (unique source + event id), and applies what they
 * mean: status changes, suppressions, replies. A webhook delivered twice, late or out of order lands once.
 */
@Injectable()
export class MessageEventRecorder {
  constructor(private readonly dataSource: DataSource) {}

  /** Answers false when the event was already recorded (a duplicate delivery). */
  async record(event: IncomingEvent): Promise<{ recorded: boolean; messageId: string | null }> {
    return this.dataSource.transaction(async (m) => {
      const messageId = await this.findMessage(m, event);
      const inserted = await m.query(
        `INSERT INTO message_events (organization_id, message_id, source, event_id, type, occurred_at, payload)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (source, event_id) DO NOTHING RETURNING id`,
        [event.organizationId, messageId, event.source, event.eventId.slice(0, 500), event.type, event.occurredAt, JSON.stringify(event.payload)],
      );
      if (inserted.length === 0) return { recorded: false, messageId };
      const rule = STATUS_FROM_EVENT[event.type];
      if (messageId && rule) {
        const changed = await returning<{ campaign_id: string; lead_id: string | null; position: number; was: string }>(
          m,
          `UPDATE messages SET status = $2,
                  delivered_at = CASE WHEN $2 = 'delivered' THEN $3::timestamptz ELSE delivered_at END,
                  sent_at = coalesce(sent_at, CASE WHEN $2 IN ('sent', 'delivered') THEN $3::timestamptz END),
                  error_code = CASE WHEN $2 = 'failed' THEN $5 ELSE error_code END,
                  error_message = CASE WHEN $2 = 'failed' THEN $6 ELSE error_message END,
                  lease_expires_at = NULL
            WHERE id = $1 AND status = ANY($4::text[])
            RETURNING campaign_id, lead_id, position`,
          [messageId, rule.to, event.occurredAt, rule.from, event.error?.code ?? null, event.error?.message?.slice(0, 1000) ?? null],
        );
        // A message settled from `sending` by the provider frees the lead's next step.
        for (const c of changed) await advanceSequences(m, c.campaign_id, [{ leadId: c.lead_id, position: c.position }]);
      }
      return { recorded: true, messageId };
    });
  }

  async suppress(organizationId: string, channel: SuppressionChannel, address: string, reason: SuppressionReason, source: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO suppressions (organization_id, channel, address, reason, source) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (organization_id, channel, address) DO NOTHING`,
      [organizationId, channel, address.toLowerCase(), reason, source],
    );
  }

  /** START / UNSTOP: the person opted back in on that channel; only their own STOP is lifted. */
  async unsuppress(organizationId: string, channel: SuppressionChannel, address: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM suppressions WHERE organization_id = $1 AND channel = $2 AND address = $3 AND reason = 'stop'`, [organizationId, channel, address]);
  }

  /** The latest message this sender sent to an address: where an inbound reply belongs. */
  async lastMessageTo(organizationId: string, channel: string, address: string, senderKey: { channelId?: string }): Promise<string | null> {
    const [row]: Array<{ id: string }> = await this.dataSource.query(
      `SELECT m.id FROM messages m JOIN campaigns c ON c.id = m.campaign_id JOIN campaign_steps s ON s.id = m.step_id
        WHERE m.organization_id = $1 AND m.channel = $2 AND m.to_address = $3 AND m.status IN ('sent', 'delivered', 'unknown')
          AND coalesce(s.sender_channel_id, c.sender_channel_id) = $4
        ORDER BY m.sent_at DESC NULLS LAST LIMIT 1`,
      [organizationId, channel, address, senderKey.channelId ?? null],
    );
    return row?.id ?? null;
  }

  private async findMessage(m: EntityManager, event: IncomingEvent): Promise<string | null> {
    if (event.messageId && /^[0-9a-f-]{36}$/i.test(event.messageId)) {
      const [row] = await m.query('SELECT id FROM messages WHERE id = $1 AND organization_id = $2', [event.messageId, event.organizationId]);
      if (row) return row.id;
    }
    if (event.providerMessageId) {
      const [row] = await m.query('SELECT id FROM messages WHERE provider_message_id = $1 AND organization_id = $2 LIMIT 1', [event.providerMessageId, event.organizationId]);
      if (row) return row.id;
    }
    return null;
  }
}
