import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1795225261558 implements MigrationInterface {
  name = 'InitialSchema1795225261558';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "organizations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6b031fcd0863e3f6b44230163f9" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "api_keys" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "name" text NOT NULL, "prefix" text NOT NULL, "secret_hash" text NOT NULL, "last_used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_5c8a79801b44bd27b79228e1dad" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_api_keys_prefix" ON "api_keys" ("prefix") `);
    await queryRunner.query(
      `CREATE TABLE "channel_connections" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "type" text NOT NULL, "name" text NOT NULL, "config" jsonb NOT NULL, "secrets" text NOT NULL, "status" text NOT NULL DEFAULT 'untested', "last_tested_at" TIMESTAMP WITH TIME ZONE, "last_error" text, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_channel_connections_secrets_sealed" CHECK ("secrets" ~ '^v1\\.[0-9a-f]{8}\\.[A-Za-z0-9_-]{16}\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]+$'), CONSTRAINT "CHK_channel_connections_status" CHECK ("status" IN ('untested', 'connected', 'error')), CONSTRAINT "CHK_channel_connections_type" CHECK ("type" IN ('mailgun', 'twilio', 'whatsapp')), CONSTRAINT "PK_2ae1fe901084592fd4d6795faea" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_channel_connections_org_created" ON "channel_connections" ("organization_id", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "email_accounts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "provider" text NOT NULL DEFAULT 'gmail', "email" text NOT NULL, "scopes" text array NOT NULL DEFAULT '{}', "status" text NOT NULL DEFAULT 'connected', "is_primary" boolean NOT NULL DEFAULT false, "daily_cap" integer NOT NULL DEFAULT '500', "tokens" text, "access_token_expires_at" TIMESTAMP WITH TIME ZONE, "last_error" text, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_email_accounts_tokens_sealed" CHECK ("tokens" IS NULL OR "tokens" ~ '^v1\\.[0-9a-f]{8}\\.[A-Za-z0-9_-]{16}\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]+$'), CONSTRAINT "CHK_email_accounts_status" CHECK ("status" IN ('connected', 'reauth_required', 'disconnected')), CONSTRAINT "PK_ba6b058deddd01dd99377a65ce0" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_email_accounts_org_primary" ON "email_accounts" ("organization_id") WHERE "is_primary"`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_email_accounts_org_email" ON "email_accounts" ("organization_id", "email") `);
    await queryRunner.query(
      `CREATE TABLE "leads" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "email" text, "phone" text, "first_name" text, "last_name" text, "timezone" text, "attributes" jsonb NOT NULL DEFAULT '{}', "consent" jsonb NOT NULL DEFAULT '{}', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_leads_has_address" CHECK ("email" IS NOT NULL OR "phone" IS NOT NULL), CONSTRAINT "PK_cd102ed7a9a4ca7d4d8bfeba406" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_leads_org_created" ON "leads" ("organization_id", "created_at", "id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_leads_org_phone" ON "leads" ("organization_id", "phone") WHERE "phone" IS NOT NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_leads_org_email" ON "leads" ("organization_id", "email") WHERE "email" IS NOT NULL`);
    await queryRunner.query(
      `CREATE TABLE "suppressions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "channel" text NOT NULL, "address" text NOT NULL, "reason" text NOT NULL, "source" text NOT NULL DEFAULT 'api', CONSTRAINT "CHK_suppressions_reason" CHECK ("reason" IN ('unsubscribed', 'bounced', 'complained', 'stop', 'manual')), CONSTRAINT "CHK_suppressions_channel" CHECK ("channel" IN ('email', 'sms', 'whatsapp', 'voice')), CONSTRAINT "PK_77bb19dbc77a4ce0ca8cb743f3b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_suppressions_org_created" ON "suppressions" ("organization_id", "created_at", "id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_suppressions_org_channel_address" ON "suppressions" ("organization_id", "channel", "address") `,
    );
    await queryRunner.query(
      `CREATE TABLE "templates" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "name" text NOT NULL, "channel" text NOT NULL, "subject" text, "html" text, "text" text, "body" text, "whatsapp" jsonb, "voice" jsonb, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_templates_channel" CHECK ("channel" IN ('email', 'sms', 'whatsapp', 'voice')), CONSTRAINT "PK_515948649ce0bbbe391de702ae5" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_templates_org_created" ON "templates" ("organization_id", "created_at", "id") `);
    await queryRunner.query(
      `ALTER TABLE "api_keys" ADD CONSTRAINT "FK_a283bdef18876e525aefaec042f" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "channel_connections" ADD CONSTRAINT "FK_bdb7f3b2fd5be1668271fa6b333" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "email_accounts" ADD CONSTRAINT "FK_162eb2b3082e24aaf53c939ecf2" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "leads" ADD CONSTRAINT "FK_3e1b3f24e7d9a8d07c586ace1b2" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "suppressions" ADD CONSTRAINT "FK_6c718b27e97d94eb75578b27ba9" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "templates" ADD CONSTRAINT "FK_e1a4d8ae904ce011b0a81a089a1" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "templates" DROP CONSTRAINT "FK_e1a4d8ae904ce011b0a81a089a1"`);
    await queryRunner.query(`ALTER TABLE "suppressions" DROP CONSTRAINT "FK_6c718b27e97d94eb75578b27ba9"`);
    await queryRunner.query(`ALTER TABLE "leads" DROP CONSTRAINT "FK_3e1b3f24e7d9a8d07c586ace1b2"`);
    await queryRunner.query(`ALTER TABLE "email_accounts" DROP CONSTRAINT "FK_162eb2b3082e24aaf53c939ecf2"`);
    await queryRunner.query(`ALTER TABLE "channel_connections" DROP CONSTRAINT "FK_bdb7f3b2fd5be1668271fa6b333"`);
    await queryRunner.query(`ALTER TABLE "api_keys" DROP CONSTRAINT "FK_a283bdef18876e525aefaec042f"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_templates_org_created"`);
    await queryRunner.query(`DROP TABLE "templates"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_suppressions_org_channel_address"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_suppressions_org_created"`);
    await queryRunner.query(`DROP TABLE "suppressions"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_leads_org_email"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_leads_org_phone"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_leads_org_created"`);
    await queryRunner.query(`DROP TABLE "leads"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_email_accounts_org_email"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_email_accounts_org_primary"`);
    await queryRunner.query(`DROP TABLE "email_accounts"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_channel_connections_org_created"`);
    await queryRunner.query(`DROP TABLE "channel_connections"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_api_keys_prefix"`);
    await queryRunner.query(`DROP TABLE "api_keys"`);
    await queryRunner.query(`DROP TABLE "organizations"`);
  }
}
