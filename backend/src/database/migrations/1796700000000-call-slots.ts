import { MigrationInterface, QueryRunner } from 'typeorm';

export class CallSlots1796700000000 implements MigrationInterface {
  name = 'CallSlots1796700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "call_slots" ("slot_key" text NOT NULL, "message_id" uuid NOT NULL, "organization_id" uuid NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_call_slots" PRIMARY KEY ("slot_key", "message_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_call_slots_message" ON "call_slots" ("message_id") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_call_slots_message"`);
    await queryRunner.query(`DROP TABLE "call_slots"`);
  }
}
