import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startTestApp, TestApp } from '../../test/test-app';

describe('suppressions', () => {
  let t: TestApp;
  let key: string;

  beforeAll(async () => {
    t = await startTestApp();
    key = (await t.createOrg()).apiKey;
  });
  afterAll(() => t.close());

  it('normalizes addresses like leads and is idempotent', async () => {
    const first = await t.request('POST', '/api/v1/suppressions', {
      key,
      body: { channel: 'email', address: 'Bounce@Example.com', reason: 'bounced' },
    });
    assert.equal(first.status, 201);
    assert.equal(first.body.address, 'bounce@example.com');
    assert.equal(first.body.source, 'api');
    const again = await t.request('POST', '/api/v1/suppressions', {
      key,
      body: { channel: 'email', address: 'bounce@example.com', reason: 'manual' },
    });
    assert.equal(again.status, 200);
    assert.equal(again.body.id, first.body.id);
    assert.equal(again.body.reason, 'bounced', 'the first reason stands');
  });

  it('refuses unknown channels and reasons with stable codes', async () => {
    assert.equal(
      (await t.request('POST', '/api/v1/suppressions', { key, body: { channel: 'fax', address: 'x' } })).body.code,
      'validation_failed',
    );
    assert.equal(
      (await t.request('POST', '/api/v1/suppressions', { key, body: { channel: 'sms', address: '+14155550123', reason: 'angry' } })).body
        .code,
      'validation_failed',
    );
    const badPhone = await t.request('POST', '/api/v1/suppressions', { key, body: { channel: 'sms', address: 'call me' } });
    assert.equal(badPhone.status, 400);
  });

  it('imports a CSV: good rows kept, bad rows reported, channel inferred from the address', async () => {
    const res = await t.request('POST', '/api/v1/suppressions/import?reason=unsubscribed', {
      key,
      raw: 'address,channel,reason\nunsub@example.com,,\n+14155550123,sms,stop\nnot-an-email,email,\n+14155550124,whatsapp,nonsense\nbounce@example.com,email,\n',
      headers: { 'content-type': 'text/csv' },
    });
    assert.equal(res.status, 200);
    assert.deepEqual([res.body.rows, res.body.created, res.body.existing, res.body.failed], [5, 2, 1, 2]);
    assert.deepEqual(
      res.body.errors.map((e: { row: number; code: string }) => [e.row, e.code]),
      [
        [4, 'invalid_email'],
        [5, 'invalid_reason'],
      ],
    );
    const sms = await t.request('GET', '/api/v1/suppressions?channel=sms', { key });
    assert.deepEqual(
      sms.body.items.map((s: { address: string; reason: string; source: string }) => [s.address, s.reason, s.source]),
      [['+14155550123', 'stop', 'csv_import']],
    );
  });

  it('deletes', async () => {
    const created = (await t.request('POST', '/api/v1/suppressions', { key, body: { channel: 'voice', address: '+14155550125' } })).body;
    assert.equal((await t.request('DELETE', `/api/v1/suppressions/${created.id}`, { key })).status, 204);
    assert.equal((await t.request('DELETE', `/api/v1/suppressions/${created.id}`, { key })).body.code, 'suppression_not_found');
  });
});

describe('error shape', () => {
  let t: TestApp;
  let key: string;
  beforeAll(async () => {
    t = await startTestApp();
    key = (await t.createOrg()).apiKey;
  });
  afterAll(() => t.close());

  it('every error is JSON with statusCode, code and message', async () => {
    const cases: Array<[Promise<{ status: number; body: any }>, number, string]> = [
      [t.request('GET', '/api/v1/nope', { key }), 404, 'route_not_found'],
      [t.request('POST', '/api/v1/leads', { key, raw: '{"email":', headers: { 'content-type': 'application/json' } }), 400, 'invalid_json'],
      [t.request('GET', '/api/v1/leads', { key: 'cad_0000000000000000_' + 'x'.repeat(43) }), 401, 'unauthorized'],
      [t.request('GET', '/api/v1/leads?limit=100000', { key }), 400, 'validation_failed'],
      [t.request('POST', '/api/v1/api-keys', { key, body: { name: 'x', admin: true } }), 400, 'validation_failed'],
    ];
    for (const [pending, status, code] of cases) {
      const res = await pending;
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.equal(res.body.statusCode, status);
      assert.equal(res.body.code, code);
      assert.equal(typeof res.body.message, 'string');
    }
  });

  it('serves the OpenAPI document and the docs page, and health', async () => {
    const doc = await t.request('GET', '/docs-json');
    assert.equal(doc.body.info.title, 'Cadence API');
    assert.ok(doc.body.paths['/api/v1/leads/import']);
    assert.equal((await t.request('GET', '/docs')).status, 200);
    const health = await t.request('GET', '/health');
    assert.equal(health.status, 200);
    assert.equal(health.body.database.status, 'up');
    assert.equal(health.body.n8n.status, 'down');
    assert.equal(health.body.status, 'degraded');
  });
});
