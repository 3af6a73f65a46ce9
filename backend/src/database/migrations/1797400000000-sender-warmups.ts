import { MigrationInterface, QueryRunner } from 'typeorm';

export class SenderWarmups1797400000000 implements MigrationInterface {
  name = 'SenderWarmups1797400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "sender_warmups" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "channel_id" uuid, "email_account_id" uuid, "start_per_day" integer NOT NULL, "growth_percent" numeric(6,2) NOT NULL, "target_per_day" integer NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_sender_warmups_ramp" CHECK ("start_per_day" >= 1 AND "target_per_day" >= "start_per_day" AND "growth_percent" > 0), CONSTRAINT "CHK_sender_warmups_one_sender" CHECK (("channel_id" IS NULL) <> ("email_account_id" IS NULL)), CONSTRAINT "PK_21d46e555eccde65a02fad8076a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_sender_warmups_email_account" ON "sender_warmups" ("email_account_id") WHERE "email_account_id" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_sender_warmups_channel" ON "sender_warmups" ("channel_id") WHERE "channel_id" IS NOT NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "sender_warmups" ADD CONSTRAINT "FK_1837450ecbe9fbe3b0d1944e785" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "sender_warmups" ADD CONSTRAINT "FK_sender_warmups_channel" FOREIGN KEY ("channel_id") REFERENCES "channel_connections"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "sender_warmups" ADD CONSTRAINT "FK_sender_warmups_email_account" FOREIGN KEY ("email_account_id") REFERENCES "email_accounts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sender_warmups" DROP CONSTRAINT "FK_sender_warmups_email_account"`);
    await queryRunner.query(`ALTER TABLE "sender_warmups" DROP CONSTRAINT "FK_sender_warmups_channel"`);
    await queryRunner.query(`ALTER TABLE "sender_warmups" DROP CONSTRAINT "FK_1837450ecbe9fbe3b0d1944e785"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_sender_warmups_channel"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_sender_warmups_email_account"`);
    await queryRunner.query(`DROP TABLE "sender_warmups"`);
  }
}
