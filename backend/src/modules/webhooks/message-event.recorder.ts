import type { MessageEventType } from '@cadence/contracts';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Environment } from '../../config/environment';
import { returning } from '../../database/returning';
import { advanceSequences } from '../messages/message-queue';
import { applyProviderEvent, PROVIDER_EVENTS, ProviderStatusEvent } from '../messages/message-status';
import { applyReplies } from './reply-effects';
import { recordCallNowEnds } from '../callbacks/callback-call-outcomes';
import { callbacksFromUnansweredCalls } from '../callbacks/callback-sources';
import { applyCallEnds, isCallEnd } from './call-ends';

export interface IncomingEvent {
  organizationId: string;
  /** Our message id when the provider echoes it back (Mailgun variables, callback URL). */
  messageId?: string | null;
  /** Otherwise the provider's id (Twilio SID, WhatsApp wamid, Mailgun Message-Id). */
  providerMessageId?: string | null;
  source: string;
  eventId: string;
  type: MessageEventType;
  occurredAt: Date;
  payload: Record<string, unknown>;
  error?: { code?: string; message?: string };
  /** Applied only if the event is new: a bounce, complaint, unsubscribe or STOP suppresses the address. */
  suppress?: { channel: string; address: string; reason: string; source: string };
  /** START: the person opted back in; only their own STOP is lifted. */
  unsuppress?: { channel: string; address: string };
  /** An inbound message: it belongs to the latest message this sender sent to that address. */
  replyFrom?: { channel: string; address: string; channelId: string };
}

const DRAIN_BATCH = 5000;
// Applying costs per statement more than per row: a short wait gathers callbacks into bigger batches.
const DRAIN_DELAY_MS = 250;
const GROUP_COMMIT_MS = 5;
const GROUP_COMMIT_MAX = 500;

type InboxRow = {
  organization_id: string;
  source: string;
  event_id: string;
  type: string;
  message_id: string | null;
  provider_message_id: string | null;
  occurred_at: Date;
  payload: Record<string, unknown>;
  error_code: string | null;
  error_message: string | null;
  suppress: IncomingEvent['suppress'] | null;
  unsuppress: IncomingEvent['unsuppress'] | null;
  reply_from: IncomingEvent['replyFrom'] | null;
};

/**
 * Records provider and tracking events once each (unique source + event id) and applies what they
 * mean (statuses, suppressions, replies), set-based. Webhooks go through the inbox: stored before the
 * provider's 200, applied in batches moments later; a duplicate, late or out-of-order delivery lands once.
 */
