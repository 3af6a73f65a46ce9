import { MigrationInterface, QueryRunner } from 'typeorm';

export class TriggeredCampaigns1797300000000 implements MigrationInterface {
  name = 'TriggeredCampaigns1797300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."UQ_messages_campaign_step_lead"`);
    await queryRunner.query(
      `CREATE TABLE "lead_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "lead_id" uuid, "name" text NOT NULL, "properties" jsonb NOT NULL DEFAULT '{}', "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "idempotency_key" text, CONSTRAINT "PK_38013d55900c219b7bb52f90122" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_lead_events_lead" ON "lead_events" ("lead_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_lead_events_org_name" ON "lead_events" ("organization_id", "name", "created_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_lead_events_org_created" ON "lead_events" ("organization_id", "created_at", "id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_lead_events_idempotency" ON "lead_events" ("organization_id", "idempotency_key") WHERE "idempotency_key" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "campaign_enrollments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "campaign_id" uuid NOT NULL, "lead_id" uuid, "entry" integer NOT NULL, "event_id" uuid, "exited_at" TIMESTAMP WITH TIME ZONE, "exit_event_id" uuid, CONSTRAINT "PK_8f729844fbf0d8b8488db2252d8" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_campaign_enrollments_campaign_created" ON "campaign_enrollments" ("campaign_id", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_campaign_enrollments_entry" ON "campaign_enrollments" ("campaign_id", "lead_id", "entry") `,
    );
    await queryRunner.query(`ALTER TABLE "campaigns" ADD "trigger" jsonb`);
    await queryRunner.query(`ALTER TABLE "campaigns" DROP CONSTRAINT "CHK_campaigns_type"`);
    await queryRunner.query(
      `ALTER TABLE "campaigns" ADD CONSTRAINT "CHK_campaigns_type" CHECK ("type" IN ('blast', 'sequence', 'triggered', 'reply'))`,
    );
    await queryRunner.query(`ALTER TABLE "messages" ADD "entry" integer NOT NULL DEFAULT '1'`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_messages_campaign_step_lead" ON "messages" ("campaign_id", "step_id", "lead_id", "entry") `,
    );
    await queryRunner.query(
      `ALTER TABLE "campaigns" ADD CONSTRAINT "CHK_campaigns_trigger" CHECK (("type" = 'triggered') = ("trigger" IS NOT NULL))`,
    );
    await queryRunner.query(
      `ALTER TABLE "lead_events" ADD CONSTRAINT "FK_f863c16fd18412002a05e9b8aea" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "lead_events" ADD CONSTRAINT "FK_lead_events_lead" FOREIGN KEY ("lead_id") REFERENCES "leads"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "campaign_enrollments" ADD CONSTRAINT "FK_10c748c429a0905170e3df5cb57" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "campaign_enrollments" ADD CONSTRAINT "FK_campaign_enrollments_campaign" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "campaign_enrollments" ADD CONSTRAINT "FK_campaign_enrollments_lead" FOREIGN KEY ("lead_id") REFERENCES "leads"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "campaign_enrollments" ADD CONSTRAINT "FK_campaign_enrollments_event" FOREIGN KEY ("event_id") REFERENCES "lead_events"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "campaign_enrollments" ADD CONSTRAINT "FK_campaign_enrollments_exit_event" FOREIGN KEY ("exit_event_id") REFERENCES "lead_events"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "campaign_enrollments" DROP CONSTRAINT "FK_campaign_enrollments_exit_event"`);
    await queryRunner.query(`ALTER TABLE "campaign_enrollments" DROP CONSTRAINT "FK_campaign_enrollments_event"`);
    await queryRunner.query(`ALTER TABLE "campaign_enrollments" DROP CONSTRAINT "FK_campaign_enrollments_lead"`);
    await queryRunner.query(`ALTER TABLE "campaign_enrollments" DROP CONSTRAINT "FK_campaign_enrollments_campaign"`);
    await queryRunner.query(`ALTER TABLE "campaign_enrollments" DROP CONSTRAINT "FK_10c748c429a0905170e3df5cb57"`);
    await queryRunner.query(`ALTER TABLE "lead_events" DROP CONSTRAINT "FK_lead_events_lead"`);
    await queryRunner.query(`ALTER TABLE "lead_events" DROP CONSTRAINT "FK_f863c16fd18412002a05e9b8aea"`);
    await queryRunner.query(`ALTER TABLE "campaigns" DROP CONSTRAINT "CHK_campaigns_trigger"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_messages_campaign_step_lead"`);
    await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "entry"`);
    await queryRunner.query(`ALTER TABLE "campaigns" DROP CONSTRAINT "CHK_campaigns_type"`);
    await queryRunner.query(`ALTER TABLE "campaigns" ADD CONSTRAINT "CHK_campaigns_type" CHECK ("type" IN ('blast', 'sequence', 'reply'))`);
    await queryRunner.query(`ALTER TABLE "campaigns" DROP COLUMN "trigger"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_campaign_enrollments_entry"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_campaign_enrollments_campaign_created"`);
    await queryRunner.query(`DROP TABLE "campaign_enrollments"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_lead_events_idempotency"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_lead_events_org_created"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_lead_events_org_name"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_lead_events_lead"`);
    await queryRunner.query(`DROP TABLE "lead_events"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_messages_campaign_step_lead" ON "messages" ("campaign_id", "step_id", "lead_id") `);
  }
}
