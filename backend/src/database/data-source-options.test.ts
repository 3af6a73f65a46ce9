import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { createTestDatabase, TestDatabase } from '../test/test-database';
import { dataSourceOptions } from './data-source-options';

describe('the backend connections to PostgreSQL', () => {
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
