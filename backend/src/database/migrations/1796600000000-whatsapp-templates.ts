import { MigrationInterface, QueryRunner } from 'typeorm';

export class WhatsappTemplates1796600000000 implements MigrationInterface {
  name = 'WhatsappTemplates1796600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "whatsapp_templates" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "channel_id" uuid NOT NULL, "waba_id" text NOT NULL, "external_id" text NOT NULL, "name" text NOT NULL, "language" text NOT NULL, "category" text NOT NULL, "status" text NOT NULL, "parameter_format" text NOT NULL DEFAULT 'POSITIONAL', "components" jsonb NOT NULL, "placeholders" jsonb NOT NULL, "synced_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_whatsapp_templates_status" CHECK ("status" IN ('APPROVED', 'PENDING', 'REJECTED', 'PAUSED', 'DISABLED', 'IN_APPEAL', 'PENDING_DELETION', 'DELETED', 'LIMIT_EXCEEDED')), CONSTRAINT "PK_73154f2b6ebc019bc3461ee14eb" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_whatsapp_templates_org_created" ON "whatsapp_templates" ("organization_id", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_whatsapp_templates_identity" ON "whatsapp_templates" ("channel_id", "name", "language") `,
    );
    await queryRunner.query(
      `ALTER TABLE "whatsapp_templates" ADD CONSTRAINT "FK_c43669bf9de9d07bc7fe13302d7" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "whatsapp_templates" ADD CONSTRAINT "FK_655c0210c74b0f64aa129518ee8" FOREIGN KEY ("channel_id") REFERENCES "channel_connections"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "whatsapp_templates" DROP CONSTRAINT "FK_655c0210c74b0f64aa129518ee8"`);
    await queryRunner.query(`ALTER TABLE "whatsapp_templates" DROP CONSTRAINT "FK_c43669bf9de9d07bc7fe13302d7"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_whatsapp_templates_identity"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_whatsapp_templates_org_created"`);
    await queryRunner.query(`DROP TABLE "whatsapp_templates"`);
  }
}
