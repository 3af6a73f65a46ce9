import { MigrationInterface, QueryRunner } from 'typeorm';

export class MessageAttempts1796600000002 implements MigrationInterface {
  name = 'MessageAttempts1796600000002';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "message_attempts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "message_id" uuid NOT NULL, "attempt" integer NOT NULL, "provider_message_id" text, "error_code" text, "error_message" text, "sent_at" TIMESTAMP WITH TIME ZONE, "failed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_32fa8831d7474e6547fb7f87fd4" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_message_attempts_message" ON "message_attempts" ("message_id", "attempt") `);
    await queryRunner.query(
      `ALTER TABLE "message_attempts" ADD CONSTRAINT "FK_3d34fe1572fee307365b9153776" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "message_attempts" ADD CONSTRAINT "FK_16ae0aa47223bf767dfcb242b5e" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "message_attempts" DROP CONSTRAINT "FK_16ae0aa47223bf767dfcb242b5e"`);
    await queryRunner.query(`ALTER TABLE "message_attempts" DROP CONSTRAINT "FK_3d34fe1572fee307365b9153776"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_message_attempts_message"`);
    await queryRunner.query(`DROP TABLE "message_attempts"`);
  }
}
