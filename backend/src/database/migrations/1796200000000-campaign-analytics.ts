import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Engagement analytics without COUNT(*) over messages: statement-level triggers (transition tables, one
 * INSERT per statement whatever its size) append delta rows per (campaign, step, channel, hour, metric) to
 * `campaign_analytics_deltas`, the way `campaign_status_counts` is kept. Readers sum a few thousand rows;
 * compaction folds them. Metrics (docs/architecture.md, "Analytics"):
 *  - from messages: `sent` (sent_at set, in its hour), `delivered` (status reached, in delivered_at's hour),
 *    and the states `failed`, `unknown`, `skipped:<reason>` (+1 entering, -1 leaving, in the hour it happened);
 *  - from message_events, once per message and kind (`message_engagement` holds the first of each, so a
 *    replayed, late or second event counts nothing): opened / clicked (human), opened_machine /
 *    clicked_machine (payload.machine), replied (human replies; auto_replied is not one), unsubscribed,
 *    complained, read, bounced (a permanent failure of an email) and answered (a voice call completed).
 * Conversions are rows of their own table (one per conversion, not per message), read per campaign.
 */
/** The first analytics trigger on message updates (a join of old and new rows); 1797700000000 replaces it. */
export const ANALYTICS_MESSAGES_ON_UPDATE_V1 = `CREATE OR REPLACE FUNCTION analytics_messages_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO campaign_analytics_deltas (organization_id, campaign_id, step_id, channel, bucket, metric, delta)
      SELECT organization_id, campaign_id, step_id, channel, bucket, metric, sum(d) FROM (
        SELECT n.organization_id, n.campaign_id, n.step_id, n.channel,
               CASE WHEN s.d > 0 THEN s.bucket_new ELSE s.bucket_old END AS bucket, s.metric, s.d
          FROM new_rows n JOIN old_rows o ON o.id = n.id
          CROSS JOIN LATERAL (VALUES
            ('sent', analytics_hour(n.sent_at), analytics_hour(o.sent_at),
               CASE WHEN o.sent_at IS NULL AND n.sent_at IS NOT NULL THEN 1 WHEN o.sent_at IS NOT NULL AND n.sent_at IS NULL THEN -1 ELSE 0 END),
            ('delivered', analytics_hour(coalesce(n.delivered_at, now())), analytics_hour(coalesce(o.delivered_at, now())),
               CASE WHEN n.status = 'delivered' AND o.status <> 'delivered' THEN 1 WHEN o.status = 'delivered' AND n.status <> 'delivered' THEN -1 ELSE 0 END),
            (CASE WHEN n.status = 'skipped' THEN 'skipped:' || n.skip_reason ELSE n.status END, analytics_hour(now()), NULL,
               CASE WHEN n.status IN ('failed', 'unknown', 'skipped') AND (o.status, o.skip_reason) IS DISTINCT FROM (n.status, n.skip_reason) THEN 1 ELSE 0 END),
            (CASE WHEN o.status = 'skipped' THEN 'skipped:' || o.skip_reason ELSE o.status END, NULL, analytics_hour(now()),
               CASE WHEN o.status IN ('failed', 'unknown', 'skipped') AND (o.status, o.skip_reason) IS DISTINCT FROM (n.status, n.skip_reason) THEN -1 ELSE 0 END)
          ) AS s(metric, bucket_new, bucket_old, d)
         WHERE s.d <> 0
      ) m GROUP BY organization_id, campaign_id, step_id, channel, bucket, metric HAVING sum(d) <> 0;
    RETURN NULL;
  END $$`;

export class CampaignAnalytics1796200000000 implements MigrationInterface {
  name = 'CampaignAnalytics1796200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "campaign_analytics_deltas" ("id" bigserial PRIMARY KEY, "organization_id" uuid NOT NULL, "campaign_id" uuid NOT NULL,
        "step_id" uuid NOT NULL, "channel" text NOT NULL, "bucket" timestamptz NOT NULL, "metric" text NOT NULL, "delta" bigint NOT NULL)`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_campaign_analytics_campaign" ON "campaign_analytics_deltas" ("campaign_id", "bucket")`);
    await queryRunner.query(`CREATE INDEX "IDX_campaign_analytics_org" ON "campaign_analytics_deltas" ("organization_id", "bucket")`);
    await queryRunner.query(
      `CREATE TABLE "message_engagement" ("message_id" uuid NOT NULL REFERENCES "messages"("id") ON DELETE CASCADE, "kind" text NOT NULL,
        "occurred_at" timestamptz NOT NULL, PRIMARY KEY ("message_id", "kind"))`,
    );
    // UTC hours, whatever the session's TimeZone.
    await queryRunner.query(
      `CREATE FUNCTION analytics_hour(t timestamptz) RETURNS timestamptz LANGUAGE sql IMMUTABLE AS $$ SELECT date_trunc('hour', t AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' $$`,
    );
    await queryRunner.query(`CREATE FUNCTION analytics_messages_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO campaign_analytics_deltas (organization_id, campaign_id, step_id, channel, bucket, metric, delta)
          SELECT organization_id, campaign_id, step_id, channel, bucket, metric, count(*) FROM (
            SELECT organization_id, campaign_id, step_id, channel, analytics_hour(sent_at) AS bucket, 'sent' AS metric
              FROM new_rows WHERE sent_at IS NOT NULL
            UNION ALL
            SELECT organization_id, campaign_id, step_id, channel, analytics_hour(coalesce(delivered_at, now())), 'delivered'
              FROM new_rows WHERE status = 'delivered'
            UNION ALL
            SELECT organization_id, campaign_id, step_id, channel, analytics_hour(now()),
                   CASE WHEN status = 'skipped' THEN 'skipped:' || skip_reason ELSE status END
              FROM new_rows WHERE status IN ('failed', 'unknown', 'skipped')
          ) m GROUP BY organization_id, campaign_id, step_id, channel, bucket, metric;
        RETURN NULL;
      END $$`);
    await queryRunner.query(ANALYTICS_MESSAGES_ON_UPDATE_V1);
    await queryRunner.query(`CREATE FUNCTION analytics_events_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        WITH kinds AS (
          SELECT e.message_id, e.occurred_at,
                 CASE
                   WHEN e.type = 'opened' THEN CASE WHEN e.payload->>'machine' = 'true' THEN 'opened_machine' ELSE 'opened' END
                   WHEN e.type = 'clicked' THEN CASE WHEN e.payload->>'machine' = 'true' THEN 'clicked_machine' ELSE 'clicked' END
                   WHEN e.type IN ('replied', 'unsubscribed', 'complained', 'read') THEN e.type
                   WHEN e.type = 'failed' AND m.channel = 'email' THEN 'bounced'
                   WHEN e.type = 'delivered' AND m.channel = 'voice' THEN 'answered'
                 END AS kind
            FROM new_rows e JOIN messages m ON m.id = e.message_id
           WHERE e.type IN ('opened', 'clicked', 'replied', 'unsubscribed', 'complained', 'read', 'failed', 'delivered')
        ), firsts AS (
          INSERT INTO message_engagement (message_id, kind, occurred_at)
            SELECT DISTINCT ON (message_id, kind) message_id, kind, occurred_at FROM kinds WHERE kind IS NOT NULL
             ORDER BY message_id, kind, occurred_at
          ON CONFLICT DO NOTHING
          RETURNING message_id, kind, occurred_at
        )
        INSERT INTO campaign_analytics_deltas (organization_id, campaign_id, step_id, channel, bucket, metric, delta)
          SELECT m.organization_id, m.campaign_id, m.step_id, m.channel, analytics_hour(f.occurred_at), f.kind, count(*)
            FROM firsts f JOIN messages m ON m.id = f.message_id
           GROUP BY m.organization_id, m.campaign_id, m.step_id, m.channel, analytics_hour(f.occurred_at), f.kind;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE FUNCTION analytics_campaigns_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM campaign_analytics_deltas WHERE campaign_id IN (SELECT id FROM old_rows);
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER analytics_messages_insert AFTER INSERT ON messages REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_messages_on_insert()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER analytics_messages_update AFTER UPDATE ON messages REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_messages_on_update()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER analytics_events_insert AFTER INSERT ON message_events REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_events_on_insert()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER analytics_campaigns_delete AFTER DELETE ON campaigns REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_campaigns_on_delete()`,
    );

    // Conversions: attributed to a campaign message (or none), counted from this table per campaign.
    await queryRunner.query(
      `CREATE TABLE "conversions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "lead_id" uuid, "name" text NOT NULL, "value" numeric(18,4) NOT NULL, "currency" text NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "campaign_id" uuid, "message_id" uuid, "step_id" uuid, "channel" text, "attributed_by" text, CONSTRAINT "PK_conversions_id" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_conversions_org_created" ON "conversions" ("organization_id", "created_at", "id") `);
    await queryRunner.query(`CREATE INDEX "IDX_conversions_org_occurred" ON "conversions" ("organization_id", "occurred_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_conversions_campaign" ON "conversions" ("campaign_id", "occurred_at") `);
    await queryRunner.query(
      `ALTER TABLE "conversions" ADD CONSTRAINT "FK_6975430abb3ac3e051e63a38b92" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "conversions" ADD CONSTRAINT "FK_conversions_lead" FOREIGN KEY ("lead_id") REFERENCES "leads"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "conversions" ADD CONSTRAINT "FK_conversions_campaign" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "conversions" ADD CONSTRAINT "FK_conversions_message" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "conversions"`);
    await queryRunner.query(`DROP TRIGGER analytics_campaigns_delete ON campaigns`);
    await queryRunner.query(`DROP TRIGGER analytics_events_insert ON message_events`);
    await queryRunner.query(`DROP TRIGGER analytics_messages_update ON messages`);
    await queryRunner.query(`DROP TRIGGER analytics_messages_insert ON messages`);
    await queryRunner.query(`DROP FUNCTION analytics_campaigns_on_delete()`);
    await queryRunner.query(`DROP FUNCTION analytics_events_on_insert()`);
    await queryRunner.query(`DROP FUNCTION analytics_messages_on_update()`);
    await queryRunner.query(`DROP FUNCTION analytics_messages_on_insert()`);
    await queryRunner.query(`DROP FUNCTION analytics_hour(timestamptz)`);
    await queryRunner.query(`DROP TABLE "message_engagement"`);
    await queryRunner.query(`DROP TABLE "campaign_analytics_deltas"`);
  }
}
