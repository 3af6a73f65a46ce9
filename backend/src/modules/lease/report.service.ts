import type { ResultInput } from '@cadence/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { hashRequest, IdempotencyService } from '../../common/idempotency/idempotency.service';
import { advanceSequences } from '../messages/message-queue';
import * as MessageMachine from '../messages/message-status';
import { completeIfDone } from '../campaigns/campaign-status';
import { refundUsage } from '../quota/quota-ledger';
import { releaseCallSlots } from '../quota/call-slots';
import { LeaseService } from './lease.service';

/** n8n's side of a message's life after the lease: the point of no return, then its outcome. */
@Injectable()
export class ReportService {
  constructor(
    private readonly dataSource: DataSource,
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
      const accepted = campaign?.status === 'active' ? await MessageMachine.markSending(m, run.campaignId, leaseId, messageIds) : [];
      const acceptedIds = new Set(accepted);
      const others = messageIds.filter((id) => !acceptedIds.has(id));
      let reason: 'cancelled' | 'paused' | 'not_leased' = 'not_leased';
      if (others.length && campaign?.status === 'cancelled') {
        reason = 'cancelled';
        const outcomes = await MessageMachine.dropLeased(m, run.campaignId, leaseId, others);
        await advanceSequences(
          m,
          run.campaignId,
          outcomes.map((o) => ({ leadId: o.lead_id, position: o.position })),
        );
      } else if (others.length && campaign?.status === 'paused') {
        reason = 'paused';
        await MessageMachine.requeue(m, { campaignId: run.campaignId, leaseId, ids: others });
      }
      return { accepted: [...acceptedIds], rejected: others.map((messageId) => ({ messageId, reason })) };
    });
  }

  /** `results` as ResultsRequestSchema parsed them (clipped, clamped: see @cadence/contracts). */
  async report(runId: string, leaseId: string, results: ResultInput[], idempotencyKey: string | undefined) {
    const run = await this.leases.findRun(runId);
    const key = idempotencyKey ?? `${leaseId}:${hashRequest(results.map((r) => r.messageId))}`;
    const stored = await this.idempotency.run(run.organizationId, `results:${runId}`, key, hashRequest({ leaseId, results }), async (m) => {
      const applied = await MessageMachine.settle(
        m,
        run.campaignId,
        leaseId,
        results.map((r) => ({
          message_id: r.messageId,
          outcome: r.outcome,
          provider_message_id: r.providerMessageId ?? null,
          error_code: r.errorCode ?? null,
          error_message: r.errorMessage ?? null,
          retry_after_ms: r.retryAfterMs ?? null,
          reason: r.reason ?? null,
          sent_at: r.sentAt ?? null,
        })),
      );
      // A provider callback may have settled the message before this report: still record the provider's id.
      const appliedIds = new Set(applied.map((a) => a.id));
      const settledBefore = results.filter((r) => r.providerMessageId && !appliedIds.has(r.messageId));
      if (settledBefore.length) {
        await m.query(
          `UPDATE messages m SET provider_message_id = r.provider_message_id
             FROM json_to_recordset($3::json) AS r(message_id uuid, provider_message_id text)
            WHERE m.id = r.message_id AND m.campaign_id = $1 AND m.lease_id = $2
              AND m.provider_message_id IS NULL AND r.provider_message_id IS NOT NULL`,
          [
            run.campaignId,
            leaseId,
            JSON.stringify(settledBefore.map((r) => ({ message_id: r.messageId, provider_message_id: r.providerMessageId }))),
          ],
        );
      }
      // A call that was refused, skipped or deferred never rang: its concurrency slot is free at once.
      await releaseCallSlots(
        m,
        applied.filter((a) => a.status === 'failed' || a.status === 'skipped' || a.status === 'queued').map((a) => a.id),
      );
      const settled = applied.filter((a) => a.status !== 'queued');
      await advanceSequences(
        m,
        run.campaignId,
        settled.map((a) => ({ leadId: a.lead_id, position: a.position })),
      );
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
