import { MigrationInterface, QueryRunner } from 'typeorm';

/** Where each Gmail mailbox's reply detection stands: the history id read up to, the last sync, the push watch. */
export class GmailInboundSync1796400000000 implements MigrationInterface {
  name = 'GmailInboundSync1796400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "email_accounts" ADD "history_id" text`);
    await queryRunner.query(`ALTER TABLE "email_accounts" ADD "inbound_synced_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "email_accounts" ADD "inbound_error" text`);
    await queryRunner.query(`ALTER TABLE "email_accounts" ADD "watch_expires_at" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "email_accounts" DROP COLUMN "watch_expires_at"`);
    await queryRunner.query(`ALTER TABLE "email_accounts" DROP COLUMN "inbound_error"`);
    await queryRunner.query(`ALTER TABLE "email_accounts" DROP COLUMN "inbound_synced_at"`);
    await queryRunner.query(`ALTER TABLE "email_accounts" DROP COLUMN "history_id"`);
  }
}
