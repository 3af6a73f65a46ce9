import { MigrationInterface, QueryRunner } from 'typeorm';

export class AbVariants1797600000000 implements MigrationInterface {
  name = 'AbVariants1797600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "campaign_step_variants" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "step_id" uuid NOT NULL, "template_id" uuid NOT NULL, "position" integer NOT NULL, "label" text NOT NULL, "percent" integer NOT NULL, CONSTRAINT "CHK_campaign_step_variants_position" CHECK ("position" BETWEEN 0 AND 4), CONSTRAINT "CHK_campaign_step_variants_percent" CHECK ("percent" BETWEEN 1 AND 99), CONSTRAINT "PK_d71094a08795bf79982cad90f28" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_campaign_step_variants_position" ON "campaign_step_variants" ("step_id", "position") `,
    );
    await queryRunner.query(`ALTER TABLE "campaign_steps" ADD "ab_test" jsonb`);
    await queryRunner.query(`ALTER TABLE "campaign_steps" ADD "variant_seed" uuid`);
    await queryRunner.query(`ALTER TABLE "campaign_steps" ADD "test_started_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "campaign_steps" ADD "winner_variant_id" uuid`);
    await queryRunner.query(`ALTER TABLE "campaign_steps" ADD "decided_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "messages" ADD "variant_id" uuid`);
    await queryRunner.query(
      `ALTER TABLE "campaign_step_variants" ADD CONSTRAINT "FK_5cc398f23a1e61fedba34bb8f21" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "campaign_step_variants" ADD CONSTRAINT "FK_0898a41cdfe8feecd7ec1c9202e" FOREIGN KEY ("step_id") REFERENCES "campaign_steps"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "campaign_step_variants" ADD CONSTRAINT "FK_3f2c3f966dca1570c3328bae49d" FOREIGN KEY ("template_id") REFERENCES "templates"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "campaign_step_variants" DROP CONSTRAINT "FK_3f2c3f966dca1570c3328bae49d"`);
    await queryRunner.query(`ALTER TABLE "campaign_step_variants" DROP CONSTRAINT "FK_0898a41cdfe8feecd7ec1c9202e"`);
    await queryRunner.query(`ALTER TABLE "campaign_step_variants" DROP CONSTRAINT "FK_5cc398f23a1e61fedba34bb8f21"`);
    await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "variant_id"`);
    await queryRunner.query(`ALTER TABLE "campaign_steps" DROP COLUMN "decided_at"`);
    await queryRunner.query(`ALTER TABLE "campaign_steps" DROP COLUMN "winner_variant_id"`);
    await queryRunner.query(`ALTER TABLE "campaign_steps" DROP COLUMN "test_started_at"`);
    await queryRunner.query(`ALTER TABLE "campaign_steps" DROP COLUMN "variant_seed"`);
    await queryRunner.query(`ALTER TABLE "campaign_steps" DROP COLUMN "ab_test"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_campaign_step_variants_position"`);
    await queryRunner.query(`DROP TABLE "campaign_step_variants"`);
  }
}
