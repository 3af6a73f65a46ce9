import { MigrationInterface, QueryRunner } from 'typeorm';

export class SenderGuards1797500000000 implements MigrationInterface {
  name = 'SenderGuards1797500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "sender_guards" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "channel_id" uuid, "email_account_id" uuid, "enabled" boolean NOT NULL DEFAULT true, "bounce_rate" numeric(6,5), "complaint_rate" numeric(6,5), "rejection_rate" numeric(6,5), "min_sample" integer, "paused_at" TIMESTAMP WITH TIME ZONE, "paused_reason" text, "paused_metrics" jsonb, "resumed_at" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_sender_guards_one_sender" CHECK (("channel_id" IS NULL) <> ("email_account_id" IS NULL)), CONSTRAINT "PK_79812b41a5775ee48d02db0aced" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_sender_guards_email_account" ON "sender_guards" ("email_account_id") WHERE "email_account_id" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_sender_guards_channel" ON "sender_guards" ("channel_id") WHERE "channel_id" IS NOT NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "sender_guards" ADD CONSTRAINT "FK_532ac0b41726f22b61b5d4d5b94" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "sender_guards" ADD CONSTRAINT "FK_sender_guards_channel" FOREIGN KEY ("channel_id") REFERENCES "channel_connections"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "sender_guards" ADD CONSTRAINT "FK_sender_guards_email_account" FOREIGN KEY ("email_account_id") REFERENCES "email_accounts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sender_guards" DROP CONSTRAINT "FK_sender_guards_email_account"`);
    await queryRunner.query(`ALTER TABLE "sender_guards" DROP CONSTRAINT "FK_sender_guards_channel"`);
    await queryRunner.query(`ALTER TABLE "sender_guards" DROP CONSTRAINT "FK_532ac0b41726f22b61b5d4d5b94"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_sender_guards_channel"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_sender_guards_email_account"`);
    await queryRunner.query(`DROP TABLE "sender_guards"`);
  }
}
