import { MigrationInterface, QueryRunner } from 'typeorm';

export class WhatsappNumberLimits1796900000000 implements MigrationInterface {
  name = 'WhatsappNumberLimits1796900000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "whatsapp_number_limits" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "channel_id" uuid NOT NULL, "throughput_level" text NOT NULL, "throughput_per_second" integer NOT NULL, "messaging_limit_tier" text NOT NULL, "daily_limit" integer, "reported_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_4807c816525526099257208c431" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_whatsapp_number_limits_channel" ON "whatsapp_number_limits" ("channel_id") `);
    await queryRunner.query(
      `ALTER TABLE "whatsapp_number_limits" ADD CONSTRAINT "FK_4a9a7555c041e0cb3dcdab21aa6" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "whatsapp_number_limits" ADD CONSTRAINT "FK_268a2d4e5531f392cb27a5d01c9" FOREIGN KEY ("channel_id") REFERENCES "channel_connections"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "whatsapp_number_limits" DROP CONSTRAINT "FK_268a2d4e5531f392cb27a5d01c9"`);
    await queryRunner.query(`ALTER TABLE "whatsapp_number_limits" DROP CONSTRAINT "FK_4a9a7555c041e0cb3dcdab21aa6"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_whatsapp_number_limits_channel"`);
    await queryRunner.query(`DROP TABLE "whatsapp_number_limits"`);
  }
}
