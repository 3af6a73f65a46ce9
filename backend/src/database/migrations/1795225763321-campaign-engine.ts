import { MigrationInterface, QueryRunner } from 'typeorm';

export class CampaignEngine1795225763321 implements MigrationInterface {
  name = 'CampaignEngine1795225763321';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "idempotency_keys" ("organization_id" uuid NOT NULL, "scope" text NOT NULL, "key" text NOT NULL, "request_hash" text NOT NULL, "status_code" integer NOT NULL, "response" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d9221c4775b179ac6ffa0f8a088" PRIMARY KEY ("organization_id", "scope", "key"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "campaigns" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "name" text NOT NULL, "type" text NOT NULL, "status" text NOT NULL DEFAULT 'draft', "status_reason" text, "sender_channel_id" uuid, "sender_email_account_id" uuid, "audience" jsonb NOT NULL, "settings" jsonb NOT NULL DEFAULT '{}', "audience_size" integer NOT NULL DEFAULT '0', "materialize_cursor" uuid, "materialized_at" TIMESTAMP WITH TIME ZONE, "launched_at" TIMESTAMP WITH TIME ZONE, "completed_at" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_campaigns_one_sender" CHECK (num_nonnulls("sender_channel_id", "sender_email_account_id") = 1), CONSTRAINT "CHK_campaigns_status" CHECK ("status" IN ('draft', 'scheduled', 'active', 'paused', 'completed', 'cancelled')), CONSTRAINT "CHK_campaigns_type" CHECK ("type" IN ('blast', 'sequence')), CONSTRAINT "PK_831e3fcd4fc45b4e4c3f57a9ee4" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_campaigns_status" ON "campaigns" ("status") `);
    await queryRunner.query(`CREATE INDEX "IDX_campaigns_org_created" ON "campaigns" ("organization_id", "created_at", "id") `);
    await queryRunner.query(
      `CREATE TABLE "campaign_steps" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "campaign_id" uuid NOT NULL, "position" integer NOT NULL, "channel" text NOT NULL, "template_id" uuid NOT NULL, "delay_seconds" integer NOT NULL DEFAULT '0', "condition" jsonb, CONSTRAINT "CHK_campaign_steps_delay" CHECK ("delay_seconds" >= 0), CONSTRAINT "CHK_campaign_steps_channel" CHECK ("channel" IN ('email', 'sms', 'whatsapp', 'voice')), CONSTRAINT "PK_24024ac45f2f7b295f325bc14a2" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_campaign_steps_position" ON "campaign_steps" ("campaign_id", "position") `);
    await queryRunner.query(
      `CREATE TABLE "campaign_runs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "campaign_id" uuid NOT NULL, "shard" integer NOT NULL DEFAULT '0', "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_da3eaaf120b4a3a3a599d91ceaa" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_campaign_runs_campaign" ON "campaign_runs" ("campaign_id", "last_seen_at") `);
    await queryRunner.query(
      `CREATE TABLE "sender_ledgers" ("sender_key" text NOT NULL, "organization_id" uuid NOT NULL, "tat" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_66ea11911cc67914faaa60033b5" PRIMARY KEY ("sender_key"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "sender_usage" ("sender_key" text NOT NULL, "hour" TIMESTAMP WITH TIME ZONE NOT NULL, "count" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_c3928c68fa0478f34b27319c8ce" PRIMARY KEY ("sender_key", "hour"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "messages" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "campaign_id" uuid NOT NULL, "step_id" uuid NOT NULL, "lead_id" uuid, "position" integer NOT NULL, "channel" text NOT NULL, "status" text NOT NULL DEFAULT 'queued', "skip_reason" text, "to_address" text, "due_at" TIMESTAMP WITH TIME ZONE, "run_id" uuid, "lease_id" uuid, "lease_expires_at" TIMESTAMP WITH TIME ZONE, "attempts" integer NOT NULL DEFAULT '0', "provider_message_id" text, "error_code" text, "error_message" text, "sent_at" TIMESTAMP WITH TIME ZONE, "delivered_at" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_messages_skip_reason" CHECK (("status" = 'skipped') = ("skip_reason" IS NOT NULL)), CONSTRAINT "CHK_messages_status" CHECK ("status" IN ('queued', 'leased', 'sending', 'sent', 'delivered', 'failed', 'unknown', 'skipped')), CONSTRAINT "PK_18325f38ae6de43878487eff986" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_messages_lead" ON "messages" ("lead_id", "campaign_id", "position") `);
    await queryRunner.query(`CREATE INDEX "IDX_messages_campaign_status" ON "messages" ("campaign_id", "status", "id") `);
    await queryRunner.query(
      `CREATE INDEX "IDX_messages_provider_id" ON "messages" ("provider_message_id") WHERE "provider_message_id" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_messages_lease_expiry" ON "messages" ("lease_expires_at") WHERE "status" IN ('leased', 'sending')`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_messages_open" ON "messages" ("campaign_id") WHERE "status" IN ('queued', 'leased', 'sending')`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_messages_due" ON "messages" ("campaign_id", "due_at") WHERE "status" = 'queued'`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_messages_campaign_step_lead" ON "messages" ("campaign_id", "step_id", "lead_id") `);
    await queryRunner.query(
      `CREATE TABLE "message_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "message_id" uuid, "source" text NOT NULL, "event_id" text NOT NULL, "type" text NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "payload" jsonb NOT NULL DEFAULT '{}', CONSTRAINT "PK_1ee7d4682c056e24ee0b00d1e3b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_message_events_message" ON "message_events" ("message_id", "occurred_at") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_message_events_source_event" ON "message_events" ("source", "event_id") `);
    await queryRunner.query(
      `CREATE TABLE "outbox" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "kind" text NOT NULL, "payload" jsonb NOT NULL, "available_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "attempts" integer NOT NULL DEFAULT '0', "last_error" text, "delivered_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_340ab539f309f03bdaa14aa7649" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_outbox_pending" ON "outbox" ("available_at") WHERE "delivered_at" IS NULL`);
    await queryRunner.query(
      `ALTER TABLE "campaigns" ADD CONSTRAINT "FK_b82fcefa3141cf82e4eb695b73c" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "campaigns" ADD CONSTRAINT "FK_47d4669e0428756f80720450710" FOREIGN KEY ("sender_channel_id") REFERENCES "channel_connections"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "campaigns" ADD CONSTRAINT "FK_b2ca929f5d41d49e6f9487cbb17" FOREIGN KEY ("sender_email_account_id") REFERENCES "email_accounts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "campaign_steps" ADD CONSTRAINT "FK_248bf562bacafced676898b3f21" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "campaign_steps" ADD CONSTRAINT "FK_499d4a88839934017b5a7d3d986" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "campaign_steps" ADD CONSTRAINT "FK_4282e4a90ba373b93aace9cfb7f" FOREIGN KEY ("template_id") REFERENCES "templates"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "campaign_runs" ADD CONSTRAINT "FK_7d6574817d7999919a0a83481bd" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "campaign_runs" ADD CONSTRAINT "FK_f0a2abf1ec7c00c91549ded5b3c" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "messages" ADD CONSTRAINT "FK_f1c6874ea159caa5b964731e216" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "messages" ADD CONSTRAINT "FK_7ee9933e7f3d3f6c5a4cfeb154b" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "messages" ADD CONSTRAINT "FK_c876e7eab12bd7f65dbe978ac93" FOREIGN KEY ("step_id") REFERENCES "campaign_steps"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "messages" ADD CONSTRAINT "FK_5cba80c8f9b3fa687a0dff75736" FOREIGN KEY ("lead_id") REFERENCES "leads"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "message_events" ADD CONSTRAINT "FK_2b14e53f470e79399939e47dd5f" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "message_events" ADD CONSTRAINT "FK_f898c800595db4f3ce702e466bc" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "message_events" DROP CONSTRAINT "FK_f898c800595db4f3ce702e466bc"`);
    await queryRunner.query(`ALTER TABLE "message_events" DROP CONSTRAINT "FK_2b14e53f470e79399939e47dd5f"`);
    await queryRunner.query(`ALTER TABLE "messages" DROP CONSTRAINT "FK_5cba80c8f9b3fa687a0dff75736"`);
    await queryRunner.query(`ALTER TABLE "messages" DROP CONSTRAINT "FK_c876e7eab12bd7f65dbe978ac93"`);
    await queryRunner.query(`ALTER TABLE "messages" DROP CONSTRAINT "FK_7ee9933e7f3d3f6c5a4cfeb154b"`);
    await queryRunner.query(`ALTER TABLE "messages" DROP CONSTRAINT "FK_f1c6874ea159caa5b964731e216"`);
    await queryRunner.query(`ALTER TABLE "campaign_runs" DROP CONSTRAINT "FK_f0a2abf1ec7c00c91549ded5b3c"`);
    await queryRunner.query(`ALTER TABLE "campaign_runs" DROP CONSTRAINT "FK_7d6574817d7999919a0a83481bd"`);
    await queryRunner.query(`ALTER TABLE "campaign_steps" DROP CONSTRAINT "FK_4282e4a90ba373b93aace9cfb7f"`);
    await queryRunner.query(`ALTER TABLE "campaign_steps" DROP CONSTRAINT "FK_499d4a88839934017b5a7d3d986"`);
    await queryRunner.query(`ALTER TABLE "campaign_steps" DROP CONSTRAINT "FK_248bf562bacafced676898b3f21"`);
    await queryRunner.query(`ALTER TABLE "campaigns" DROP CONSTRAINT "FK_b2ca929f5d41d49e6f9487cbb17"`);
    await queryRunner.query(`ALTER TABLE "campaigns" DROP CONSTRAINT "FK_47d4669e0428756f80720450710"`);
    await queryRunner.query(`ALTER TABLE "campaigns" DROP CONSTRAINT "FK_b82fcefa3141cf82e4eb695b73c"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_outbox_pending"`);
    await queryRunner.query(`DROP TABLE "outbox"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_message_events_source_event"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_message_events_message"`);
    await queryRunner.query(`DROP TABLE "message_events"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_messages_campaign_step_lead"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_messages_due"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_messages_open"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_messages_lease_expiry"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_messages_provider_id"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_messages_campaign_status"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_messages_lead"`);
    await queryRunner.query(`DROP TABLE "messages"`);
    await queryRunner.query(`DROP TABLE "sender_usage"`);
    await queryRunner.query(`DROP TABLE "sender_ledgers"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_campaign_runs_campaign"`);
    await queryRunner.query(`DROP TABLE "campaign_runs"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_campaign_steps_position"`);
    await queryRunner.query(`DROP TABLE "campaign_steps"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_campaigns_org_created"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_campaigns_status"`);
    await queryRunner.query(`DROP TABLE "campaigns"`);
    await queryRunner.query(`DROP TABLE "idempotency_keys"`);
  }
}
