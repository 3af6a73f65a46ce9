import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startTestApp, TestApp } from '../../test/test-app';

const twilio = (baseUrl = 'http://127.0.0.1:9') => ({
  type: 'twilio',
  name: 'Support line',
  config: { accountSid: `AC${'1'.repeat(32)}`, from: '+14155550100', baseUrl },
  secrets: { authToken: 'super-secret-auth-token-1234' },
});

describe('channel connections and secrets at rest', () => {
  let t: TestApp;
  let org: { organizationId: string; apiKey: string };
  let key: string;

  beforeAll(async () => {
    t = await startTestApp();
    org = await t.createOrg();
    key = org.apiKey;
  });
  afterAll(() => t.close());

  it('stores secrets sealed and never returns them', async () => {
    const res = await t.request('POST', '/api/v1/channels', { key, body: twilio() });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.config.ratePerSecond, 1, 'a long-code Twilio number defaults to 1 msg/s');
    assert.deepEqual(res.body.secrets, { authToken: '…1234' });
    const listed = JSON.stringify((await t.request('GET', '/api/v1/channels', { key })).body);
    assert.ok(!listed.includes('super-secret-auth-token'));
    const [row] = await t.dataSource.query('SELECT secrets FROM channel_connections WHERE id = $1', [res.body.id]);
    assert.match(row.secrets, /^v1\.[0-9a-f]{8}\./);
    assert.ok(!row.secrets.includes('super-secret'));
  });

  it('validates each provider config with field-level details', async () => {
    const res = await t.request('POST', '/api/v1/channels', {
      key,
      body: { type: 'mailgun', name: 'mg', config: { domain: 'not a domain' }, secrets: {} },
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 'validation_failed');
    const fields = res.body.details.map((d: { field: string }) => d.field);
    for (const f of ['config.domain', 'config.from', 'secrets.apiKey', 'secrets.webhookSigningKey'])
      assert.ok(fields.includes(f), `${f} reported`);
    const wa = await t.request('POST', '/api/v1/channels', {
      key,
      body: { type: 'whatsapp', name: 'wa', config: { phoneNumberId: '1234567890' }, secrets: { accessToken: 't', appSecret: 's' } },
    });
    assert.equal(wa.status, 201);
    assert.equal(wa.body.config.ratePerSecond, 80);
  });

  it('the database refuses plaintext secrets whatever the code path', async () => {
    await assert.rejects(
      t.dataSource.query(
        `INSERT INTO channel_connections (organization_id, type, name, config, secrets) VALUES ($1, 'twilio', 'raw', '{}', '{"authToken":"plain"}')`,
        [org.organizationId],
      ),
      /CHK_channel_connections_secrets_sealed/,
    );
    await assert.rejects(
      t.dataSource.query(
        `INSERT INTO email_accounts (organization_id, email, tokens) VALUES ($1, 'x@example.com', '{"refresh_token":"plain"}')`,
        [org.organizationId],
      ),
      /CHK_email_accounts_tokens_sealed/,
    );
  });

  it('a tampered ciphertext, or one moved to another organization, is refused', async () => {
    const created = (await t.request('POST', '/api/v1/channels', { key, body: twilio() })).body;
    const [row] = await t.dataSource.query('SELECT secrets FROM channel_connections WHERE id = $1', [created.id]);
    const parts: string[] = row.secrets.split('.');
    const flipped = parts[4][0] === 'A' ? 'B' : 'A';
    const tampered = [...parts.slice(0, 4), flipped + parts[4].slice(1)].join('.');
    await t.dataSource.query('UPDATE channel_connections SET secrets = $2 WHERE id = $1', [created.id, tampered]);
    const test = await t.request('POST', `/api/v1/channels/${created.id}/test`, { key });
    assert.equal(test.status, 500);
    assert.equal(test.body.code, 'secret_decryption_failed');
    assert.deepEqual((await t.request('GET', `/api/v1/channels/${created.id}`, { key })).body.secrets, { unreadable: true });

    const other = await t.createOrg('Other');
    const moved = (await t.request('POST', '/api/v1/channels', { key: other.apiKey, body: twilio() })).body;
    await t.dataSource.query(
      'UPDATE channel_connections SET secrets = (SELECT secrets FROM channel_connections WHERE id = $1) WHERE id = $2',
      [moved.id, created.id],
    );
    assert.equal((await t.request('POST', `/api/v1/channels/${created.id}/test`, { key })).body.code, 'secret_decryption_failed');
  });

  it('test connection reports an unreachable provider without failing the request', async () => {
    const created = (await t.request('POST', '/api/v1/channels', { key, body: twilio('http://127.0.0.1:9') })).body;
    const res = await t.request('POST', `/api/v1/channels/${created.id}/test`, { key });
    assert.equal(res.status, 200);
    assert.equal(res.body.ok, false);
    assert.equal(res.body.code, 'unreachable');
    const after = (await t.request('GET', `/api/v1/channels/${created.id}`, { key })).body;
    assert.equal(after.status, 'error');
    assert.ok(after.lastTestedAt);
  });

  it('updates merge secrets without exposing them, and the type cannot change', async () => {
    const created = (await t.request('POST', '/api/v1/channels', { key, body: twilio() })).body;
    const renamed = await t.request('PATCH', `/api/v1/channels/${created.id}`, {
      key,
      body: { name: 'Renamed', secrets: { authToken: 'rotated-token-abcd' } },
    });
    assert.equal(renamed.status, 200);
    assert.equal(renamed.body.name, 'Renamed');
    assert.deepEqual(renamed.body.secrets, { authToken: '…abcd' });
    assert.equal((await t.request('PATCH', `/api/v1/channels/${created.id}`, { key, body: { type: 'mailgun' } })).status, 400);
  });
});
