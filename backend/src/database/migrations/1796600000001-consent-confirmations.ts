import { MigrationInterface, QueryRunner } from 'typeorm';

export class ConsentConfirmations1796600000001 implements MigrationInterface {
  name = 'ConsentConfirmations1796600000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "consent_confirmations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "channel" text NOT NULL, "confirmed_by_user_id" uuid, "confirmed_by_api_key_id" uuid, "rows" integer NOT NULL DEFAULT '0', CONSTRAINT "CHK_consent_confirmations_channel" CHECK ("channel" IN ('email', 'sms', 'whatsapp', 'voice')), CONSTRAINT "PK_c83390d13e21baeddfd16e36e53" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_consent_confirmations_org_created" ON "consent_confirmations" ("organization_id", "created_at", "id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "consent_confirmations" ADD CONSTRAINT "FK_c0d424f1fde2d55d415968236bd" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "consent_confirmations" DROP CONSTRAINT "FK_c0d424f1fde2d55d415968236bd"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_consent_confirmations_org_created"`);
    await queryRunner.query(`DROP TABLE "consent_confirmations"`);
  }
}
