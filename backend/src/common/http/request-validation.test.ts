import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { CliBridgeController } from '../../cli/cli-bridge.controller';
import { startTestApp, TestApp } from '../../test/test-app';

/** POST/PUT/PATCH operations under /api/v1 that take no body at all (actions on a resource). */
const BODYLESS = new Set([
  'post /api/v1/api-keys/{id}/revoke',
  'post /api/v1/channels/{id}/test',
  'post /api/v1/channels/{id}/inbound-route',
  'post /api/v1/conversations/{id}/read',
  'post /api/v1/email-accounts/{id}/primary',
  'post /api/v1/email-accounts/{id}/test',
  'post /api/v1/email-accounts/{id}/disconnect',
  'post /api/v1/campaigns/{id}/launch',
  'post /api/v1/campaigns/{id}/check',
  'post /api/v1/campaigns/{id}/pause',
  'post /api/v1/campaigns/{id}/resume',
  'post /api/v1/campaigns/{id}/cancel',
  'post /api/v1/campaigns/{id}/duplicate',
  'post /api/v1/callbacks/{id}/call',
  'post /api/v1/channels/{id}/guard/resume',
  'post /api/v1/email-accounts/{id}/guard/resume',
]);

type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  oneOf?: Schema[];
  allOf?: Schema[];
  required?: string[];
};

