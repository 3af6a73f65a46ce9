import { MigrationInterface, QueryRunner } from 'typeorm';
import { ANALYTICS_MESSAGES_ON_UPDATE_V1 } from './1796200000000-campaign-analytics';

/**
 * The analytics trigger on message updates without joining old and new rows. Each counted metric is +1 for
 * a new row in it and -1 for the old row in it, in the row's hour; a row whose metric and hour did not
 * change cancels out in the GROUP BY and the HAVING drops it. The lease, `sending` and requeue marks (most
 * updates of the send path) touch no counted column, so they now cost a filtered scan of the transition
 * tables instead of a hash join of both with four rows made per message. 100,000 Mailgun recipients
 * (`BENCH_SMS=200 npm run bench -- campaign`, pg_stat_statements): the trigger's INSERT ran 35.3 s with
 * the join (`BENCH_JOIN_TRIGGER=1`), 0.9 s without; PostgreSQL's CPU 42.1 s against 26.7 s.
 * One difference with the join: a `sent_at` or `delivered_at` moved to another hour moves its count there.
 */
export class LeanAnalyticsTrigger1797700000000 implements MigrationInterface {
  name = 'LeanAnalyticsTrigger1797700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE OR REPLACE FUNCTION analytics_messages_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO campaign_analytics_deltas (organization_id, campaign_id, step_id, channel, bucket, metric, delta)
          SELECT organization_id, campaign_id, step_id, channel, bucket, metric, sum(d) FROM (
            SELECT organization_id, campaign_id, step_id, channel, analytics_hour(sent_at) AS bucket, 'sent' AS metric, 1 AS d
              FROM new_rows WHERE sent_at IS NOT NULL
            UNION ALL
            SELECT organization_id, campaign_id, step_id, channel, analytics_hour(sent_at), 'sent', -1
              FROM old_rows WHERE sent_at IS NOT NULL
            UNION ALL
            SELECT organization_id, campaign_id, step_id, channel, analytics_hour(coalesce(delivered_at, now())), 'delivered', 1
              FROM new_rows WHERE status = 'delivered'
            UNION ALL
            SELECT organization_id, campaign_id, step_id, channel, analytics_hour(coalesce(delivered_at, now())), 'delivered', -1
              FROM old_rows WHERE status = 'delivered'
            UNION ALL
            SELECT organization_id, campaign_id, step_id, channel, analytics_hour(now()),
                   CASE WHEN status = 'skipped' THEN 'skipped:' || skip_reason ELSE status END, 1
              FROM new_rows WHERE status IN ('failed', 'unknown', 'skipped')
            UNION ALL
            SELECT organization_id, campaign_id, step_id, channel, analytics_hour(now()),
                   CASE WHEN status = 'skipped' THEN 'skipped:' || skip_reason ELSE status END, -1
              FROM old_rows WHERE status IN ('failed', 'unknown', 'skipped')
          ) m GROUP BY organization_id, campaign_id, step_id, channel, bucket, metric HAVING sum(d) <> 0;
        RETURN NULL;
      END $$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(ANALYTICS_MESSAGES_ON_UPDATE_V1);
  }
}
