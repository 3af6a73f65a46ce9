import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One foreign key where a message had three (issue 20, item 3): (step, campaign, organization) references the
 * step's own (id, campaign, organization), instead of step, campaign and organization each checked alone.
 * PostgreSQL checks a foreign key with one lookup a row, each a query of its own: materializing 100,000
 * messages spent about 6 µs a message on each (`npm run bench -- write-path`). The one key also holds what
 * the three could not: a message's step belongs to the message's campaign and organization. Deleting a
 * campaign or an organization still takes its messages along, through its steps.
 */
export class MessageStepKey1797900000000 implements MigrationInterface {
  name = 'MessageStepKey1797900000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "campaign_steps" ADD CONSTRAINT "UQ_campaign_steps_key" UNIQUE ("id", "campaign_id", "organization_id")`,
    );
    await queryRunner.query(`ALTER TABLE "messages" DROP CONSTRAINT "FK_c876e7eab12bd7f65dbe978ac93"`);
    await queryRunner.query(`ALTER TABLE "messages" DROP CONSTRAINT "FK_7ee9933e7f3d3f6c5a4cfeb154b"`);
    await queryRunner.query(`ALTER TABLE "messages" DROP CONSTRAINT "FK_f1c6874ea159caa5b964731e216"`);
    await queryRunner.query(
      `ALTER TABLE "messages" ADD CONSTRAINT "FK_messages_step_key" FOREIGN KEY ("step_id", "campaign_id", "organization_id")
         REFERENCES "campaign_steps"("id", "campaign_id", "organization_id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "messages" DROP CONSTRAINT "FK_messages_step_key"`);
    await queryRunner.query(
      `ALTER TABLE "messages" ADD CONSTRAINT "FK_f1c6874ea159caa5b964731e216" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "messages" ADD CONSTRAINT "FK_7ee9933e7f3d3f6c5a4cfeb154b" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "messages" ADD CONSTRAINT "FK_c876e7eab12bd7f65dbe978ac93" FOREIGN KEY ("step_id") REFERENCES "campaign_steps"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`ALTER TABLE "campaign_steps" DROP CONSTRAINT "UQ_campaign_steps_key"`);
  }
}
