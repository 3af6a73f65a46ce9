import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Live counters per campaign and status without COUNT(*) over millions of rows: statement-level
 * triggers append one delta row per (campaign, status) per statement (transition tables), so writers
 * never wait on a shared counter row; readers sum a handful of rows, and compaction folds them.
 */
export class MessageStatusCounts1795225763322 implements MigrationInterface {
  name = 'MessageStatusCounts1795225763322';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "campaign_status_counts" ("id" bigserial PRIMARY KEY, "campaign_id" uuid NOT NULL, "status" text NOT NULL, "delta" bigint NOT NULL)`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_campaign_status_counts_campaign" ON "campaign_status_counts" ("campaign_id")`);
    await queryRunner.query(`CREATE FUNCTION messages_counts_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO campaign_status_counts (campaign_id, status, delta)
          SELECT campaign_id, status, count(*) FROM new_rows GROUP BY campaign_id, status;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE FUNCTION messages_counts_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO campaign_status_counts (campaign_id, status, delta)
          SELECT campaign_id, status, sum(d) FROM (
            SELECT campaign_id, status, 1 AS d FROM new_rows
            UNION ALL
            SELECT campaign_id, status, -1 AS d FROM old_rows
          ) changes GROUP BY campaign_id, status HAVING sum(d) <> 0;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE FUNCTION messages_counts_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- A campaign deleted with its messages needs no counters any more.
        DELETE FROM campaign_status_counts c WHERE NOT EXISTS (SELECT 1 FROM campaigns WHERE id = c.campaign_id)
          AND c.campaign_id IN (SELECT DISTINCT campaign_id FROM old_rows);
        INSERT INTO campaign_status_counts (campaign_id, status, delta)
          SELECT o.campaign_id, o.status, -count(*) FROM old_rows o
           WHERE EXISTS (SELECT 1 FROM campaigns WHERE id = o.campaign_id)
           GROUP BY o.campaign_id, o.status;
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER messages_counts_insert AFTER INSERT ON messages REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION messages_counts_on_insert()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER messages_counts_update AFTER UPDATE ON messages REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION messages_counts_on_update()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER messages_counts_delete AFTER DELETE ON messages REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION messages_counts_on_delete()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER messages_counts_delete ON messages`);
    await queryRunner.query(`DROP TRIGGER messages_counts_update ON messages`);
    await queryRunner.query(`DROP TRIGGER messages_counts_insert ON messages`);
    await queryRunner.query(`DROP FUNCTION messages_counts_on_delete()`);
    await queryRunner.query(`DROP FUNCTION messages_counts_on_update()`);
    await queryRunner.query(`DROP FUNCTION messages_counts_on_insert()`);
    await queryRunner.query(`DROP TABLE "campaign_status_counts"`);
  }
}
