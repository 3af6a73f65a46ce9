import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { run, startBackend } from './process-helpers';
import { TEST_ENCRYPTION_KEY } from './test-app';
import { createTestDatabase, TestDatabase } from './test-database';

describe('configuration', () => {
  it('a bad variable stops the process and is named', async () => {
    const res = await run('main.js', [], { PORT: 'eighty', DATABASE_URL: 'mysql://nope' });
    assert.equal(res.code, 1);
    assert.match(res.stderr, /PORT/);
    assert.match(res.stderr, /DATABASE_URL must be a postgres:\/\//);
    assert.doesNotMatch(res.stderr, /at \w+ \(/, 'no stack trace for a configuration error');
  });

  it('production refuses to start without an encryption key', async () => {
    const res = await run('main.js', [], { NODE_ENV: 'production', DATABASE_URL: 'postgres://localhost/x' });
    assert.equal(res.code, 1);
    assert.match(res.stderr, /ENCRYPTION_KEY: required when NODE_ENV=production/);
  });
});

describe('CLI on PostgreSQL', () => {
  let db: TestDatabase;
  let dataDir: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'cadence-cli-'));
  });
  afterAll(async () => {
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('org:create prints exactly one JSON line with the organization and its key', async () => {
    const env = { DATABASE_URL: db.url, DATA_DIR: dataDir, ENCRYPTION_KEY: TEST_ENCRYPTION_KEY };
    const res = await run('cli.js', ['org:create', '--name', 'Acme Corp'], env);
    assert.equal(res.code, 0, res.stderr);
    const lines = res.stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    const out = JSON.parse(lines[0]);
    assert.match(out.organizationId, /^[0-9a-f-]{36}$/);
    assert.match(out.apiKey, /^cad_[0-9a-f]{16}_/);
    const list = JSON.parse((await run('cli.js', ['org:list'], env)).stdout);
    assert.deepEqual(
      list.map((o: { name: string }) => o.name),
      ['Acme Corp'],
    );
  });

  it('usage errors exit 2 with help', async () => {
    const res = await run('cli.js', ['org:create'], { DATABASE_URL: db.url, DATA_DIR: dataDir, ENCRYPTION_KEY: TEST_ENCRYPTION_KEY });
    assert.equal(res.code, 2);
    assert.match(res.stderr, /--name is required/);
    assert.equal(res.stdout, '');
  });
});

describe('smoke: the backend on embedded PGlite', () => {
  let dataDir: string;
  let backend: Awaited<ReturnType<typeof startBackend>>;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cadence-pglite-'));
    backend = await startBackend({ DATA_DIR: dataDir });
  });
  afterAll(async () => {
    await backend?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts with nothing configured, migrates, and reports its database', async () => {
    const health = (await (await fetch(`${backend.url}/health`)).json()) as any;
    assert.equal(health.database.status, 'up');
    assert.equal(health.database.kind, 'pglite');
    assert.match(backend.output(), /generated one at/, 'an encryption key was generated for the demo');
  });

  it('the CLI hands its command to the running backend, and the key works', async () => {
    const res = await run('cli.js', ['org:create', '--name', 'Embedded'], { DATA_DIR: dataDir });
    assert.equal(res.code, 0, res.stderr);
    const { apiKey } = JSON.parse(res.stdout);
    const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
    const created = await fetch(`${backend.url}/api/v1/leads`, {
      method: 'POST',
      headers,
      body: JSON.stringify([{ email: 'a@example.com', consent: { email: true } }, { phone: '+14155550123' }]),
    });
    assert.equal(created.status, 201);
    const csv = await fetch(`${backend.url}/api/v1/leads/import`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'text/csv' },
      body: 'email,first_name\nb@example.com,B\nbad,C\n',
    });
    const report = (await csv.json()) as any;
    assert.deepEqual([report.created, report.failed], [1, 1]);
    const list = (await (await fetch(`${backend.url}/api/v1/leads?hasEmail=true`, { headers })).json()) as any;
    assert.deepEqual(list.items.map((l: { email: string }) => l.email).sort(), ['a@example.com', 'b@example.com']);
  });

  it('a second backend on the same data folder refuses to start', async () => {
    const res = await run('main.js', [], { DATA_DIR: dataDir, PORT: '0' });
    assert.equal(res.code, 1);
    assert.match(res.stderr, /Another backend .* is using the embedded database/);
  });
});
