import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Environment } from '../../config/environment';
import { CampaignProgressService } from '../campaigns/campaign-progress.service';
import { OutboxDispatcher } from '../outbox/outbox.dispatcher';
import { expireLeases } from '../messages/message-queue';
import { completeIfDone, startDueCampaigns } from '../campaigns/campaign-status';
import { notCoveredSql, startRunsIfIdle } from './run-starter';
import { decideAbTests } from '../campaigns/variants/variant-decision';
import { staleAfterSeconds } from '../lease/lease-policy.util';
import { pruneExpired } from './retention';

// One backend instance at a time does the bookkeeping; any of them may deliver outbox events.
const SCHEDULER_LOCK_ID = 727_274_912;
const RETENTION_LOCK_ID = 727_274_913;
const COMPACT_ABOVE_ROWS = 256;
/** Retention runs at most this often: what it deletes is hours old, and each pass scans its tables. */
const RETENTION_EVERY_MS = 10 * 60_000;

/**
 * The backend's clock: expires leases, starts scheduled campaigns, triggers n8n for due work that no
 * live run covers (sequence steps, deferred retries, dead runs), detects completion, delivers the outbox.
 */
@Injectable()
export class SchedulerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Scheduler');
  private timer?: NodeJS.Timeout;
  private ticking = false;
  private prunedAt = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly env: Environment,
    private readonly outbox: OutboxDispatcher,
    private readonly progress: CampaignProgressService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.env.SCHEDULER_INTERVAL_MS > 0) {
      this.timer = setInterval(() => void this.tick(), this.env.SCHEDULER_INTERVAL_MS);
      this.timer.unref();
    }
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One pass; safe to call concurrently (it skips) and from several instances (they take turns). */
  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      await this.bookkeeping();
      void (await this.outbox.dispatchDue()); // handlers run on; each records its own failure
    } catch (error) {
      this.logger.error(`tick failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.ticking = false;
    }
  }

  private async bookkeeping(): Promise<void> {
    const compact: string[] = await this.dataSource.transaction(async (m) => {
      const [{ locked }] = await m.query<Array<{ locked: boolean }>>('SELECT pg_try_advisory_xact_lock($1) AS locked', [SCHEDULER_LOCK_ID]);
      if (!locked) return [];
      await expireLeases(m, this.env.LEASE_TTL_SECONDS);
      await startDueCampaigns(m);
      await completeIfDone(m);
      // Before looking for due work: a decided A/B test's held messages are due at once.
      await decideAbTests(m);
      const due: Array<{ id: string }> = await m.query(
        // LATERAL … LIMIT 1: one probe of the due index per campaign, whatever the planner's statistics; only of
        // campaigns no run covers (MATERIALIZED: those are picked first). The probe walks the entries of the
        // messages in flight (a leased message keeps its entry until it is settled) and those settled messages
        // leave until VACUUM: at 1,000,000 recipients 25 ms a tick, for a campaign whose runs were leasing anyway.
        `WITH idle AS MATERIALIZED (SELECT c.id FROM campaigns c WHERE c.status = 'active' AND ${notCoveredSql('c', '$1')})
         SELECT idle.id FROM idle
          CROSS JOIN LATERAL (SELECT 1 FROM messages q WHERE q.campaign_id = idle.id AND q.indexed_status = 'queued' AND q.status = 'queued' AND q.due_at <= now() LIMIT 1) due`,
        [staleAfterSeconds(this.env.LEASE_TTL_SECONDS)],
      );
      for (const c of due) await startRunsIfIdle(m, c.id, staleAfterSeconds(this.env.LEASE_TTL_SECONDS));
      const busy: Array<{ campaign_id: string }> = await m.query(
        'SELECT campaign_id FROM campaign_status_counts GROUP BY campaign_id HAVING count(*) > $1',
        [COMPACT_ABOVE_ROWS],
      );
      return busy.map((b) => b.campaign_id);
    });
    for (const id of compact) await this.progress.compact(id);
    await this.prune();
  }

  /** Deletes expired idempotency answers and old ledger hours (retention.ts); one instance at a time. */
  async prune(force = false): Promise<void> {
    if (!force && Date.now() - this.prunedAt < RETENTION_EVERY_MS) return;
    this.prunedAt = Date.now();
    await this.dataSource.transaction(async (m) => {
      const [{ locked }] = await m.query<Array<{ locked: boolean }>>('SELECT pg_try_advisory_xact_lock($1) AS locked', [RETENTION_LOCK_ID]);
      if (!locked) return;
      const deleted = await pruneExpired(m, this.env.IDEMPOTENCY_KEY_TTL_HOURS);
      if (deleted.idempotencyKeys || deleted.senderUsage)
        this.logger.log(`retention: ${deleted.idempotencyKeys} idempotency keys, ${deleted.senderUsage} sender-usage hours deleted`);
    });
  }
}