describe('request validation: one style (DTOs), one error shape, OpenAPI from the DTOs', () => {
  let t: TestApp;
  let key: string;
  let templateId: string;
  let channelId: string;
  let campaignId: string;

  beforeAll(async () => {
    t = await startTestApp();
    key = (await t.createOrg()).apiKey;
    templateId = (
      await t.request('POST', '/api/v1/templates', { key, body: { name: 'Hi', channel: 'sms', body: 'Hi {{ lead.first_name }}' } })
    ).body.id;
    const channel = await t.request('POST', '/api/v1/channels', {
      key,
      body: {
        type: 'twilio',
        name: 'Line',
        config: { accountSid: `AC${'1'.repeat(32)}`, from: '+14155550100' },
        secrets: { authToken: 'token' },
      },
    });
    assert.equal(channel.status, 201, JSON.stringify(channel.body));
    channelId = channel.body.id;
    const campaign = await t.request('POST', '/api/v1/campaigns', {
      key,
      body: {
        name: 'Spring',
        type: 'sequence',
        sender: { channelId },
        audience: { all: true },
        steps: [{ templateId }, { templateId, delaySeconds: 86400 }],
        settings: { shards: 2 },
      },
    });
    assert.equal(campaign.status, 201, JSON.stringify(campaign.body));
    campaignId = campaign.body.id;
  });
  afterAll(() => t.close());

  async function refused(method: string, path: string, body: unknown, field: string, headers?: Record<string, string>) {
    const res = await t.request(method, path, { key, body, headers });
    assert.equal(res.status, 400, `${method} ${path} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.code, 'validation_failed');
    assert.equal(typeof res.body.message, 'string');
    assert.equal(res.body.statusCode, 400);
    const fields = (res.body.details as { field: string; message: string }[]).map((d) => d.field);
    assert.ok(fields.includes(field), `${method} ${path}: ${field} not in ${JSON.stringify(res.body.details)}`);
    return res.body as { message: string; details: { field: string; message: string }[] };
  }

  it('campaigns: nested steps, senders, audience and settings report their full path', async () => {
    const valid = { name: 'x', type: 'sequence', sender: { channelId }, audience: { all: true }, steps: [{ templateId }] };
    const bad = await refused('POST', '/api/v1/campaigns', { ...valid, steps: [{ templateId: 'nope' }] }, 'steps[0].templateId');
    assert.match(bad.message, /steps\[0\]\.templateId must be a UUID/);
    await refused(
      'POST',
      '/api/v1/campaigns',
      { ...valid, steps: [{ templateId }, { templateId, delaySeconds: -1 }] },
      'steps[1].delaySeconds',
    );
    await refused(
      'POST',
      '/api/v1/campaigns',
      { ...valid, steps: [{ templateId, sender: { channelId, emailAccountId: randomUUID() } }] },
      'steps[0].sender',
    );
    await refused(
      'POST',
      '/api/v1/campaigns',
      { ...valid, steps: [{ templateId, condition: { type: 'opened' } }] },
      'steps[0].condition.type',
    );
    await refused('POST', '/api/v1/campaigns', { ...valid, steps: [{ templateId, surprise: 1 }] }, 'steps[0].surprise');
    await refused('POST', '/api/v1/campaigns', { ...valid, steps: [] }, 'steps');
    await refused('POST', '/api/v1/campaigns', { ...valid, sender: {} }, 'sender');
    await refused('POST', '/api/v1/campaigns', { ...valid, sender: { channelId: 'x' } }, 'sender.channelId');
    await refused('POST', '/api/v1/campaigns', { ...valid, audience: { all: true, leadIds: [randomUUID()] } }, 'audience');
    await refused('POST', '/api/v1/campaigns', { ...valid, audience: { leadIds: ['x'] } }, 'audience.leadIds');
    await refused('POST', '/api/v1/campaigns', { ...valid, audience: { filter: { hasEmail: 'yes' } } }, 'audience.filter.hasEmail');
    await refused('POST', '/api/v1/campaigns', { ...valid, settings: { shards: 99 } }, 'settings.shards');
    await refused('POST', '/api/v1/campaigns', { ...valid, settings: { speed: 1 } }, 'settings.speed');
    await refused('POST', '/api/v1/campaigns', { ...valid, name: '  ' }, 'name');
    await refused('PATCH', `/api/v1/campaigns/${campaignId}`, { steps: [{ templateId, delaySeconds: 1.5 }] }, 'steps[0].delaySeconds');
    // Rules that need the database stay in the service, with the same error shape and paths.
    await refused('POST', '/api/v1/campaigns', { ...valid, steps: [{ templateId: randomUUID() }] }, 'steps[0].templateId');
    await refused('POST', '/api/v1/campaigns', { ...valid, sender: { channelId: randomUUID() } }, 'sender.channelId');
    await refused('POST', '/api/v1/campaigns', { ...valid, type: 'blast', steps: [{ templateId }, { templateId }] }, 'steps');
  });

  it('a PATCH changes only what it names', async () => {
    const res = await t.request('PATCH', `/api/v1/campaigns/${campaignId}`, { key, body: { name: 'Renamed' } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.name, 'Renamed');
    assert.equal(res.body.steps.length, 2);
    assert.equal(res.body.steps[1].delaySeconds, 86400);
    assert.deepEqual(res.body.settings, { shards: 2 });
    const template = await t.request('PATCH', `/api/v1/templates/${templateId}`, { key, body: { name: 'Hello' } });
    assert.equal(template.status, 200, JSON.stringify(template.body));
    assert.equal(template.body.body, 'Hi {{ lead.first_name }}');
    const channel = await t.request('PATCH', `/api/v1/channels/${channelId}`, { key, body: { name: 'Main line' } });
    assert.equal(channel.status, 200, JSON.stringify(channel.body));
    assert.equal(channel.body.config.from, '+14155550100');
  });

  it('every other controller answers a bad body the same way', async () => {
    await refused('POST', '/api/v1/leads', { email: 42 }, 'email');
    await refused('POST', '/api/v1/leads', { email: 'a@example.com', attributes: [] }, 'attributes');
    const lead = await t.request('POST', '/api/v1/leads', { key, body: { email: 'lead@example.com', firstName: 'Ada' } });
    await refused('PATCH', `/api/v1/leads/${lead.body.id}`, { consent: 'yes' }, 'consent');
    await refused('POST', '/api/v1/templates', { name: 'x', channel: 'fax', body: 'hi' }, 'channel');
    await refused(
      'POST',
      '/api/v1/templates',
      { name: 'x', channel: 'whatsapp', whatsapp: { name: 'a', language: 'en', parameters: [1] } },
      'whatsapp.parameters',
    );
    await refused('PATCH', `/api/v1/templates/${templateId}`, { body: 5 }, 'body');
    await refused('POST', `/api/v1/templates/${templateId}/preview`, { leadId: 'nope' }, 'leadId');
    await refused(
      'POST',
      '/api/v1/channels',
      { type: 'mailgun', name: 'mg', config: { domain: 'not a domain' }, secrets: {} },
      'config.domain',
    );
    await refused('POST', '/api/v1/channels', { type: 'fax', name: 'x', config: {}, secrets: {} }, 'type');
    await refused('PATCH', `/api/v1/channels/${channelId}`, { config: [] }, 'config');
    await refused('POST', '/api/v1/suppressions', { channel: 'fax', address: 'x' }, 'channel');
    await refused('POST', '/api/v1/users/invite', { email: 5 }, 'email');
    await refused('POST', '/api/v1/api-keys', { name: '' }, 'name');
    await refused('PATCH', `/api/v1/email-accounts/${randomUUID()}`, { dailyCap: 0 }, 'dailyCap');
    CliBridgeController.adminToken = 'test-admin-token';
    try {
      await refused('POST', '/internal/cli', { command: 5, args: [] }, 'command', { 'x-admin-token': 'test-admin-token' });
    } finally {
      CliBridgeController.adminToken = undefined;
    }
  });

  it('POST /leads still takes one object or an array (per-item errors, as a CSV import)', async () => {
    const many = await t.request('POST', '/api/v1/leads', { key, body: [{ email: 'm1@example.com' }, { email: 'not-an-email' }] });
    assert.equal(many.status, 201);
    assert.deepEqual(
      many.body.errors.map((e: { index: number; code: string }) => [e.index, e.code]),
      [[1, 'invalid_email']],
    );
    const one = await t.request('POST', '/api/v1/leads', { key, body: { email: 'not-an-email' } });
    assert.equal(one.status, 400);
    assert.deepEqual(
      one.body.details.map((d: { field: string }) => d.field),
      ['invalid_email'],
    );
  });

  it('/docs-json has a request schema, generated from the DTO, for every body-taking operation under /api/v1', async () => {
    const doc = (await t.request('GET', '/docs-json')).body as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Schema }> } }>>;
      components: { schemas: Record<string, Schema> };
    };
    const resolve = (s: Schema | undefined): Schema | undefined =>
      s?.$ref ? doc.components.schemas[s.$ref.split('/').pop()!] : s?.allOf?.length === 1 ? resolve(s.allOf[0]) : s;
    let checked = 0;
    for (const [path, item] of Object.entries(doc.paths)) {
      if (!path.startsWith('/api/v1/')) continue;
      for (const method of ['post', 'put', 'patch']) {
        const operation = item[method];
        if (!operation) continue;
        const name = `${method} ${path}`;
        if (BODYLESS.has(name)) {
          assert.equal(operation.requestBody, undefined, `${name} takes no body`);
          continue;
        }
        const content = operation.requestBody?.content ?? {};
        const media = content['application/json'] ?? content['multipart/form-data'];
        assert.ok(media, `${name} documents its body`);
        const schema = resolve(media.schema.oneOf ? media.schema.oneOf[0] : media.schema);
        assert.ok(schema?.properties && Object.keys(schema.properties).length > 0, `${name}: schema with properties`);
        if (content['multipart/form-data']) assert.equal(content['text/csv']?.schema.type, 'string', `${name}: raw CSV documented`);
        checked++;
      }
    }
    assert.ok(checked >= 14, `checked ${checked} operations`);
    // What the plugin reads from the DTOs: required-ness from `?`, formats from class-validator, nested models.
    const schemas = doc.components.schemas;
    const create = schemas.CreateCampaignDto;
    assert.deepEqual([...create.required!].sort(), ['audience', 'name', 'sender', 'steps', 'type']);
    const step = resolve(create.properties!.steps.items)!;
    assert.equal(step.properties!.templateId.format, 'uuid');
    assert.equal(resolve(step.properties!.sender)!.properties!.channelId.format, 'uuid');
    assert.equal(resolve(create.properties!.audience)!.properties!.leadIds.items!.format, 'uuid');
    assert.ok(resolve(create.properties!.settings)!.properties!.shards);
    assert.equal(schemas.PreviewTemplateDto.properties!.leadId.format, 'uuid');
    assert.ok(schemas.CreateChannelDto.properties!.config.oneOf!.some((s) => s.$ref?.endsWith('/MailgunConfig')));
    assert.ok(schemas.MailgunConfig.properties!.domain);
    assert.ok(resolve(schemas.CreateTemplateDto.properties!.whatsapp)!.properties!.language);
    assert.equal(schemas.UpdateCampaignDto.required, undefined, 'a PATCH body has no required fields');
  });
});
