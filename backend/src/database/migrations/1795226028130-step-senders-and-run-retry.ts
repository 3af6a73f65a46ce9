import { MigrationInterface, QueryRunner } from 'typeorm';

export class StepSendersAndRunRetry1795226028130 implements MigrationInterface {
  name = 'StepSendersAndRunRetry1795226028130';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "campaign_steps" ADD "sender_channel_id" uuid`);
    await queryRunner.query(`ALTER TABLE "campaign_steps" ADD "sender_email_account_id" uuid`);
    await queryRunner.query(`ALTER TABLE "campaign_runs" ADD "retry_at" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "campaign_runs" DROP COLUMN "retry_at"`);
    await queryRunner.query(`ALTER TABLE "campaign_steps" DROP COLUMN "sender_email_account_id"`);
    await queryRunner.query(`ALTER TABLE "campaign_steps" DROP COLUMN "sender_channel_id"`);
  }
}
