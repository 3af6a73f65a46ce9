import { MigrationInterface, QueryRunner } from 'typeorm';

/** The foreign key TypeORM named for `messages.lead_id`, dropped here and restored by `down`. */
const LEAD_FOREIGN_KEY = 'FK_5cba80c8f9b3fa687a0dff75736';

/**
 * A message's lead checked once per statement instead of once per row (issue 20, item 3), as migration
 * 1798200000000 did for its step. The foreign key ran one lookup query per inserted message, each locking its
 * lead: enrolling a campaign paid it for every recipient, about 4 µs of PostgreSQL's CPU a message (a scratch
 * probe of 100,000 enrolled messages, 23.4 against 19.4 µs; without any check at all, 18.0). The triggers below
 * hold the same rules, with the foreign key's SQLSTATE (23503):
 * - an insert names existing leads: one statement-level check over the inserted rows' distinct leads, which locks
 *   each `FOR KEY SHARE` as the foreign key did, so a concurrent delete of the lead waits for the insert's
 *   transaction and then finds its messages;
 * - an update that sets `lead_id` to another lead names an existing one (no statement of Cadence does: the lease,
 *   the mark and the report never evaluate its WHEN clause);
 * - deleting leads sets their messages' `lead_id` to NULL (ON DELETE SET NULL: the log outlives the lead), one
 *   statement for every lead the DELETE took rather than one per lead.
 * The delete's statement reads the messages committed before it, as the foreign key's action did under READ
 * COMMITTED (the isolation every transaction of Cadence runs at).
 */
export class MessageLeadKeyPerStatement1798500000000 implements MigrationInterface {
  name = 'MessageLeadKeyPerStatement1798500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "messages" DROP CONSTRAINT "${LEAD_FOREIGN_KEY}"`);
    await queryRunner.query(`CREATE FUNCTION messages_lead_key_check() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE missing uuid;
      BEGIN
        SELECT k.lead_id INTO missing
          FROM (SELECT DISTINCT lead_id FROM new_rows WHERE lead_id IS NOT NULL) k
          LEFT JOIN LATERAL (SELECT true AS found FROM leads l WHERE l.id = k.lead_id FOR KEY SHARE OF l) l ON true
         WHERE l.found IS NULL
         LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'insert or update on table "messages" violates foreign key constraint "FK_messages_lead"'
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'FK_messages_lead', TABLE = 'messages',
                  DETAIL = format('Key (lead_id)=(%s) is not present in table "leads".', missing);
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER messages_lead_key AFTER INSERT ON messages REFERENCING NEW TABLE AS new_rows
         FOR EACH STATEMENT EXECUTE FUNCTION messages_lead_key_check()`,
    );
    await queryRunner.query(`CREATE FUNCTION messages_lead_key_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM 1 FROM leads WHERE id = NEW.lead_id FOR KEY SHARE;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'insert or update on table "messages" violates foreign key constraint "FK_messages_lead"'
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'FK_messages_lead', TABLE = 'messages',
                  DETAIL = format('Key (lead_id)=(%s) is not present in table "leads".', NEW.lead_id);
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER messages_lead_key_changed BEFORE UPDATE OF lead_id ON messages FOR EACH ROW
         WHEN (NEW.lead_id IS NOT NULL AND NEW.lead_id IS DISTINCT FROM OLD.lead_id)
         EXECUTE FUNCTION messages_lead_key_changed()`,
    );
    await queryRunner.query(`CREATE FUNCTION leads_release_messages() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE messages SET lead_id = NULL WHERE lead_id IN (SELECT id FROM old_leads);
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER leads_release_messages AFTER DELETE ON leads REFERENCING OLD TABLE AS old_leads
         FOR EACH STATEMENT EXECUTE FUNCTION leads_release_messages()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER leads_release_messages ON leads`);
    await queryRunner.query(`DROP FUNCTION leads_release_messages()`);
    await queryRunner.query(`DROP TRIGGER messages_lead_key_changed ON messages`);
    await queryRunner.query(`DROP FUNCTION messages_lead_key_changed()`);
    await queryRunner.query(`DROP TRIGGER messages_lead_key ON messages`);
    await queryRunner.query(`DROP FUNCTION messages_lead_key_check()`);
    await queryRunner.query(
      `ALTER TABLE "messages" ADD CONSTRAINT "${LEAD_FOREIGN_KEY}" FOREIGN KEY ("lead_id") REFERENCES "leads"("id")
         ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
  }
}
