import { MigrationInterface, QueryRunner } from 'typeorm';

export class RepliesAndConversations1796300000000 implements MigrationInterface {
  name = 'RepliesAndConversations1796300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "conversations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "lead_id" uuid, "channel" text NOT NULL, "address" text NOT NULL, "sender_id" uuid NOT NULL, "sender_kind" text NOT NULL, "status" text NOT NULL DEFAULT 'open', "assignee_user_id" uuid, "unread_count" integer NOT NULL DEFAULT '0', "last_activity_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_preview" text NOT NULL DEFAULT '', "subject" text, CONSTRAINT "CHK_conversations_sender_kind" CHECK ("sender_kind" IN ('channel', 'email_account')), CONSTRAINT "CHK_conversations_status" CHECK ("status" IN ('open', 'waiting', 'closed')), CONSTRAINT "PK_ee34f4f7ced4ec8681f26bf04ef" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_conversations_org_activity" ON "conversations" ("organization_id", "last_activity_at", "id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_conversations_identity" ON "conversations" ("organization_id", "channel", "address", "sender_id") `,
    );
    await queryRunner.query(`ALTER TABLE "templates" ADD "one_off" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "campaigns" ADD "conversation_id" uuid`);
    // Inbox replies are one-message campaigns of type reply (the schema builder does not diff CHECK bodies).
    await queryRunner.query(`ALTER TABLE "campaigns" DROP CONSTRAINT "CHK_campaigns_type"`);
    await queryRunner.query(`ALTER TABLE "campaigns" ADD CONSTRAINT "CHK_campaigns_type" CHECK ("type" IN ('blast', 'sequence', 'reply'))`);
    await queryRunner.query(`ALTER TABLE "messages" ADD "replied_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "messages" ADD "stopped_by_message_id" uuid`);
    await queryRunner.query(`ALTER TABLE "message_events" ADD "conversation_id" uuid`);
    await queryRunner.query(
      `CREATE INDEX "IDX_message_events_conversation" ON "message_events" ("conversation_id", "occurred_at") WHERE "conversation_id" IS NOT NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "conversations" ADD CONSTRAINT "FK_87d9df8c99fb824a39c681ec332" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "conversations" ADD CONSTRAINT "FK_5c73048f6ad3d937f15765df499" FOREIGN KEY ("lead_id") REFERENCES "leads"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "conversations" ADD CONSTRAINT "FK_3a978c141b18c9f709552317d22" FOREIGN KEY ("assignee_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "conversations" DROP CONSTRAINT "FK_3a978c141b18c9f709552317d22"`);
    await queryRunner.query(`ALTER TABLE "conversations" DROP CONSTRAINT "FK_5c73048f6ad3d937f15765df499"`);
    await queryRunner.query(`ALTER TABLE "conversations" DROP CONSTRAINT "FK_87d9df8c99fb824a39c681ec332"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_message_events_conversation"`);
    await queryRunner.query(`ALTER TABLE "message_events" DROP COLUMN "conversation_id"`);
    await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "stopped_by_message_id"`);
    await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "replied_at"`);
    await queryRunner.query(`DELETE FROM "campaigns" WHERE "type" = 'reply'`);
    await queryRunner.query(`ALTER TABLE "campaigns" DROP CONSTRAINT "CHK_campaigns_type"`);
    await queryRunner.query(`ALTER TABLE "campaigns" ADD CONSTRAINT "CHK_campaigns_type" CHECK ("type" IN ('blast', 'sequence'))`);
    await queryRunner.query(`ALTER TABLE "campaigns" DROP COLUMN "conversation_id"`);
    await queryRunner.query(`ALTER TABLE "templates" DROP COLUMN "one_off"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_conversations_identity"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_conversations_org_activity"`);
    await queryRunner.query(`DROP TABLE "conversations"`);
  }
}
