import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startBackend } from './process-helpers';
import { createTestDatabase, TestDatabase } from './test-database';

/** The real process (dist/main.js), its real stdout: JSON lines with request ids and no secrets. */
describe('structured logs', () => {
  let db: TestDatabase;
  let dataDir: string;
  let backend: Awaited<ReturnType<typeof startBackend>>;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'cadence-logs-'));
    backend = await startBackend({
      DATABASE_URL: db.url,
      DATA_DIR: dataDir,
      ENCRYPTION_KEY: Buffer.alloc(32, 5).toString('base64'),
      // Set, as in production: left unset, each is generated with a warning that says so (meant for the demo; process.test.ts checks it).
      INTERNAL_API_TOKEN: 'internal-token-of-the-structured-logs-test',
      TRIGGER_SIGNING_SECRET: 'trigger-secret-of-the-structured-logs-test',
    });
  });
  afterAll(async () => {
    await backend?.stop();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const lines = () =>
    backend
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, any>);

  it('every line the backend writes is JSON', () => {
    const written = backend
      .output()
      .split('\n')
      .filter((line) => line.trim() !== '');
    assert.ok(written.length > 0);
    for (const line of written) assert.doesNotThrow(() => JSON.parse(line), line);
  });

  it('a configured start writes no warning or error (whoever runs it reads every one of them)', () => {
    // pino levels: 40 warn, 50 error, 60 fatal. Nest 11 warned here about the logger's legacy `*` route.
    const loud = lines().filter((l) => typeof l.level === 'number' && l.level >= 40);
    assert.deepEqual(
      loud.map((l) => `${l.context ?? ''}: ${l.msg}`),
      [],
    );
  });

  it('each request is logged with its id, echoed in X-Request-Id, and credentials are redacted', async () => {
    const secret = `cad_abcdefgh_${'s'.repeat(43)}`;
    const res = await fetch(`${backend.url}/api/v1/leads`, {
      headers: { authorization: `Bearer ${secret}`, cookie: 'cadence_session=very-secret', 'x-request-id': 'req-test-12345' },
    });
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('x-request-id'), 'req-test-12345');
    await new Promise((r) => setTimeout(r, 300));
    const out = backend.output();
    assert.ok(!out.includes(secret) && !out.includes('very-secret'), 'no credential in the logs');
    const line = lines().find((l) => l.req?.id === 'req-test-12345');
    assert.ok(line, out.slice(-2000));
    assert.equal(line.req.method, 'GET');
    assert.equal(line.res.statusCode, 401);
    assert.equal(line.req.headers, undefined, 'headers are not logged at all');
  });

  it('a request is logged once, inside the API prefix and on the paths outside it (webhooks, tracking, internal API)', async () => {
    const paths = ['/api/v1/leads', '/webhooks/whatsapp/00000000-0000-0000-0000-000000000000', '/t/o/a-token', '/internal/v1/ping'];
    for (const [i, path] of paths.entries())
      await (await fetch(`${backend.url}${path}`, { headers: { 'x-request-id': `req-once-${i}-abcdef` } })).text();
    await new Promise((r) => setTimeout(r, 300));
    for (const [i, path] of paths.entries())
      assert.equal(lines().filter((l) => l.req?.id === `req-once-${i}-abcdef`).length, 1, `log lines of ${path}`);
    assert.equal(
      lines().find((l) => l.req?.id === 'req-once-1-abcdef')?.req.url,
      '/webhooks/whatsapp/00000000-0000-0000-0000-000000000000',
    );
  });

  it('tracking and unsubscribe tokens are cut from logged URLs', async () => {
    await fetch(`${backend.url}/u/some-secret-token-value?x=1`);
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(!backend.output().includes('some-secret-token-value'));
    assert.ok(lines().some((l) => l.req?.url === '/u/[token]'));
  });
});
