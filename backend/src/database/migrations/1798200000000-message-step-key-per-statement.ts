import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The step key of a message (its step, of its campaign and organization: migration 1797900000000) checked once
 * per statement instead of once per row (issue 20, item 3). A foreign key runs one lookup query per inserted
 * row, each locking the same step again: enrolling 100,000 recipients ran it 100,000 times for one step, about
 * 7 µs a message of PostgreSQL's CPU (`npm run bench -- write-path`). The triggers below hold the same rules:
 * - an insert names existing steps of the row's campaign and organization: one statement-level check over the
 *   inserted rows (their distinct keys, so a handful of lookups), which locks each named step `FOR KEY SHARE`
 *   as the foreign key did, so a concurrent delete of the step waits for the insert's transaction;
 * - a message's step, campaign and organization never change (the foreign key refused a change to a missing key;
 *   nothing in Cadence changes them): a row trigger on an UPDATE that sets one of those columns, which no
 *   statement of Cadence does, so the lease, the mark and the report do not even evaluate its WHEN clause;
 * - deleting a step (its campaign's or organization's deletion cascades to it) deletes its messages.
 * Errors keep the foreign key's SQLSTATE (23503) and constraint name.
 */
export class MessageStepKeyPerStatement1798200000000 implements MigrationInterface {
  name = 'MessageStepKeyPerStatement1798200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "messages" DROP CONSTRAINT "FK_messages_step_key"`);
    await queryRunner.query(`CREATE FUNCTION messages_step_key_check() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE missing record;
      BEGIN
        SELECT k.step_id, k.campaign_id, k.organization_id INTO missing
          FROM (SELECT DISTINCT step_id, campaign_id, organization_id FROM new_rows) k
          LEFT JOIN LATERAL (
            SELECT true AS found FROM campaign_steps s
             WHERE s.id = k.step_id AND s.campaign_id = k.campaign_id AND s.organization_id = k.organization_id
               FOR KEY SHARE OF s
          ) s ON true
         WHERE s.found IS NULL
         LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'insert or update on table "messages" violates foreign key constraint "FK_messages_step_key"'
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'FK_messages_step_key', TABLE = 'messages',
                  DETAIL = format('Key (step_id, campaign_id, organization_id)=(%s, %s, %s) is not present in table "campaign_steps".',
                                  missing.step_id, missing.campaign_id, missing.organization_id);
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER messages_step_key AFTER INSERT ON messages REFERENCING NEW TABLE AS new_rows
         FOR EACH STATEMENT EXECUTE FUNCTION messages_step_key_check()`,
    );
    await queryRunner.query(`CREATE FUNCTION messages_step_key_unchanged() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'a message''s step, campaign and organization do not change'
          USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'FK_messages_step_key', TABLE = 'messages';
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER messages_step_key_unchanged BEFORE UPDATE OF step_id, campaign_id, organization_id ON messages FOR EACH ROW
         WHEN (OLD.step_id IS DISTINCT FROM NEW.step_id OR OLD.campaign_id IS DISTINCT FROM NEW.campaign_id
               OR OLD.organization_id IS DISTINCT FROM NEW.organization_id)
         EXECUTE FUNCTION messages_step_key_unchanged()`,
    );
    await queryRunner.query(`CREATE FUNCTION campaign_steps_delete_messages() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM messages m USING old_steps o WHERE m.campaign_id = o.campaign_id AND m.step_id = o.id;
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER campaign_steps_delete_messages AFTER DELETE ON campaign_steps REFERENCING OLD TABLE AS old_steps
         FOR EACH STATEMENT EXECUTE FUNCTION campaign_steps_delete_messages()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER campaign_steps_delete_messages ON campaign_steps`);
    await queryRunner.query(`DROP FUNCTION campaign_steps_delete_messages()`);
    await queryRunner.query(`DROP TRIGGER messages_step_key_unchanged ON messages`);
    await queryRunner.query(`DROP FUNCTION messages_step_key_unchanged()`);
    await queryRunner.query(`DROP TRIGGER messages_step_key ON messages`);
    await queryRunner.query(`DROP FUNCTION messages_step_key_check()`);
    await queryRunner.query(
      `ALTER TABLE "messages" ADD CONSTRAINT "FK_messages_step_key" FOREIGN KEY ("step_id", "campaign_id", "organization_id")
         REFERENCES "campaign_steps"("id", "campaign_id", "organization_id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }
}
