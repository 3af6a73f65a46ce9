import { MigrationInterface, QueryRunner } from 'typeorm';

export class WebhookInbox1795229352573 implements MigrationInterface {
  name = 'WebhookInbox1795229352573';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "webhook_inbox" ("id" BIGSERIAL NOT NULL, "organization_id" uuid NOT NULL, "source" text NOT NULL, "event_id" text NOT NULL, "type" text NOT NULL, "message_id" uuid, "provider_message_id" text, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "payload" jsonb NOT NULL DEFAULT '{}', "error_code" text, "error_message" text, "suppress" jsonb, "unsuppress" jsonb, "reply_from" jsonb, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_4b63b831d1a843667b74f0a5fc3" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_webhook_inbox_received" ON "webhook_inbox" ("received_at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_webhook_inbox_received"`);
    await queryRunner.query(`DROP TABLE "webhook_inbox"`);
  }
}
