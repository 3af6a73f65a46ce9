import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Environment } from '../../config/environment';

// Any constant works; the same for every backend instance, another than the scheduler's.
const COMPACTOR_LOCK_ID = 727_274_913;
/** A campaign with more new delta rows than this since the last pass is folded. */
export const COMPACT_ABOVE_NEW_ROWS = 256;

/**
 * Folds a campaign's analytics delta rows into one per (step, channel, hour, metric): the triggers append a
 * row per statement, and readers should sum thousands of rows, not millions. Only rows written since the
 * previous pass are counted (`id` grows), so a pass costs what was written, not the table.
 */
@Injectable()
export class AnalyticsCompactor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AnalyticsCompactor');
  private timer?: NodeJS.Timeout;
  private running = false;
  private watermark = '0';

  constructor(
    private readonly dataSource: DataSource,
    private readonly env: Environment,
  ) {}

  onApplicationBootstrap(): void {
    if (this.env.SCHEDULER_INTERVAL_MS > 0) {
      this.timer = setInterval(() => void this.pass(), Math.max(this.env.SCHEDULER_INTERVAL_MS, 10_000));
      this.timer.unref();
    }
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async pass(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const busy: Array<{ campaign_id: string }> = await this.dataSource.query(
        `SELECT campaign_id FROM campaign_analytics_deltas WHERE id > $1 GROUP BY campaign_id HAVING count(*) > $2`,
        [this.watermark, COMPACT_ABOVE_NEW_ROWS],
      );
      for (const b of busy) await this.compact(b.campaign_id);
      const [{ max }]: Array<{ max: string | null }> = await this.dataSource.query(
        'SELECT max(id)::text AS max FROM campaign_analytics_deltas',
      );
      this.watermark = max ?? '0';
    } catch (error) {
      this.logger.error(`compaction failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.running = false;
    }
  }

  /** One statement: rows written concurrently are not in its snapshot and stay as they are. */
  async compact(campaignId: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const [{ locked }] = await m.query<Array<{ locked: boolean }>>('SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS locked', [
        COMPACTOR_LOCK_ID,
        campaignId,
      ]);
      if (!locked) return;
      await m.query(
        `WITH d AS (DELETE FROM campaign_analytics_deltas WHERE campaign_id = $1 RETURNING organization_id, step_id, channel, bucket, metric, delta)
         INSERT INTO campaign_analytics_deltas (organization_id, campaign_id, step_id, channel, bucket, metric, delta)
           SELECT organization_id, $1, step_id, channel, bucket, metric, sum(delta) FROM d
            GROUP BY organization_id, step_id, channel, bucket, metric HAVING sum(delta) <> 0`,
        [campaignId],
      );
    });
  }
}
