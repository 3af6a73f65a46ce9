import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { createTestDatabase, TestDatabase } from '../test/test-database';
import { dataSourceOptions } from './data-source-options';
import { pendingSchemaChanges, runMigrations } from './migration-runner';

let db: TestDatabase;
let ds: DataSource;

beforeAll(async () => {
  db = await createTestDatabase();
  ds = await new DataSource(dataSourceOptions({ DATABASE_URL: db.url, DATA_DIR: '.data' })).initialize();
});
afterAll(async () => {
  await ds.destroy();
  await db.drop();
});

describe('the backend connections to PostgreSQL', () => {
  it('run without JIT, which compiled the lease query for 1.8 s at every lease of a large campaign', async () => {
    // Several at once: every pooled connection, not only the first, carries the setting.
    const answers = await Promise.all(Array.from({ length: 3 }, () => ds.query<Array<{ jit: string }>>('SHOW jit')));
    assert.deepEqual(
      answers.map(([row]) => row.jit),
      ['off', 'off', 'off'],
    );
    const [{ application_name }] = await ds.query<Array<{ application_name: string }>>('SHOW application_name');
    assert.equal(application_name, 'cadence-backend');
  });
});

describe('migrations', () => {
  it('build the schema the entities describe, with nothing left to change', async () => {
    await runMigrations(ds);
    const pending = await pendingSchemaChanges(ds);
    assert.deepEqual(
      pending,
      [],
      `entities and migrations disagree; run npm run migration:generate -w backend -- <name>:\n${pending.join('\n')}`,
    );
  });

  it('are idempotent when several instances start at once', async () => {
    const again = await Promise.all([runMigrations(ds), runMigrations(ds)]);
    assert.deepEqual(again, [[], []]);
  });

  it('revert cleanly and apply again', async () => {
    for (let i = 0; i < ds.migrations.length; i++) await ds.undoLastMigration({ transaction: 'each' });
    const tables: Array<{ tablename: string }> = await ds.query(
      // TypeORM's own tables stay: the migrations it ran, and the metadata of generated columns.
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('migrations', 'typeorm_metadata')`,
    );
    assert.deepEqual(tables, []);
    await runMigrations(ds);
    assert.deepEqual(await pendingSchemaChanges(ds), []);
  });
});
