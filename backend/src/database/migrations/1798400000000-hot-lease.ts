import { MigrationInterface, QueryRunner } from 'typeorm';
import { INDEXED_STATUS_SQL as DELIVERED_FOLDED_SQL } from './1798300000000-hot-delivered-move';

/** The expression of `messages.indexed_status`, as the entity declares it (message.entity.ts). */
export const INDEXED_STATUS_SQL = `CASE WHEN status = 'leased' THEN 'queued' WHEN status = 'sending' THEN 'queued' WHEN status = 'delivered' THEN 'sent' ELSE status END`;

/**
 * The lease updates a message in place (issue 20, item 3). Leasing a message wrote a new entry into every index
 * of its row (primary key, the unique lead key, campaign/status, lease expiry): `indexed_status` went from
 * `queued` to `leased` and `lease_expires_at`, indexed, was set. Now `leased` and `sending` count as `queued`
 * there (an open message), the lease-expiry index is gone, and the sweeps find expired leases in
 * `message_leases`, one row a lease with its message ids. The lease then changes no indexed column and
 * PostgreSQL updates the row in place (HOT) when its page has room. A leased message stays in the due index
 * until it is settled: queries that want `queued` alone say `indexed_status = 'queued' AND status = 'queued'`.
 *
 * Each page keeps 60 % free (`fillfactor = 40`, was 70): a message's lease and then its `sending` mark each write
 * a new version of the row, and both fit beside the one materialized only with that room (with 30 %, 38 % of
 * leases and 65 % of marks were HOT; with 60 %, all of both). `BENCH_BEFORE_MIGRATION=1798400000000 npm run bench
 * -- write-path`: 93.8 → 85.4 µs a message, the lease 21.5 → 10.9 (a scratch probe of fillfactor 70 against 40
 * with this migration otherwise applied, not a committed command: 90.7 → 74.1).
 *
 * The column's expression cannot be altered before PostgreSQL 17: it is dropped and added again (one rewrite),
 * as in migration 1798300000000. The leases in flight get their rows.
 */
export class HotLease1798400000000 implements MigrationInterface {
  name = 'HotLease1798400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "message_leases" ("id" uuid NOT NULL, "campaign_id" uuid NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
         "message_ids" uuid array NOT NULL, "requeued_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_message_leases" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_message_leases_expiry" ON "message_leases" ("expires_at")`);
    await queryRunner.query(
      `ALTER TABLE "message_leases" ADD CONSTRAINT "FK_message_leases_campaign" FOREIGN KEY ("campaign_id")
         REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `INSERT INTO "message_leases" ("id", "campaign_id", "expires_at", "message_ids")
       SELECT lease_id, campaign_id, max(lease_expires_at), array_agg(id) FROM "messages"
        WHERE status IN ('leased', 'sending') AND lease_id IS NOT NULL AND lease_expires_at IS NOT NULL
        GROUP BY lease_id, campaign_id`,
    );
    // Room for the lease's and the mark's row versions beside the materialized one (set before the rewrite below,
    // which packs the table by it).
    await queryRunner.query(`ALTER TABLE "messages" SET (fillfactor = 40)`);
    // Dropping the column drops IDX_messages_due, IDX_messages_lease_expiry and IDX_messages_campaign_status.
    await replaceIndexedStatus(queryRunner, INDEXED_STATUS_SQL);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "messages" SET (fillfactor = 70)`);
    await replaceIndexedStatus(queryRunner, DELIVERED_FOLDED_SQL);
    await queryRunner.query(
      `CREATE INDEX "IDX_messages_lease_expiry" ON "messages" ("lease_expires_at") WHERE "indexed_status" = 'leased'`,
    );
    await queryRunner.query(`DROP TABLE "message_leases"`);
  }
}

async function replaceIndexedStatus(queryRunner: QueryRunner, expression: string): Promise<void> {
  await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "indexed_status"`);
  await queryRunner.query(`ALTER TABLE "messages" ADD "indexed_status" text GENERATED ALWAYS AS (${expression}) STORED NOT NULL`);
  await queryRunner.query(
    `UPDATE "typeorm_metadata" SET "value" = $1
      WHERE "type" = 'GENERATED_COLUMN' AND "table" = 'messages' AND "name" = 'indexed_status'`,
    [expression],
  );
  await queryRunner.query(`CREATE INDEX "IDX_messages_due" ON "messages" ("campaign_id", "due_at") WHERE "indexed_status" = 'queued'`);
  await queryRunner.query(`CREATE INDEX "IDX_messages_campaign_status" ON "messages" ("campaign_id", "indexed_status", "id")`);
}
