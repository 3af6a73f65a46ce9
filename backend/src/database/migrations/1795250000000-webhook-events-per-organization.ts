import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Provider events are unique per organization, not globally: a callback on one tenant's channel could
 * otherwise make another tenant's genuine event with the same provider id (an inbound STOP) a no-op.
 */
export class WebhookEventsPerOrganization1795250000000 implements MigrationInterface {
  name = 'WebhookEventsPerOrganization1795250000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_message_events_org_source_event" ON "message_events" ("organization_id", "source", "event_id") `,
    );
    await queryRunner.query(`DROP INDEX "public"."UQ_message_events_source_event"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_message_events_source_event" ON "message_events" ("source", "event_id") `);
    await queryRunner.query(`DROP INDEX "public"."UQ_message_events_org_source_event"`);
  }
}
