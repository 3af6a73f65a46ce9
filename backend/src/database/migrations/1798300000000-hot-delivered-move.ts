import { MigrationInterface, QueryRunner } from 'typeorm';
import { INDEXED_STATUS_SQL as SENDING_FOLDED_SQL } from './1797800000000-hot-sending-mark';

/** The expression of `messages.indexed_status`, as the entity declares it (message.entity.ts). */
export const INDEXED_STATUS_SQL = `CASE WHEN status = 'sending' THEN 'leased' WHEN status = 'delivered' THEN 'sent' ELSE status END`;

/**
 * The provider's `delivered` moves a message in place (issue 20, item 3). Every message a provider delivers gets
 * a callback moving it from `sent` to `delivered`; `indexed_status` held both values, so each move wrote a new
 * entry into every index of the row (primary key, the unique lead key, campaign/status, provider id). With
 * `delivered` counted as `sent` there, as `sending` is counted as `leased`, the move changes no indexed column
 * and PostgreSQL updates the row in place (HOT) when its page has room. Queries that want `delivered` alone
 * say `indexed_status = 'sent' AND status = 'delivered'` (campaigns.service.ts does, through indexedStatusOf).
 *
 * A stored generated column's expression cannot be altered before PostgreSQL 17, so the column is dropped and
 * added again (one rewrite of the table, as migration 1797800000000's add was), and the three indexes that
 * hold it, dropped with it, are built again.
 */
export class HotDeliveredMove1798300000000 implements MigrationInterface {
  name = 'HotDeliveredMove1798300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await replaceIndexedStatus(queryRunner, INDEXED_STATUS_SQL);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await replaceIndexedStatus(queryRunner, SENDING_FOLDED_SQL);
  }
}

async function replaceIndexedStatus(queryRunner: QueryRunner, expression: string): Promise<void> {
  // Dropping the column drops IDX_messages_due, IDX_messages_lease_expiry and IDX_messages_campaign_status.
  await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "indexed_status"`);
  await queryRunner.query(`ALTER TABLE "messages" ADD "indexed_status" text GENERATED ALWAYS AS (${expression}) STORED NOT NULL`);
  await queryRunner.query(
    `UPDATE "typeorm_metadata" SET "value" = $1
      WHERE "type" = 'GENERATED_COLUMN' AND "table" = 'messages' AND "name" = 'indexed_status'`,
    [expression],
  );
  await queryRunner.query(`CREATE INDEX "IDX_messages_due" ON "messages" ("campaign_id", "due_at") WHERE "indexed_status" = 'queued'`);
  await queryRunner.query(`CREATE INDEX "IDX_messages_lease_expiry" ON "messages" ("lease_expires_at") WHERE "indexed_status" = 'leased'`);
  await queryRunner.query(`CREATE INDEX "IDX_messages_campaign_status" ON "messages" ("campaign_id", "indexed_status", "id")`);
}
