import { MigrationInterface, QueryRunner } from 'typeorm';

export class CallNow1797000000000 implements MigrationInterface {
  name = 'CallNow1797000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "callback_calls" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "callback_request_id" uuid NOT NULL, "agent_user_id" uuid, "agent_phone" text NOT NULL, "lead_phone" text NOT NULL, "channel_id" uuid NOT NULL, "message_id" uuid, "status" text NOT NULL DEFAULT 'calling', "agent_status" text, "dial_status" text, "dial_call_sid" text, "lead_duration_seconds" integer, "duration_seconds" integer, "ended_at" TIMESTAMP WITH TIME ZONE, "activity_id" uuid, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_callback_calls_status" CHECK ("status" IN ('calling', 'ended')), CONSTRAINT "PK_a36c75cd8e95b442c9ad765c256" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_callback_calls_message" ON "callback_calls" ("message_id") WHERE "message_id" IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_callback_calls_request" ON "callback_calls" ("callback_request_id", "created_at") `);
    await queryRunner.query(`ALTER TABLE "users" ADD "phone" text`);
    await queryRunner.query(
      `ALTER TABLE "callback_calls" ADD CONSTRAINT "FK_da03021a6567878ea025a54495a" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "callback_calls" ADD CONSTRAINT "FK_36dc3a2fb29f4a9b5ca9f8a8637" FOREIGN KEY ("callback_request_id") REFERENCES "callback_requests"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "callback_calls" ADD CONSTRAINT "FK_7b7765ff8a06928703ccc90683c" FOREIGN KEY ("agent_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "callback_calls" DROP CONSTRAINT "FK_7b7765ff8a06928703ccc90683c"`);
    await queryRunner.query(`ALTER TABLE "callback_calls" DROP CONSTRAINT "FK_36dc3a2fb29f4a9b5ca9f8a8637"`);
    await queryRunner.query(`ALTER TABLE "callback_calls" DROP CONSTRAINT "FK_da03021a6567878ea025a54495a"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "phone"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_callback_calls_request"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_callback_calls_message"`);
    await queryRunner.query(`DROP TABLE "callback_calls"`);
  }
}
