import { MigrationInterface, QueryRunner } from 'typeorm';

/** Google OAuth with PKCE: each pending authorization request keeps its code verifier until the callback. */
export class OauthPkce1795260000000 implements MigrationInterface {
  name = 'OauthPkce1795260000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "oauth_states" ADD "code_verifier" text`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "oauth_states" DROP COLUMN "code_verifier"`);
  }
}
