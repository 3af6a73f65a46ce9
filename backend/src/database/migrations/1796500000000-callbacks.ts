import { MigrationInterface, QueryRunner } from 'typeorm';

export class Callbacks1796500000000 implements MigrationInterface {
  name = 'Callbacks1796500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "callback_requests" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "lead_id" uuid, "channel" text NOT NULL, "address" text NOT NULL, "reason" text NOT NULL DEFAULT '', "source" text NOT NULL, "source_message_id" uuid, "conversation_id" uuid, "window_start" TIMESTAMP WITH TIME ZONE, "window_end" TIMESTAMP WITH TIME ZONE, "timezone" text, "notes" text NOT NULL DEFAULT '', "status" text NOT NULL DEFAULT 'pending', "assignee_user_id" uuid, "score" integer NOT NULL DEFAULT '0', "category" text NOT NULL DEFAULT 'normal', "score_reasons" jsonb NOT NULL DEFAULT '[]', "scored_at" TIMESTAMP WITH TIME ZONE NOT NULL, "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "resolution" text, "completed_at" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_callback_requests_category" CHECK ("category" IN ('urgent', 'high', 'normal', 'low')), CONSTRAINT "CHK_callback_requests_status" CHECK ("status" IN ('pending', 'assigned', 'in_progress', 'completed', 'no_answer', 'cancelled')), CONSTRAINT "PK_4004a32558adaaf5d8af014ca4e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_callback_requests_source_message" ON "callback_requests" ("organization_id", "source", "source_message_id") WHERE "source_message_id" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_callback_requests_queue" ON "callback_requests" ("organization_id", "status", "score", "due_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "callback_activities" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "callback_request_id" uuid NOT NULL, "kind" text NOT NULL, "actor_user_id" uuid, "actor_label" text NOT NULL, "summary" text NOT NULL, "details" jsonb NOT NULL DEFAULT '{}', CONSTRAINT "PK_386af9b72e9ad1db23eb33a1dc1" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_callback_activities_request" ON "callback_activities" ("callback_request_id", "created_at") `,
    );
    await queryRunner.query(`ALTER TABLE "organizations" ADD "callback_rule" jsonb`);
    await queryRunner.query(
      `ALTER TABLE "callback_requests" ADD CONSTRAINT "FK_1afafdb413c992b647d546053c0" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "callback_requests" ADD CONSTRAINT "FK_4b1b0fdbd60d45687b96074590e" FOREIGN KEY ("lead_id") REFERENCES "leads"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "callback_requests" ADD CONSTRAINT "FK_ecaef95ace7f39e72a0cae67a34" FOREIGN KEY ("assignee_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "callback_activities" ADD CONSTRAINT "FK_e8b6856fd2b48d56689fdd3262b" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "callback_activities" ADD CONSTRAINT "FK_548b2544a640d2398d16e0afa8b" FOREIGN KEY ("callback_request_id") REFERENCES "callback_requests"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "callback_activities" ADD CONSTRAINT "FK_e6cd91031b789d4c8621aec0707" FOREIGN KEY ("actor_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "callback_activities" DROP CONSTRAINT "FK_e6cd91031b789d4c8621aec0707"`);
    await queryRunner.query(`ALTER TABLE "callback_activities" DROP CONSTRAINT "FK_548b2544a640d2398d16e0afa8b"`);
    await queryRunner.query(`ALTER TABLE "callback_activities" DROP CONSTRAINT "FK_e8b6856fd2b48d56689fdd3262b"`);
    await queryRunner.query(`ALTER TABLE "callback_requests" DROP CONSTRAINT "FK_ecaef95ace7f39e72a0cae67a34"`);
    await queryRunner.query(`ALTER TABLE "callback_requests" DROP CONSTRAINT "FK_4b1b0fdbd60d45687b96074590e"`);
    await queryRunner.query(`ALTER TABLE "callback_requests" DROP CONSTRAINT "FK_1afafdb413c992b647d546053c0"`);
    await queryRunner.query(`ALTER TABLE "organizations" DROP COLUMN "callback_rule"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_callback_activities_request"`);
    await queryRunner.query(`DROP TABLE "callback_activities"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_callback_requests_queue"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_callback_requests_source_message"`);
    await queryRunner.query(`DROP TABLE "callback_requests"`);
  }
}
