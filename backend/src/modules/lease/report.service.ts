import type { ResultInput } from '@cadence/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { hashRequest, IdempotencyService } from '../../common/idempotency/idempotency.service';
import { Environment } from '../../config/environment';
import { advanceSequences, completeIfDone } from '../messages/message-queue';
import { refundUsage } from '../quota/quota-ledger';
import { LeaseService } from './lease.service';
import { returning } from '../../database/returning';

/** n8n's side of a message's life after the lease: the point of no return, then its outcome. */
@Injectable()
export class ReportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly env: Environment,
    private readonly leases: LeaseService,
    private readonly idempotency: IdempotencyService,
  ) {}

  /**
   * Marks messages as handed to the provider. Only those still leased by this lease, in an active
   * campaign, are accepted; a lease that expired has been requeued and must not be sent.
   */
  async markSending(runId: string, leaseId: string, messageIds: string[]) {
    const run = await this.leases.findRun(runId);
    return this.dataSource.transaction(async (m) => {
      const [campaign]: Array<{ status: string }> = await m.query('SELECT status FROM campaigns WHERE id = $1', [run.campaignId]);
      const accepted =
        campaign?.status === 'active'
          ? await returning<{ id: string }>(
              m,
              `UPDATE messages SET status = 'sending', lease_expires_at = clock_timestamp() + make_interval(secs => $4)
                WHERE campaign_id = $1 AND lease_id = $2 AND id = ANY($3::uuid[])
                  AND status = 'leased' AND lease_expires_at > clock_timestamp()
                RETURNING id`,
              [run.campaignId, leaseId, messageIds, this.env.LEASE_TTL_SECONDS],
            )
          : [];
      const acceptedIds = new Set(accepted.map((a) => a.id));
      const others = messageIds.filter((id) => !acceptedIds.has(id));
      let reason: 'cancelled' | 'paused' | 'not_leased' = 'not_leased';
      if (others.length && campaign?.status === 'cancelled') {
        reason = 'cancelled';
        const outcomes = await returning<{ lead_id: string | null; position: number }>(
          m,
          `UPDATE messages SET status = 'skipped', skip_reason = 'cancelled', lease_expires_at = NULL
            WHERE campaign_id = $1 AND lease_id = $2 AND id = ANY($3::uuid[]) AND status = 'leased' RETURNING lead_id, position`,
          [run.campaignId, leaseId, others],
        );
        await advanceSequences(m, run.campaignId, outcomes.map((o) => ({ leadId: o.lead_id, position: o.position })));
      } else if (others.length && campaign?.status === 'paused') {
        reason = 'paused';
        await m.query(
          `UPDATE messages SET status = 'queued', lease_id = NULL, run_id = NULL, lease_expires_at = NULL
            WHERE campaign_id = $1 AND lease_id = $2 AND id = ANY($3::uuid[]) AND status = 'leased'`,
          [run.campaignId, leaseId, others],
        );
      }
      return { accepted: [...acceptedIds], rejected: others.map((messageId) => ({ messageId, reason })) };
    });
  }

  /** `results` as ResultsRequestSchema parsed them (clipped, clamped: see @cadence/contracts). */
  async report(runId: string, leaseId: string, results: ResultInput[], idempotencyKey: string | undefined) {
    const run = await this.leases.findRun(runId);
    const key = idempotencyKey ?? `${leaseId}:${hashRequest(results.map((r) => r.messageId))}`;
    const stored = await this.idempotency.run(run.organizationId, `results:${runId}`, key, hashRequest({ leaseId, results }), async (m) => {
      const applied = await returning<{ id: string; lead_id: string | null; position: number; status: string; step_id: string }>(
        m,
        `UPDATE messages m SET
            status = CASE WHEN r.outcome = 'deferred' THEN 'queued' ELSE r.outcome END,
            skip_reason = CASE WHEN r.outcome = 'skipped' THEN coalesce(r.reason, 'missing_variable') END,
            provider_message_id = coalesce(r.provider_message_id, m.provider_message_id),
            error_code = r.error_code,
            error_message = r.error_message,
            sent_at = CASE WHEN r.outcome = 'sent' THEN coalesce(r.sent_at, clock_timestamp()) ELSE m.sent_at END,
            due_at = CASE WHEN r.outcome = 'deferred' THEN clock_timestamp() + make_interval(secs => coalesce(r.retry_after_ms, 1000) / 1000.0) ELSE m.due_at END,
            lease_id = CASE WHEN r.outcome = 'deferred' THEN NULL ELSE m.lease_id END,
            run_id = CASE WHEN r.outcome = 'deferred' THEN NULL ELSE m.run_id END,
            lease_expires_at = NULL
          FROM jsonb_to_recordset($3::jsonb) AS r(message_id uuid, outcome text, provider_message_id text, error_code text,
                                                   error_message text, retry_after_ms int, reason text, sent_at timestamptz)
         WHERE m.id = r.message_id AND m.campaign_id = $1 AND m.lease_id = $2
           AND (m.status IN ('leased', 'sending')
                -- a late report may still settle what lease expiry had to call unknown
                OR (m.status = 'unknown' AND m.error_code = 'lease_expired' AND r.outcome IN ('sent', 'failed')))
        RETURNING m.id, m.lead_id, m.position, m.status, m.step_id`,
        [run.campaignId, leaseId, JSON.stringify(results.map((r) => ({
          message_id: r.messageId,
          outcome: r.outcome,
          provider_message_id: r.providerMessageId ?? null,
          error_code: r.errorCode ?? null,
          error_message: r.errorMessage ?? null,
          retry_after_ms: r.retryAfterMs ?? null,
          reason: r.reason ?? null,
          sent_at: r.sentAt ?? null,
        })))],
      );
      // A provider callback may have settled the message before this report: still record the provider's id.
      const appliedIds = new Set(applied.map((a) => a.id));
      const settledBefore = results.filter((r) => r.providerMessageId && !appliedIds.has(r.messageId));
      if (settledBefore.length) {
        await m.query(
          `UPDATE messages m SET provider_message_id = r.provider_message_id
             FROM jsonb_to_recordset($3::jsonb) AS r(message_id uuid, provider_message_id text)
            WHERE m.id = r.message_id AND m.campaign_id = $1 AND m.lease_id = $2
              AND m.provider_message_id IS NULL AND r.provider_message_id IS NOT NULL`,
          [run.campaignId, leaseId, JSON.stringify(settledBefore.map((r) => ({ message_id: r.messageId, provider_message_id: r.providerMessageId })))],
        );
      }
      const settled = applied.filter((a) => a.status !== 'queued');
      await advanceSequences(m, run.campaignId, settled.map((a) => ({ leadId: a.lead_id, position: a.position })));
      const deferredSteps = applied.filter((a) => a.status === 'queued').map((a) => a.step_id);
      if (deferredSteps.length > 0) {
        // Deferred messages were never accepted: their slots of the daily cap are given back.
        const senders: Array<{ key: string; n: string }> = await m.query(
          `SELECT CASE WHEN s.sender_channel_id IS NOT NULL THEN 'channel:' || s.sender_channel_id
                       WHEN s.sender_email_account_id IS NOT NULL THEN 'email_account:' || s.sender_email_account_id
                       WHEN c.sender_channel_id IS NOT NULL THEN 'channel:' || c.sender_channel_id
                       ELSE 'email_account:' || c.sender_email_account_id END AS key, count(*) AS n
             FROM unnest($1::uuid[]) AS d(step_id) JOIN campaign_steps s ON s.id = d.step_id JOIN campaigns c ON c.id = s.campaign_id
            GROUP BY 1`,
          [deferredSteps],
        );
        for (const sender of senders) await refundUsage(m, [sender.key, `campaign:${run.campaignId}`], Number(sender.n));
      }
      await completeIfDone(m, run.campaignId);
      return { statusCode: 200, body: { applied: applied.length, ignored: results.length - applied.length } };
    });
    return stored.body;
  }
}
