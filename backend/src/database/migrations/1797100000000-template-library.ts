import { MigrationInterface, QueryRunner } from 'typeorm';

export class TemplateLibrary1797100000000 implements MigrationInterface {
  name = 'TemplateLibrary1797100000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "templates" ADD "library_category" text`);
    await queryRunner.query(
      `ALTER TABLE "templates" ADD CONSTRAINT "CHK_templates_library_category" CHECK ("library_category" IS NULL OR "library_category" IN ('welcome', 'follow_up', 're_engagement', 'appointment_reminder', 'promotion', 'utility', 'other'))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "templates" DROP CONSTRAINT "CHK_templates_library_category"`);
    await queryRunner.query(`ALTER TABLE "templates" DROP COLUMN "library_category"`);
  }
}
