import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { OPENAI_INVALID_KEY, startSandbox } from '@cadence/sandbox';
import { ENVELOPE_PATTERN } from '../../common/crypto/secret-box';
import { AppError } from '../../common/errors/app-error';
import { run, startBackend } from '../../test/process-helpers';
import { createTestDatabase, TestDatabase } from '../../test/test-database';
import { startTestApp, TEST_ENCRYPTION_KEY, TestApp } from '../../test/test-app';
import { chatCompletion } from './chat-completions.client';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

const KEY = 'sk-live-0123456789abcdefSECRET';

interface Recorded {
  key: string;
  messages: Array<{ role: string; content: string }>;
}

describe('AI drafting against the sandbox stand-in: settings, drafts, provider errors, sealing, tenancy', () => {
  let t: TestApp;
  let sb: Sandbox;
  let key: string;
  let orgId: string;
  let otherKey: string;

  const draft = (body: unknown, k = key) => t.request('POST', '/api/v1/templates/draft', { key: k, body });
  const requests = async () => ((await (await fetch(`${sb.url}/_sandbox/openai/requests`)).json()) as { items: Recorded[] }).items;
  const clearRequests = () => fetch(`${sb.url}/_sandbox/openai/requests`, { method: 'DELETE' });
  const put = (body: unknown, k = key) => t.request('PUT', '/api/v1/settings/ai', { key: k, body });

  beforeAll(async () => {
    sb = await startSandbox({ port: 0, rateLimits: false });
    t = await startTestApp();
    ({ apiKey: key, organizationId: orgId } = await t.createOrg('Acme'));
    otherKey = (await t.createOrg('Other')).apiKey;
  });
  afterAll(async () => {
    await t?.close();
    await sb?.close();
  });

  it('answers ai_not_configured until the organization sets a provider, and needs the key the first time', async () => {
    const none = await t.request('GET', '/api/v1/settings/ai', { key });
    assert.equal(none.status, 200);
    assert.deepEqual(none.body, { configured: false, baseUrl: null, model: null, hasKey: false, updatedAt: null });
    const res = await draft({ goal: 'Say hello', channel: 'sms' });
    assert.equal(res.status, 409, JSON.stringify(res.body));
    assert.equal(res.body.code, 'ai_not_configured');
    const keyless = await put({ baseUrl: `${sb.url}/v1`, model: 'sandbox-model' });
    assert.equal(keyless.status, 400);
    assert.equal(keyless.body.code, 'validation_failed');
  });

  it('stores the key sealed (the raw column is an envelope, not the key) and never answers it', async () => {
    const res = await put({ baseUrl: `${sb.url}/v1/`, model: 'sandbox-model', apiKey: KEY });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.configured, true);
    assert.equal(res.body.hasKey, true);
    assert.equal(res.body.baseUrl, `${sb.url}/v1`, 'trailing slash trimmed');
    assert.ok(!JSON.stringify(res.body).includes(KEY));
    assert.ok(!JSON.stringify((await t.request('GET', '/api/v1/settings/ai', { key })).body).includes(KEY));
    const rows = await t.dataSource.query<Array<{ api_key: string }>>('SELECT api_key FROM ai_providers WHERE organization_id = $1', [
      orgId,
    ]);
    assert.equal(rows.length, 1);
    assert.notEqual(rows[0].api_key, KEY);
    assert.ok(!rows[0].api_key.includes(KEY));
    assert.match(rows[0].api_key, new RegExp(ENVELOPE_PATTERN));
    // The database refuses plaintext in the column.
    await assert.rejects(t.dataSource.query(`UPDATE ai_providers SET api_key = 'sk-plain' WHERE organization_id = $1`, [orgId]));
  });

  it('drafts a template for each channel that passes the template validation of a save', async () => {
    await clearRequests();
    const email = await draft({
      goal: 'Invite trial users to an onboarding call',
      audience: 'Trial users',
      tone: 'warm',
      channel: 'email',
      fields: ['first_name', 'company'],
    });
    assert.equal(email.status, 200, JSON.stringify(email.body));
    assert.equal(email.body.channel, 'email');
    assert.equal(email.body.model, 'sandbox-model');
    assert.equal(email.body.subject, 'Invite trial users to an onboarding call');
    assert.match(email.body.html, /lead\.company/);
    assert.equal(email.body.body, null);
    const [asked] = await requests();
    assert.equal(asked.key, KEY, 'the opened key is sent to the provider');
    assert.match(asked.messages[0].content, /email message templates/);
    assert.match(asked.messages[1].content, /Audience: Trial users/);
    for (const channel of ['email', 'sms', 'whatsapp', 'voice'] as const) {
      const res = await draft({ goal: 'Spring sale, 20% off', channel });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const { model: _model, ...fields } = res.body;
      const saved = await t.request('POST', '/api/v1/templates', { key, body: { name: `AI ${channel}`, ...stripNulls(fields) } });
      assert.equal(saved.status, 201, `${channel}: ${JSON.stringify(saved.body)}`);
      const preview = await t.request('POST', '/api/v1/templates/preview', { key, body: stripNulls(fields) });
      assert.equal(preview.status, 200, `${channel}: ${JSON.stringify(preview.body)}`);
    }
  });

  it('rewrites, shortens and writes variant B of an existing draft, keeping its channel; nothing is saved', async () => {
    const before = (await t.request('GET', '/api/v1/templates?limit=500', { key })).body.items.length;
    const source = { channel: 'sms', body: 'Hi {{ lead.first_name | default: "there" }}, our spring sale starts today.' };
    const short = await draft({ action: 'shorten', source });
    assert.equal(short.status, 200, JSON.stringify(short.body));
    assert.equal(short.body.channel, 'sms');
    assert.match(short.body.body, /^Short: /);
    const variant = await draft({ action: 'variant', source, goal: 'lead with the discount' });
    assert.match(variant.body.body, /^Variant B: /);
    const rewrite = await draft({ action: 'rewrite', source, tone: 'playful' });
    assert.match(rewrite.body.body, /^Rewritten: /);
    assert.equal((await t.request('GET', '/api/v1/templates?limit=500', { key })).body.items.length, before);
    assert.equal((await draft({ action: 'shorten' })).status, 400, 'an action needs its source');
    assert.equal((await draft({ action: 'shorten', source, channel: 'email' })).status, 400, 'channel must match the source');
    assert.equal((await draft({ channel: 'sms' })).status, 400, 'a new draft needs a goal');
    assert.equal((await draft({ goal: 'x'.repeat(2001), channel: 'sms' })).status, 400, 'goal is bounded');
    assert.equal((await draft({ goal: 'x', channel: 'fax' })).status, 400);
    assert.equal((await draft({ goal: 'x', channel: 'sms', fields: ['not a field'] })).status, 400);
  });

  it('retries once with the validation problems, then answers ai_draft_invalid', async () => {
    await clearRequests();
    const fixed = await draft({ goal: 'Hello [sandbox:invalid-once]', channel: 'sms' });
    assert.equal(fixed.status, 200, JSON.stringify(fixed.body));
    const asked = await requests();
    assert.equal(asked.length, 2, 'asked twice');
    assert.match(asked[1].messages.at(-1)!.content, /body line 1/, 'the problems are fed back');

    await clearRequests();
    const broken = await draft({ goal: 'Hello [sandbox:invalid-template]', channel: 'whatsapp' });
    assert.equal(broken.status, 502);
    assert.equal(broken.body.code, 'ai_draft_invalid');
    assert.ok(broken.body.details.problems.some((p: string) => p.startsWith('whatsapp.name')));
    assert.equal((await requests()).length, 2);

    const malformed = await draft({ goal: 'Hello [sandbox:malformed]', channel: 'email' });
    assert.equal(malformed.status, 502);
    assert.equal(malformed.body.code, 'ai_draft_invalid');
    assert.deepEqual(malformed.body.details.problems, ['the answer is not a JSON object']);
  });

  it('turns provider errors into stable codes: 429, 5xx, a refused key', async () => {
    const limited = await draft({ goal: 'Hello [sandbox:429]', channel: 'sms' });
    assert.equal(limited.status, 503);
    assert.equal(limited.body.code, 'ai_provider_rate_limited');
    assert.equal(limited.body.details.retryAfterSeconds, 1);
    const failed = await draft({ goal: 'Hello [sandbox:500]', channel: 'sms' });
    assert.equal(failed.status, 502);
    assert.equal(failed.body.code, 'ai_provider_error');

    assert.equal((await put({ baseUrl: `${sb.url}/v1`, model: 'sandbox-model', apiKey: OPENAI_INVALID_KEY })).status, 200);
    const refused = await draft({ goal: 'Hello', channel: 'sms' });
    assert.equal(refused.status, 502);
    assert.equal(refused.body.code, 'ai_provider_unauthorized');
    assert.ok(!JSON.stringify(refused.body).includes(OPENAI_INVALID_KEY));
    // Back to the good key; a later save without apiKey keeps it.
    assert.equal((await put({ baseUrl: `${sb.url}/v1`, model: 'sandbox-model', apiKey: KEY })).status, 200);
    assert.equal((await put({ baseUrl: `${sb.url}/v1`, model: 'other-model' })).status, 200);
    await clearRequests();
    const ok = await draft({ goal: 'Hello', channel: 'sms' });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.model, 'other-model');
    assert.equal((await requests())[0].key, KEY);
  });

  it('applies the URL policy to the base URL', async () => {
    for (const baseUrl of [
      'http://169.254.169.254/v1',
      'http://localhost:8080/v1',
      'http://10.1.2.3/v1',
      'https://api.example.com/v1?x=1',
      'https://user:pass@api.example.com/v1',
      'ftp://api.example.com/v1',
    ]) {
      const res = await put({ baseUrl, model: 'm', apiKey: 'k' });
      assert.ok([400].includes(res.status), `${baseUrl}: ${res.status}`);
      assert.ok(['ai_base_url_refused', 'validation_failed'].includes(res.body.code), `${baseUrl}: ${res.body.code}`);
    }
    assert.equal((await t.request('GET', '/api/v1/settings/ai', { key })).body.model, 'other-model', 'unchanged');
  });

  it('keeps each organization to its own provider', async () => {
    const other = await t.request('GET', '/api/v1/settings/ai', { key: otherKey });
    assert.equal(other.status, 200);
    assert.equal(other.body.configured, false);
    assert.equal((await draft({ goal: 'Hello', channel: 'sms' }, otherKey)).body.code, 'ai_not_configured');
    assert.equal((await t.request('DELETE', '/api/v1/settings/ai', { key: otherKey })).status, 204);
    assert.equal((await t.request('GET', '/api/v1/settings/ai', { key })).body.configured, true, "B's delete leaves A's");
    // A ciphertext copied to B's organization does not open there (the key is bound to its organization).
    const otherOrg = (await t.dataSource.query<Array<{ id: string }>>(`SELECT id FROM organizations WHERE name = 'Other'`))[0].id;
    await t.dataSource.query(
      `INSERT INTO ai_providers (organization_id, base_url, model, api_key) SELECT $1, base_url, model, api_key FROM ai_providers WHERE organization_id = $2`,
      [otherOrg, orgId],
    );
    const copied = await draft({ goal: 'Hello', channel: 'sms' }, otherKey);
    assert.equal(copied.status, 500);
    assert.equal(copied.body.code, 'secret_decryption_failed');
    assert.equal((await t.request('DELETE', '/api/v1/settings/ai', { key: otherKey })).status, 204);

    assert.equal((await t.request('DELETE', '/api/v1/settings/ai', { key })).status, 204);
    assert.equal((await t.request('GET', '/api/v1/settings/ai', { key })).body.configured, false);
    assert.equal((await draft({ goal: 'Hello', channel: 'sms' })).body.code, 'ai_not_configured');
  });

  it('bounds the call: a provider that does not answer in time, or answers too much', async () => {
    const server = http.createServer((req, res) => {
      if (req.url?.includes('huge')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('x'.repeat(600 * 1024));
      }
      // Otherwise never answers.
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const slow = await chatCompletion({ baseUrl: base, model: 'm', apiKey: 'k' }, [{ role: 'user', content: 'x' }], 200).catch((e) => e);
      assert.ok(slow instanceof AppError);
      assert.equal(slow.code, 'ai_provider_timeout');
      const huge = await chatCompletion({ baseUrl: `${base}/huge`, model: 'm', apiKey: 'k' }, [{ role: 'user', content: 'x' }]).catch(
        (e) => e,
      );
      assert.ok(huge instanceof AppError);
      assert.equal(huge.code, 'ai_provider_error');
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

/** The real process (dist/main.js), its real stdout at the most verbose level: the key never appears. */
describe('AI drafting: the key never reaches the logs', () => {
  let db: TestDatabase;
  let dataDir: string;
  let sb: Sandbox;
  let backend: Awaited<ReturnType<typeof startBackend>>;

  beforeAll(async () => {
    sb = await startSandbox({ port: 0, rateLimits: false });
    db = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'cadence-ai-logs-'));
    const env = {
      DATABASE_URL: db.url,
      DATA_DIR: dataDir,
      ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      CUSTOM_PROVIDER_URLS: 'on',
      PROVIDER_URL_ALLOWLIST: '127.0.0.1',
      N8N_URL: 'http://127.0.0.1:9',
    };
    backend = await startBackend({ ...env, LOG_LEVEL: 'verbose' });
  });
  afterAll(async () => {
    await backend?.stop();
    await db?.drop();
    await sb?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('logs requests and provider failures without the key', async () => {
    const created = await run('cli.js', ['org:create', '--name', 'Logs'], {
      DATABASE_URL: db.url,
      DATA_DIR: dataDir,
      ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    });
    const { apiKey } = JSON.parse(created.stdout) as { apiKey: string };
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${backend.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    assert.equal((await call('PUT', '/api/v1/settings/ai', { baseUrl: `${sb.url}/v1`, model: 'm', apiKey: KEY })).status, 200);
    assert.equal((await call('POST', '/api/v1/templates/draft', { goal: 'Hi', channel: 'sms' })).status, 200);
    for (const marker of ['[sandbox:429]', '[sandbox:malformed]', '[sandbox:500]'])
      assert.notEqual((await call('POST', '/api/v1/templates/draft', { goal: `Hi ${marker}`, channel: 'sms' })).status, 200);
    assert.equal((await call('PUT', '/api/v1/settings/ai', { baseUrl: 'http://10.0.0.1/v1', model: 'm', apiKey: KEY })).status, 400);
    await new Promise((r) => setTimeout(r, 300));
    const out = backend.output();
    assert.match(out, /settings\/ai/, 'requests were logged');
    assert.match(out, /ai_provider_rate_limited/, 'provider failures were logged');
    assert.ok(!out.includes(KEY), 'the key is not in the logs');
    const i = out.indexOf('0123456789abcdefSECRET');
    assert.equal(i, -1, `no part of the key is in the logs: ${out.slice(Math.max(0, i - 300), i + 100)}`);
  });
});

function stripNulls(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null));
}
