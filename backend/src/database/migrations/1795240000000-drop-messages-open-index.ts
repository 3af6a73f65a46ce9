import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every status move wrote an entry into this index as well; "is anything of this campaign still open"
 * is answered as fast by IDX_messages_campaign_status (campaign, status, id) with three status values.
 */
export class DropMessagesOpenIndex1795240000000 implements MigrationInterface {
  name = 'DropMessagesOpenIndex1795240000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_messages_open"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "IDX_messages_open" ON "messages" ("campaign_id") WHERE "status" IN ('queued', 'leased', 'sending')`,
    );
  }
}
