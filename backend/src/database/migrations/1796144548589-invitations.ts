import { MigrationInterface, QueryRunner } from 'typeorm';

export class Invitations1796144548589 implements MigrationInterface {
  name = 'Invitations1796144548589';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "invitations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "email" text NOT NULL, "name" text, "token_hash" text NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "accepted_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_5dec98cfdfd562e4ad3648bbb07" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_invitations_org_email" ON "invitations" ("organization_id", "email") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_invitations_token_hash" ON "invitations" ("token_hash") `);
    await queryRunner.query(
      `ALTER TABLE "invitations" ADD CONSTRAINT "FK_42d1dbb4d85dc3643fdc6560af0" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "invitations" DROP CONSTRAINT "FK_42d1dbb4d85dc3643fdc6560af0"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_invitations_token_hash"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_invitations_org_email"`);
    await queryRunner.query(`DROP TABLE "invitations"`);
  }
}
