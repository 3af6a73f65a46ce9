import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { CookieJar, GoogleStack, runFlow, startGoogleSandbox } from '../../test/google-flow';
import { startTestApp, TestApp } from '../../test/test-app';

// The Settings page manages keys with a person's session (cookie + CSRF header), not with a key.
describe('API keys managed from a web session', () => {
  let t: TestApp;
  let google: GoogleStack;
  const jar = new CookieJar();
  let csrf: string;

  const web = (method: string, path: string, body?: unknown, withCsrf = true) =>
    t.request(method, `/api/v1${path}`, { body, headers: { cookie: jar.header(), ...(withCsrf && { 'x-csrf-token': csrf }) } });

  beforeAll(async () => {
    google = await startGoogleSandbox();
    t = await startTestApp({ env: { ...google.env, SIGNUP_MODE: 'open' } });
    await runFlow(`${t.baseUrl}/auth/google`, jar, t.baseUrl, { email: 'ann@keys.test' });
    csrf = (await web('GET', '/session', undefined, false)).body.csrfToken;
    assert.ok(csrf);
  });
  afterAll(async () => {
    await t?.close();
    await google?.close();
  });

  let issued: { id: string; key: string; prefix: string };

  it('creates a key: the full key once, then only its prefix; a cookie call without the CSRF header is refused', async () => {
    const refused = await web('POST', '/api-keys', { name: 'zapier' }, false);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, 'csrf_failed');

    const res = await web('POST', '/api-keys', { name: 'zapier' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    issued = res.body;
    assert.match(issued.key, new RegExp(`^cad_${issued.prefix}_[A-Za-z0-9_-]{43}$`));

    const list = await web('GET', '/api-keys');
    assert.equal(list.status, 200);
    const row = (list.body.items as Array<Record<string, unknown>>).find((k) => k.id === issued.id)!;
    assert.deepEqual(Object.keys(row).sort(), ['createdAt', 'id', 'lastUsedAt', 'name', 'prefix', 'revokedAt']);
    assert.equal(row.lastUsedAt, null);
    assert.ok(!JSON.stringify(list.body).includes(issued.key.slice(`cad_${issued.prefix}_`.length)), 'the secret part is never listed');
  });

  it('the key works for the same organization and records its last use', async () => {
    const leads = await t.request('GET', '/api/v1/leads', { key: issued.key });
    assert.equal(leads.status, 200);
    const own = await t.request('GET', '/api/v1/session', { key: issued.key });
    assert.equal(own.body.organization.id, (await web('GET', '/session')).body.organization.id);
    let lastUsedAt: string | null = null;
    for (let i = 0; i < 50 && !lastUsedAt; i++) {
      lastUsedAt = (await web('GET', '/api-keys')).body.items.find((k: { id: string }) => k.id === issued.id).lastUsedAt;
      if (!lastUsedAt) await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(lastUsedAt, 'lastUsedAt is recorded');
  });

  it('revoking from the session stops the key at once (401 api_key_revoked); another organization cannot revoke it', async () => {
    const other = await t.createOrg('Other');
    const foreign = await t.request('POST', `/api/v1/api-keys/${issued.id}/revoke`, { key: other.apiKey });
    assert.equal(foreign.status, 404);
    assert.equal(foreign.body.code, 'api_key_not_found');
    assert.equal((await t.request('GET', '/api/v1/leads', { key: issued.key })).status, 200);

    const revoked = await web('POST', `/api-keys/${issued.id}/revoke`);
    assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
    assert.ok(revoked.body.revokedAt);
    const after = await t.request('GET', '/api/v1/leads', { key: issued.key });
    assert.equal(after.status, 401);
    assert.equal(after.body.code, 'api_key_revoked');
  });
});
