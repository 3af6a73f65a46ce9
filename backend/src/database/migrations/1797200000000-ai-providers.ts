import { MigrationInterface, QueryRunner } from 'typeorm';

export class AiProviders1797200000000 implements MigrationInterface {
  name = 'AiProviders1797200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "ai_providers" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "base_url" text NOT NULL, "model" text NOT NULL, "api_key" text NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_ai_providers_api_key_sealed" CHECK ("api_key" ~ '^v1\\.[0-9a-f]{8}\\.[A-Za-z0-9_-]{16}\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]+$'), CONSTRAINT "PK_de28ebefc0fb425c37b27a4c0a7" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_ai_providers_organization" ON "ai_providers" ("organization_id") `);
    await queryRunner.query(
      `ALTER TABLE "ai_providers" ADD CONSTRAINT "FK_fa0630024ca0fb99c5d539c3fb5" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ai_providers" DROP CONSTRAINT "FK_fa0630024ca0fb99c5d539c3fb5"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_ai_providers_organization"`);
    await queryRunner.query(`DROP TABLE "ai_providers"`);
  }
}