@Injectable()
export class MessageEventRecorder implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('MessageEvents');
  private drainTimer?: NodeJS.Timeout;
  private flushTimer?: NodeJS.Timeout;
  private readonly pending: Array<{ rows: InboxRow[]; resolve: () => void; reject: (error: unknown) => void }> = [];
  private draining?: Promise<void>;
  private sweep?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    private readonly env: Environment,
  ) {}

  /** Also picks up what another instance stored but did not get to apply before it stopped. */
  onApplicationBootstrap(): void {
    if (this.env.SCHEDULER_INTERVAL_MS > 0) {
      this.sweep = setInterval(
        () => void this.drain().catch((error: unknown) => this.logger.error(`applying webhook events failed: ${String(error)}`)),
        this.env.SCHEDULER_INTERVAL_MS,
      );
      this.sweep.unref();
    }
  }

  onApplicationShutdown(): void {
    clearTimeout(this.flushTimer);
    clearTimeout(this.drainTimer);
    clearInterval(this.sweep);
  }

  /**
   * Durably stores webhook events and schedules their application. Callbacks arriving within a few
   * milliseconds share one INSERT and one commit (group commit); each caller still answers its
   * provider only once its own events are stored.
   */
  enqueue(events: IncomingEvent[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ rows: events.map(toRow), resolve, reject });
      if (this.pending.reduce((n, p) => n + p.rows.length, 0) >= GROUP_COMMIT_MAX) void this.flush();
      else this.flushTimer ??= setTimeout(() => void this.flush(), GROUP_COMMIT_MS);
    });
  }

  private async flush(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const waiting = this.pending.splice(0);
    if (waiting.length === 0) return;
    try {
      await this.dataSource.query(
        `INSERT INTO webhook_inbox (organization_id, source, event_id, type, message_id, provider_message_id, occurred_at, payload, error_code, error_message, suppress, unsuppress, reply_from)
         SELECT organization_id, source, event_id, type, message_id, provider_message_id, occurred_at, payload, error_code, error_message, suppress, unsuppress, reply_from
           FROM json_to_recordset($1::json) AS e(organization_id uuid, source text, event_id text, type text, message_id uuid, provider_message_id text,
                occurred_at timestamptz, payload jsonb, error_code text, error_message text, suppress jsonb, unsuppress jsonb, reply_from jsonb)`,
        [JSON.stringify(waiting.flatMap((w) => w.rows))],
      );
      for (const w of waiting) w.resolve();
    } catch (error) {
      for (const w of waiting) w.reject(error);
      return;
    }
    this.drainTimer ??= setTimeout(() => {
      this.drainTimer = undefined;
      void this.drain().catch((error: unknown) => this.logger.error(`applying webhook events failed: ${String(error)}`));
    }, DRAIN_DELAY_MS);
  }

  /** Applies what the inbox holds, in batches; safe to call from several places and instances. */
  async drain(): Promise<void> {
    if (this.draining) return this.draining;
    this.draining = (async () => {
      for (;;) {
        const applied = await this.dataSource.transaction(async (m) => {
          const rows = await returning<InboxRow>(
            m,
            `DELETE FROM webhook_inbox WHERE id IN (SELECT id FROM webhook_inbox ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED) RETURNING *`,
            [DRAIN_BATCH],
          );
          if (rows.length) await this.apply(m, rows);
          return rows.length;
        });
        if (applied < DRAIN_BATCH) return;
      }
    })().finally(() => (this.draining = undefined));
    return this.draining;
  }

  /** Records one event now (tracking links): answers false for a duplicate. */
  async record(event: IncomingEvent): Promise<{ recorded: boolean; messageId: string | null }> {
    return this.dataSource.transaction(async (m) => (await this.apply(m, [toRow(event)]))[0]);
  }

  private async apply(m: EntityManager, rows: InboxRow[]): Promise<Array<{ recorded: boolean; messageId: string | null }>> {
    const messageIds = await this.resolveMessages(m, rows);
    const inserted: Array<{ id: string; organization_id: string; source: string; event_id: string }> = await m.query(
      `INSERT INTO message_events (organization_id, message_id, source, event_id, type, occurred_at, payload)
       SELECT DISTINCT ON (organization_id, source, event_id) organization_id, message_id, source, left(event_id, 500), type, occurred_at, payload
         FROM json_to_recordset($1::json) AS e(organization_id uuid, message_id uuid, source text, event_id text, type text, occurred_at timestamptz, payload jsonb)
       ON CONFLICT (organization_id, source, event_id) DO NOTHING
       RETURNING id, organization_id, source, event_id`,
      [
        JSON.stringify(
          rows.map((r, i) => ({
            organization_id: r.organization_id,
            message_id: messageIds[i],
            source: r.source,
            event_id: r.event_id,
            type: r.type,
            occurred_at: r.occurred_at,
            payload: r.payload,
          })),
        ),
      ],
    );
    const fresh = new Map(inserted.map((e) => [`${e.organization_id}\u0000${e.source}\u0000${e.event_id.slice(0, 500)}`, e.id]));
    // The stored event's id for each new row (the first of duplicates within the batch), undefined for a replay.
    const eventRowIds = rows.map((r) => {
      const k = `${r.organization_id}\u0000${r.source}\u0000${r.event_id.slice(0, 500)}`;
      const id = fresh.get(k);
      fresh.delete(k);
      return id;
    });
    const isNew = eventRowIds.map((id) => id !== undefined);

    // A call that ended frees its concurrency slot; an unanswered one may be queued again (voice retries) before it would fail.
    await applyCallEnds(
      m,
      rows.flatMap((r, i) =>
        isNew[i] && messageIds[i] && isCallEnd(r.source, r.provider_message_id, r.payload?.status)
          ? [{ id: messageIds[i], at: r.occurred_at, status: String(r.payload.status), pid: r.provider_message_id }]
          : [],
      ),
    );

    // Provider evidence may settle an ambiguous send, and statuses only move forward (the message machine's
    // provider moves); applied in this order: sent, delivered, failed.
    for (const type of Object.keys(PROVIDER_EVENTS) as ProviderStatusEvent[]) {
      const changes = rows
        .map((r, i) => ({ r, id: messageIds[i] }))
        .filter(({ r, id }, i) => isNew[i] && id && r.type === type)
        .map(({ r, id }) => ({
          id: id!,
          at: r.occurred_at,
          code: r.error_code,
          message: r.error_message?.slice(0, 1000) ?? null,
          pid: r.provider_message_id,
        }));
      if (changes.length === 0) continue;
      const changed = await applyProviderEvent(m, type, changes);
      // A message settled from `sending` by the provider frees the lead's next step.
      const byCampaign = new Map<string, Array<{ leadId: string | null; position: number }>>();
      for (const c of changed)
        byCampaign.set(c.campaign_id, [...(byCampaign.get(c.campaign_id) ?? []), { leadId: c.lead_id, position: c.position }]);
      for (const [campaignId, outcomes] of byCampaign) await advanceSequences(m, campaignId, outcomes);
    }

    // A voice call that ended unanswered may hand the lead to a person (campaign `onNoAnswer: 'callback'`).
    await callbacksFromUnansweredCalls(
      m,
      rows.flatMap((r, i) =>
        isNew[i] && messageIds[i] && r.type === 'failed' && r.source === 'twilio'
          ? [{ id: messageIds[i], status: String(r.payload?.status ?? '') }]
          : [],
      ),
    );

    // A call-now bridge's parent call ended: its attempt gets its outcome and an activity line.
    await recordCallNowEnds(
      m,
      rows.flatMap((r, i) =>
        isNew[i] && messageIds[i] && r.source === 'twilio' && (r.type === 'delivered' || r.type === 'failed') && r.payload?.status
          ? [{ messageId: messageIds[i], status: String(r.payload.status), duration: callSeconds(r.payload.duration) }]
          : [],
      ),
    );

    const suppress = rows
      .filter((r, i) => isNew[i] && r.suppress)
      .map((r) => ({ org: r.organization_id, ...r.suppress!, address: r.suppress!.address.toLowerCase() }));
    if (suppress.length) {
      await m.query(
        `INSERT INTO suppressions (organization_id, channel, address, reason, source)
         SELECT DISTINCT ON (org, channel, address) org, channel, address, reason, source
           FROM json_to_recordset($1::json) AS s(org uuid, channel text, address text, reason text, source text)
         ON CONFLICT (organization_id, channel, address) DO NOTHING`,
        [JSON.stringify(suppress)],
      );
    }
    const lift = rows.filter((r, i) => isNew[i] && r.unsuppress).map((r) => ({ org: r.organization_id, ...r.unsuppress! }));
    if (lift.length) {
      await m.query(
        `DELETE FROM suppressions s USING json_to_recordset($1::json) AS u(org uuid, channel text, address text)
          WHERE s.organization_id = u.org AND s.channel = u.channel AND s.address = u.address AND s.reason = 'stop'`,
        [JSON.stringify(lift)],
      );
    }
    await applyReplies(
      m,
      rows.flatMap((r, i) =>
        eventRowIds[i] && (r.type === 'replied' || r.type === 'auto_replied')
          ? [
              {
                eventRowId: eventRowIds[i],
                organizationId: r.organization_id,
                type: r.type,
                occurredAt: r.occurred_at,
                payload: r.payload,
                messageId: messageIds[i],
                replyFrom: r.reply_from ?? null,
              },
            ]
          : [],
      ),
    );
    return rows.map((_, i) => ({ recorded: isNew[i], messageId: messageIds[i] ?? null }));
  }

  /** Our message for each event: by the id it echoes, by the provider's id, or (replies) the latest sent to that address. */
  private async resolveMessages(m: EntityManager, rows: InboxRow[]): Promise<Array<string | null>> {
    const ids = [...new Set(rows.map((r) => r.message_id).filter((id): id is string => !!id))];
    const byId = new Map<string, string>();
    if (ids.length) {
      const found: Array<{ id: string; organization_id: string }> = await m.query(
        'SELECT id, organization_id FROM messages WHERE id = ANY($1::uuid[])',
        [ids],
      );
      for (const f of found) byId.set(f.id, f.organization_id);
    }
    const providerIds = [
      ...new Set(rows.filter((r) => r.provider_message_id && !(r.message_id && byId.has(r.message_id))).map((r) => r.provider_message_id!)),
    ];
    const byProvider = new Map<string, string>();
    if (providerIds.length) {
      const found: Array<{ id: string; organization_id: string; provider_message_id: string }> = await m.query(
        'SELECT id, organization_id, provider_message_id FROM messages WHERE provider_message_id = ANY($1::text[])',
        [providerIds],
      );
      for (const f of found) byProvider.set(`${f.organization_id}\u0000${f.provider_message_id}`, f.id);
    }
    const out: Array<string | null> = [];
    for (const r of rows) {
      if (r.message_id && byId.get(r.message_id) === r.organization_id) out.push(r.message_id);
      else if (r.provider_message_id && byProvider.has(`${r.organization_id}\u0000${r.provider_message_id}`))
        out.push(byProvider.get(`${r.organization_id}\u0000${r.provider_message_id}`)!);
      else if (r.reply_from) out.push(await this.lastMessageTo(m, r.organization_id, r.reply_from));
      else out.push(null);
    }
    return out;
  }

  private async lastMessageTo(m: EntityManager, organizationId: string, from: NonNullable<InboxRow['reply_from']>): Promise<string | null> {
    const [row]: Array<{ id: string }> = await m.query(
      `SELECT m.id FROM messages m JOIN campaigns c ON c.id = m.campaign_id JOIN campaign_steps s ON s.id = m.step_id
        WHERE m.organization_id = $1 AND m.channel = $2 AND m.to_address = $3 AND m.status IN ('sent', 'delivered', 'unknown')
          AND coalesce(s.sender_channel_id, c.sender_channel_id) = $4
        ORDER BY m.sent_at DESC NULLS LAST LIMIT 1`,
      [organizationId, from.channel, from.address, from.channelId],
    );
    return row?.id ?? null;
  }
}

function toRow(e: IncomingEvent): InboxRow {
  return {
    organization_id: e.organizationId,
    source: e.source,
    event_id: e.eventId,
    type: e.type,
    message_id: e.messageId && /^[0-9a-f-]{36}$/i.test(e.messageId) ? e.messageId : null,
    provider_message_id: e.providerMessageId ?? null,
    occurred_at: e.occurredAt,
    payload: e.payload,
    error_code: e.error?.code ?? null,
    error_message: e.error?.message ?? null,
    suppress: e.suppress ?? null,
    unsuppress: e.unsuppress ?? null,
    reply_from: e.replyFrom ?? null,
  };
}

/** Twilio's CallDuration (whole seconds), when the report carried one. */
const callSeconds = (value: unknown): number | null => (typeof value === 'string' && /^\d{1,7}$/.test(value) ? Number(value) : null);
