import { randomUUID } from 'node:crypto';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { MessageEventRecorder } from '../modules/webhooks/message-event.recorder';
import { startTestApp, TestApp } from './test-app';

/** Bodies that pass validation, so the answer is about the resource and not the body. */
const VALID_BODIES: Record<string, unknown> = {
  'POST /api/v1/conversations/{id}/messages': { text: 'Hello' },
  'PUT /api/v1/callbacks/{id}/status': { status: 'cancelled' },
  'POST /api/v1/callbacks/{id}/assign': { roundRobin: true },
  'POST /api/v1/callbacks/{id}/complete': { resolution: 'Done' },
  'PUT /api/v1/channels/{id}/warmup': { startPerDay: 20, growthPercent: 20, targetPerDay: 500 },
  'PUT /api/v1/email-accounts/{id}/warmup': { startPerDay: 20, growthPercent: 20, targetPerDay: 500 },
};

type Operation = { method: string; path: string };

/** One resource of organization A per collection that has `/{id}` routes; a new collection must be added here. */
// More specific prefixes first: `users/invitations/{id}` before `users/{id}`.
const COLLECTIONS = [
  'leads',
  'templates/library',
  'templates',
  'suppressions',
  'channels',
  'email-accounts',
  // GET /sheets/{id}/spreadsheets/{spreadsheetId}: {id} is an email account.
  'sheets',
  'api-keys',
  'campaigns',
  'conversations',
  'callbacks',
  'whatsapp/templates',
  'users/invitations',
  'users',
] as const;

describe('tenancy sweep: organization B never reaches organization A', () => {
  let t: TestApp;
  let a: { organizationId: string; apiKey: string };
  let b: { organizationId: string; apiKey: string };
  const ids: Record<string, string> = {};
  let operations: Operation[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    a = await t.createOrg('A');
    b = await t.createOrg('B');
    const key = a.apiKey;
    ids.leads = (
      await t.request('POST', '/api/v1/leads', { key, body: { email: 'secret-lead@a.example', phone: '+14155550199' } })
    ).body.id;
    ids.templates = (
      await t.request('POST', '/api/v1/templates', {
        key,
        body: { name: 'A welcome', channel: 'sms', body: 'Hi {{ lead.first_name | default: "there" }}' },
      })
    ).body.id;
    // A template A saved to its library: B can neither list nor copy it.
    ids['templates/library'] = (
      await t.request('POST', '/api/v1/templates', {
        key,
        body: { name: 'A library entry', channel: 'sms', body: 'Secret offer', libraryCategory: 'promotion' },
      })
    ).body.id;
    ids.suppressions = (
      await t.request('POST', '/api/v1/suppressions', { key, body: { channel: 'email', address: 'suppressed@a.example' } })
    ).body.id;
    ids.channels = (
      await t.request('POST', '/api/v1/channels', {
        key,
        body: {
          type: 'twilio',
          name: 'A number',
          config: { accountSid: `AC${'a'.repeat(32)}`, from: '+14155550100', baseUrl: 'http://127.0.0.1:9' },
          secrets: { authToken: 'a-secret-token-value' },
        },
      })
    ).body.id;
    ids['api-keys'] = (await t.request('POST', '/api/v1/api-keys', { key, body: { name: 'A automation' } })).body.id;
    ids.campaigns = (
      await t.request('POST', '/api/v1/campaigns', {
        key,
        body: {
          name: 'A launch',
          type: 'blast',
          sender: { channelId: ids.channels },
          audience: { leadIds: [ids.leads] },
          steps: [{ channel: 'sms', templateId: ids.templates }],
        },
      })
    ).body.id;
    ids['email-accounts'] = (
      await t.dataSource.query(`INSERT INTO email_accounts (organization_id, email) VALUES ($1, 'sender@a.example') RETURNING id`, [
        a.organizationId,
      ])
    )[0].id;
    ids.sheets = ids['email-accounts'];
    ids['users/invitations'] = (await t.request('POST', '/api/v1/users/invite', { key, body: { email: 'invited@a.example' } })).body.id;
    ids.users = (
      await t.dataSource.query(
        `INSERT INTO users (organization_id, email, google_subject) VALUES ($1, 'member@a.example', 'g-a-1') RETURNING id`,
        [a.organizationId],
      )
    )[0].id;
    // A's lead answered on A's number: a conversation of A.
    const recorder = t.app.get(MessageEventRecorder);
    await recorder.enqueue([
      {
        organizationId: a.organizationId,
        source: 'twilio',
        eventId: 'inbound:tenancy',
        type: 'replied',
        occurredAt: new Date(),
        payload: { from: '+14155550199', text: 'Reply from secret-lead@a.example', kind: 'human' },
        replyFrom: { channel: 'sms', address: '+14155550199', channelId: ids.channels },
      },
    ]);
    await recorder.drain();
    ids.conversations = (await t.dataSource.query('SELECT id FROM conversations WHERE organization_id = $1', [a.organizationId]))[0]?.id;
    ids.callbacks = (
      await t.request('POST', '/api/v1/callbacks', { key, body: { leadId: ids.leads, reason: 'Call secret-lead@a.example' } })
    ).body.id;
    // A template of A's catalog, as a sync would store it (the sweep needs no Meta).
    ids['whatsapp/templates'] = (
      await t.dataSource.query(
        `INSERT INTO whatsapp_templates (organization_id, channel_id, waba_id, external_id, name, language, category, status, components, placeholders, synced_at)
         VALUES ($1, $2, 'waba-a', 'tpl-a', 'secret_offer', 'en_US', 'MARKETING', 'APPROVED', '[]', '[]', now()) RETURNING id`,
        [a.organizationId, ids.channels],
      )
    )[0].id;
    for (const c of COLLECTIONS) assert.ok(ids[c], `fixture for ${c} was created`);
    const doc = (await t.request('GET', '/docs-json')).body as { paths: Record<string, Record<string, unknown>> };
    operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })),
    );
  });
  afterAll(() => t.close());

  it('the OpenAPI document lists the routes', () => {
    assert.ok(operations.length >= 25, `only ${operations.length} operations found`);
  });

  it('every /api/v1 route refuses a request without a key', async () => {
    for (const op of operations.filter((o) => o.path.startsWith('/api/v1'))) {
      const res = await t.request(op.method, op.path.replace('{id}', ids.leads), { body: {} });
      assert.equal(res.status, 401, `${op.method} ${op.path} answered ${res.status} without a key`);
      assert.equal(res.body.code, 'unauthorized');
    }
  });

  it("every route naming one of A's resources answers B with 404 or 403, never data", async () => {
    const withId = operations.filter((o) => o.path.includes('{id}'));
    assert.ok(withId.length >= 15);
    for (const op of withId) {
      const collection = COLLECTIONS.find((c) => op.path.startsWith(`/api/v1/${c}/`));
      assert.ok(collection, `the sweep does not know the resource of ${op.method} ${op.path}: add it to COLLECTIONS`);
      const id = ids[collection];
      // A's resource in {id}; any other parameter (a message of that campaign) cannot matter when {id} is not B's.
      const path = op.path.replace('{id}', id).replace(/\{[^}]+\}/g, () => randomUUID());
      const res = await t.request(op.method, path, { key: b.apiKey, body: VALID_BODIES[`${op.method} ${op.path}`] ?? {} });
      assert.ok(
        [403, 404].includes(res.status),
        `${op.method} ${op.path} answered ${res.status} to another organization: ${JSON.stringify(res.body)}`,
      );
      assert.ok(!JSON.stringify(res.body ?? '').includes('a.example'), `${op.method} ${op.path} leaked data`);
    }
  });

  it("every collection B lists is free of A's rows", async () => {
    const lists = operations.filter((o) => o.method === 'GET' && o.path.startsWith('/api/v1') && !o.path.includes('{'));
    assert.ok(lists.length >= 6);
    for (const op of lists) {
      const res = await t.request('GET', op.path, { key: b.apiKey });
      assert.equal(res.status, 200, `${op.path}: ${JSON.stringify(res.body)}`);
      const text = JSON.stringify(res.body);
      for (const [name, id] of Object.entries(ids)) assert.ok(!text.includes(id), `${op.path} shows A's ${name}`);
      assert.ok(!text.includes('a.example'), `${op.path} leaked A's data`);
    }
  });

  it("A's resources are untouched after B's attempts", async () => {
    const key = a.apiKey;
    for (const c of ['leads', 'templates', 'suppressions', 'channels', 'email-accounts', 'campaigns', 'conversations']) {
      assert.equal((await t.request('GET', `/api/v1/${c}/${ids[c]}`, { key })).status, 200, `${c} still readable by A`);
    }
    const keys = (await t.request('GET', '/api/v1/api-keys', { key })).body.items as Array<{ id: string; revokedAt: string | null }>;
    assert.equal(keys.find((k) => k.id === ids['api-keys'])?.revokedAt, null);
    const people = (await t.request('GET', '/api/v1/users', { key })).body as {
      items: Array<{ id: string }>;
      invitations: Array<{ id: string }>;
    };
    assert.ok(
      people.items.some((u) => u.id === ids.users),
      "A's member is still there",
    );
    assert.ok(
      people.invitations.some((i) => i.id === ids['users/invitations']),
      "A's invitation is still there",
    );
  });

  it('a revoked key stops working at once', async () => {
    const issued = (await t.request('POST', '/api/v1/api-keys', { key: a.apiKey, body: { name: 'short-lived' } })).body as {
      id: string;
      key: string;
    };
    assert.equal((await t.request('GET', '/api/v1/leads', { key: issued.key })).status, 200);
    assert.equal((await t.request('POST', `/api/v1/api-keys/${issued.id}/revoke`, { key: a.apiKey })).status, 200);
    const res = await t.request('GET', '/api/v1/leads', { key: issued.key });
    assert.equal(res.status, 401);
    assert.equal(res.body.code, 'api_key_revoked');
    const stored = await t.dataSource.query('SELECT secret_hash FROM api_keys WHERE id = $1', [issued.id]);
    assert.ok(!issued.key.includes(stored[0].secret_hash), 'only a hash is stored');
  });
});
