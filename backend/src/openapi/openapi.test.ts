import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { OpenAPIObject } from '@nestjs/swagger';
import { ApiResponse, startTestApp, TestApp } from '../test/test-app';
import { OpenApiResponses } from '../test/openapi-responses';
import { MessageEventRecorder } from '../modules/webhooks/message-event.recorder';
import { startSandbox } from '@cadence/sandbox';
import { GMAIL_SEND_SCOPE, SHEETS_READ_SCOPE } from '../modules/auth/google-endpoints';
import { EmailAccount } from '../modules/email-accounts/email-account.entity';
import { GmailTokenService } from '../modules/email-accounts/gmail-token.service';

const REPO = resolve(__dirname, '../../..');

/**
 * The OpenAPI document clients get from /docs-json is linted (`redocly lint`, the recommended rules) and held to
 * the truth: a walk through the public API checks that every answer's status is documented for its operation and
 * that its body matches the documented schema, response classes closed (no field the document does not list).
 */
describe('the OpenAPI document', () => {
  let t: TestApp;
  let document: OpenAPIObject;
  let responses: OpenApiResponses;
  let key: string;
  let organizationId: string;
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  const problems: string[] = [];

  /** A request whose answer is checked against the document; `expected` is the status this step must get. */
  async function api<T = any>(
    expected: number,
    method: string,
    path: string,
    opts: Parameters<TestApp['request']>[2] = {},
  ): Promise<ApiResponse<T>> {
    const res = await t.request<T>(method, path, { key, ...opts });
    assert.equal(res.status, expected, `${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    problems.push(...responses.check(method, path, res.status, res.headers.get('content-type'), res.body));
    return res;
  }

  function csvForm(csv: string, fields: Record<string, string> = {}): FormData {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append('file', new Blob([csv], { type: 'text/csv' }), 'list.csv');
    return form;
  }

  beforeAll(async () => {
    // The WhatsApp Graph API the template sync reads.
    sandbox = await startSandbox({ port: 0, rateLimits: false });
    // ...and the Sheets API the lead import reads.
    t = await startTestApp({ env: { WHATSAPP_TEMPLATE_SYNC_INTERVAL_MS: '0', SHEETS_API_BASE_URL: sandbox.url } });
    ({ apiKey: key, organizationId } = await t.createOrg('Contract Co'));
    document = (await t.request('GET', '/docs-json')).body as OpenAPIObject;
    responses = new OpenApiResponses(document);
  });
  afterAll(async () => {
    await t?.close();
    await sandbox?.close();
  });

  it('passes redocly lint with the repository configuration (redocly.yaml)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cadence-openapi-'));
    try {
      const file = join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(document));
      const run = promisify(execFile);
      const bin = join(REPO, 'node_modules/.bin/redocly');
      const out = await run(bin, ['lint', file, '--config', join(REPO, 'redocly.yaml'), '--format=stylish'], { cwd: REPO }).catch(
        (error: { stdout?: string; stderr?: string }) => assert.fail(`redocly lint failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`),
      );
      // Warnings do not fail the command: none are allowed either.
      assert.doesNotMatch(`${out.stdout}${out.stderr}`, /warning/i);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('states ids as uuids and the API key as an opaque bearer key', () => {
    const lead = document.paths['/api/v1/leads/{id}'].get!;
    assert.deepEqual(
      lead.parameters?.map((p) => ('schema' in p ? p.schema : undefined)),
      [{ type: 'string', format: 'uuid' }],
    );
    assert.deepEqual(document.security, [{ bearer: [] }]);
    assert.deepEqual(document.paths['/health'].get!.security, [{}]);
    assert.equal(document.paths['/api/v1/campaigns/{id}/launch'].post!.operationId, 'campaigns_launch');
  });

  it('matches every answer of a walk through the API', async () => {
    // Who is calling, health, sign-in status.
    await api(200, 'GET', '/api/v1/session');
    await api(200, 'GET', '/health');
    await api(200, 'GET', '/health/live');
    await api(200, 'GET', '/auth/status');

    // Errors every route shares: no key, a wrong key, a body that is not JSON, a malformed id.
    await api(401, 'GET', '/api/v1/leads', { key: '' });
    await api(401, 'GET', '/api/v1/leads', { key: 'cad_0000000000000000_nope' });
    await api(415, 'POST', '/api/v1/leads', { raw: 'email=a@example.com', headers: { 'content-type': 'text/plain' } });
    await api(400, 'POST', '/api/v1/leads', { raw: '{"email":', headers: { 'content-type': 'application/json' } });
    await api(400, 'GET', '/api/v1/leads/not-a-uuid');

    // Channels: create, test (the provider is unreachable: 200 with ok false), list, get, patch.
    const channel = await api(201, 'POST', '/api/v1/channels', {
      body: {
        type: 'mailgun',
        name: 'Newsletter',
        config: { domain: 'mg.example.com', from: 'Acme <hello@mg.example.com>', baseUrl: 'http://127.0.0.1:9' },
        secrets: { apiKey: 'key-0123456789abcdef', webhookSigningKey: 'whsec-0123456789abcdef' },
      },
    });
    const channelId = channel.body.id as string;
    const tested = await api(200, 'POST', `/api/v1/channels/${channelId}/test`);
    assert.equal(tested.body.ok, false);
    const routed = await api(200, 'POST', `/api/v1/channels/${channelId}/inbound-route`);
    assert.equal(routed.body.code, 'unreachable');
    await api(404, 'POST', '/api/v1/channels/00000000-0000-4000-8000-000000000000/inbound-route');
    await api(200, 'GET', '/api/v1/channels');
    const shown = await api(200, 'GET', `/api/v1/channels/${channelId}`);
    assert.deepEqual(Object.keys(shown.body.webhookUrls), ['events', 'inbound']);
    await api(200, 'PATCH', `/api/v1/channels/${channelId}`, { body: { name: 'Newsletter (EU)' } });
    await api(400, 'POST', '/api/v1/channels', { body: { type: 'mailgun', name: 'x', config: {}, secrets: {} } });
    await api(404, 'GET', '/api/v1/channels/00000000-0000-4000-8000-000000000000');
    // Warm-up: none yet (404), started, read, refused below its start, stopped.
    await api(404, 'GET', `/api/v1/channels/${channelId}/warmup`);
    await api(200, 'PUT', `/api/v1/channels/${channelId}/warmup`, { body: { startPerDay: 20, growthPercent: 20, targetPerDay: 500 } });
    await api(200, 'GET', `/api/v1/channels/${channelId}/warmup`);
    await api(400, 'PUT', `/api/v1/channels/${channelId}/warmup`, { body: { startPerDay: 20, growthPercent: 20, targetPerDay: 5 } });
    await api(204, 'DELETE', `/api/v1/channels/${channelId}/warmup`);
    await api(404, 'DELETE', `/api/v1/channels/${channelId}/warmup`);
    // Deliverability guard: read, thresholds changed and refused, a resume of a sender that is not paused.
    await api(200, 'GET', `/api/v1/channels/${channelId}/guard`);
    await api(200, 'PATCH', `/api/v1/channels/${channelId}/guard`, { body: { bounceRate: 0.03, minSample: 500 } });
    await api(400, 'PATCH', `/api/v1/channels/${channelId}/guard`, { body: { bounceRate: 3 } });
    await api(409, 'POST', `/api/v1/channels/${channelId}/guard/resume`);
    await t.dataSource.query(`UPDATE sender_guards SET paused_at = now(), paused_reason = 'bounce rate 6.0 %' WHERE channel_id = $1`, [
      channelId,
    ]);
    await api(200, 'POST', `/api/v1/channels/${channelId}/guard/resume`);

    // Leads: upsert one (201 new, 200 existing), an array, CSV imports, list, get, patch, delete.
    const ada = await api(201, 'POST', '/api/v1/leads', {
      body: { email: 'ada@example.com', firstName: 'Ada', attributes: { plan: 'pro' }, consent: { email: true } },
    });
    await api(200, 'POST', '/api/v1/leads', { body: { email: 'ADA@example.com', lastName: 'Lovelace' } });
    const bulk = await api(201, 'POST', '/api/v1/leads', { body: [{ email: 'grace@example.com' }, { email: 'not-an-email' }] });
    assert.equal(bulk.body.failed, 1);
    await api(400, 'POST', '/api/v1/leads', { body: { firstName: 'Nobody' } });
    await api(200, 'POST', '/api/v1/leads/import', {
      raw: csvForm('Email,First\nalan@example.com,Alan\nbroken,Row\n', { mapping: JSON.stringify({ Email: 'email', First: 'firstName' }) }),
    });
    await api(200, 'POST', '/api/v1/leads/import', { raw: 'email\nedsger@example.com\n', headers: { 'content-type': 'text/csv' } });
    await api(400, 'POST', '/api/v1/leads/import', { raw: csvForm('email\nx@example.com\n', { mapping: '{nope' }) });
    await api(415, 'POST', '/api/v1/leads/import', { raw: '{}', headers: { 'content-type': 'application/json' } });
    const withIds = await api(200, 'POST', '/api/v1/leads/import?returnIds=true', {
      raw: 'email\nedsger@example.com\nbroken\n',
      headers: { 'content-type': 'text/csv' },
    });
    assert.equal(withIds.body.leadIds.length, 1);
    assert.equal(withIds.body.leadIdsTruncated, false);
    await api(400, 'POST', '/api/v1/leads/import?returnIds=maybe', {
      raw: 'email\nx@example.com\n',
      headers: { 'content-type': 'text/csv' },
    });
    await api(200, 'GET', '/api/v1/leads/import/limits');
    await api(401, 'GET', '/api/v1/leads/import/limits', { key: '' });
    const page = await api(200, 'GET', '/api/v1/leads?limit=2');
    assert.ok(page.body.nextCursor);
    await api(200, 'GET', `/api/v1/leads?cursor=${page.body.nextCursor}`);
    await api(400, 'GET', '/api/v1/leads?cursor=garbage');
    await api(400, 'GET', '/api/v1/leads?limit=0');
    const adaId = ada.body.id as string;
    await api(200, 'GET', `/api/v1/leads/${adaId}`);
    await api(200, 'PATCH', `/api/v1/leads/${adaId}`, { body: { timezone: 'Europe/London', attributes: { plan: null } } });
    await api(409, 'PATCH', `/api/v1/leads/${adaId}`, { body: { email: 'grace@example.com' } });
    const gone = await api(201, 'POST', '/api/v1/leads', { body: { phone: '+14155550123', consent: { sms: true } } });
    await api(204, 'DELETE', `/api/v1/leads/${gone.body.id}`);
    await api(404, 'GET', `/api/v1/leads/${gone.body.id}`);
    await api(404, 'DELETE', `/api/v1/leads/${gone.body.id}`);

    // Google Sheets: a mailbox whose grant reads spreadsheets (a token the sandbox's Google issued), one whose grant does not.
    const mailbox = async (email: string, scopes: string[]) => {
      const accessToken = sandbox.states.oauth.issueAccessToken('walk-client', email, scopes).token;
      const tokens = t.app
        .get(GmailTokenService)
        .seal(organizationId, { accessToken, refreshToken: null, expiresAt: Date.now() + 3_600_000 });
      const repo = t.dataSource.getRepository(EmailAccount);
      return (await repo.save(repo.create({ organizationId, email, scopes, tokens, status: 'connected' }))).id;
    };
    const reader = await mailbox('walk@contract.example', [GMAIL_SEND_SCOPE, SHEETS_READ_SCOPE]);
    const sender = await mailbox('send-only@contract.example', [GMAIL_SEND_SCOPE]);
    const sheetId = '1WalkSheet0000000000000000000000000000000001';
    await fetch(`${sandbox.url}/_sandbox/google/spreadsheets/${sheetId}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        owner: 'walk@contract.example',
        sheets: [
          {
            title: 'Leads',
            rows: [
              ['email', 'name'],
              ['kay@example.com', 'Kay'],
              ['bad', 'x'],
            ],
          },
        ],
      }),
    });
    const sheetUrl = encodeURIComponent(`https://docs.google.com/spreadsheets/d/${sheetId}/edit#gid=0`);
    await api(200, 'GET', `/api/v1/sheets/${reader}/spreadsheets/${sheetUrl}?range=Leads!A1:B`);
    await api(400, 'GET', `/api/v1/sheets/${reader}/spreadsheets/${sheetId}?range=Leads!A:1`);
    await api(400, 'GET', `/api/v1/sheets/${reader}/spreadsheets/not-a-sheet`);
    await api(403, 'GET', `/api/v1/sheets/${sender}/spreadsheets/${sheetId}`);
    await api(404, 'GET', `/api/v1/sheets/00000000-0000-4000-8000-000000000000/spreadsheets/${sheetId}`);
    await api(404, 'GET', `/api/v1/sheets/${reader}/spreadsheets/${sheetId.replace('1', '2')}`);
    const fromSheet = await api(200, 'POST', '/api/v1/leads/import/sheets', {
      body: {
        accountId: reader,
        spreadsheetId: sheetId,
        range: 'Leads!A1:B',
        mapping: { email: 'email', name: 'firstName' },
        returnIds: true,
      },
    });
    assert.deepEqual(
      fromSheet.body.errors.map((e: { row: number }) => e.row),
      [3],
    );
    await api(200, 'POST', '/api/v1/leads/import/sheets', {
      body: { accountId: reader, spreadsheetId: sheetId, sheet: 'Leads', consentConfirmed: 'email' },
    });
    await api(400, 'POST', '/api/v1/leads/import/sheets', {
      body: { accountId: reader, spreadsheetId: sheetId, range: 'Leads!A1:B', mapping: { nope: 'email' } },
    });
    await api(400, 'POST', '/api/v1/leads/import/sheets', { body: { accountId: 'x', spreadsheetId: sheetId } });
    await api(403, 'POST', '/api/v1/leads/import/sheets', { body: { accountId: sender, spreadsheetId: sheetId, range: 'A1:B' } });
    await api(404, 'POST', '/api/v1/leads/import/sheets', {
      body: { accountId: '00000000-0000-4000-8000-000000000000', spreadsheetId: sheetId, range: 'A1:B' },
    });

    // Templates: create, invalid Liquid, list, get, patch, preview against a lead and sample data, delete.
    const template = await api(201, 'POST', '/api/v1/templates', {
      body: { name: 'Welcome', channel: 'email', subject: 'Hi {{ lead.first_name }}', html: '<p>Hello {{ lead.first_name }}</p>' },
    });
    const templateId = template.body.id as string;
    // Variant B of the campaign below (an A/B split).
    const templateB = await api(201, 'POST', '/api/v1/templates', {
      body: { name: 'Welcome B', channel: 'email', subject: 'Hello {{ lead.first_name }}', html: '<p>Hi {{ lead.first_name }}</p>' },
    });
    await api(422, 'POST', '/api/v1/templates', { body: { name: 'Broken', channel: 'sms', body: 'Hi {{ lead.first_name ' } });
    await api(200, 'GET', '/api/v1/templates?channel=email');
    await api(200, 'GET', `/api/v1/templates/${templateId}`);
    await api(200, 'PATCH', `/api/v1/templates/${templateId}`, { body: { text: 'Hello {{ lead.first_name }}' } });
    await api(200, 'POST', `/api/v1/templates/${templateId}/preview`, { body: { leadId: adaId } });
    await api(200, 'POST', `/api/v1/templates/${templateId}/preview`, { body: {} });
    await api(404, 'POST', `/api/v1/templates/${templateId}/preview`, { body: { leadId: gone.body.id } });
    // An unsaved template (the editor's live preview).
    await api(200, 'POST', '/api/v1/templates/preview', { body: { channel: 'sms', body: 'Hi {{ lead.first_name }}', leadId: adaId } });
    await api(200, 'POST', '/api/v1/templates/preview', { body: { channel: 'email', subject: 'Hi', html: '<p>Hello</p>' } });
    await api(422, 'POST', '/api/v1/templates/preview', { body: { channel: 'sms', body: 'Hi {{ lead.first_name ' } });
    await api(404, 'POST', '/api/v1/templates/preview', { body: { channel: 'sms', body: 'Hi', leadId: gone.body.id } });
    const smsTemplate = await api(201, 'POST', '/api/v1/templates', { body: { name: 'Ping', channel: 'sms', body: 'Hi' } });
    await api(204, 'DELETE', `/api/v1/templates/${smsTemplate.body.id}`);
    await api(404, 'GET', `/api/v1/templates/${smsTemplate.body.id}`);
    // The template library: starters and saved entries, copied into an editable template.
    await api(200, 'GET', '/api/v1/templates/library?channel=sms');
    await api(400, 'GET', '/api/v1/templates/library?category=spam');
    await api(201, 'POST', '/api/v1/templates/library/starter-welcome-sms/copy', { body: { name: 'Welcome copy' } });
    await api(404, 'POST', '/api/v1/templates/library/starter-nope/copy', { body: {} });

    // AI drafting: the provider (the sandbox's OpenAI-compatible stand-in) in Settings, then drafts; nothing is saved.
    await api(200, 'GET', '/api/v1/settings/ai');
    await api(409, 'POST', '/api/v1/templates/draft', { body: { goal: 'Welcome new trial users', channel: 'email' } });
    await api(400, 'PUT', '/api/v1/settings/ai', { body: { baseUrl: 'http://169.254.169.254/v1', model: 'm', apiKey: 'sk-x' } });
    await api(200, 'PUT', '/api/v1/settings/ai', { body: { baseUrl: `${sandbox.url}/v1`, model: 'sandbox-model', apiKey: 'sk-contract' } });
    const drafted = await api(200, 'POST', '/api/v1/templates/draft', {
      body: { goal: 'Welcome new trial users', channel: 'email', fields: ['first_name', 'company'] },
    });
    await api(200, 'POST', '/api/v1/templates/draft', {
      body: { action: 'shorten', source: { channel: 'email', subject: drafted.body.subject, html: drafted.body.html } },
    });
    await api(400, 'POST', '/api/v1/templates/draft', { body: { action: 'rewrite' } });
    await api(502, 'POST', '/api/v1/templates/draft', { body: { goal: 'Hi [sandbox:malformed]', channel: 'sms' } });
    await api(503, 'POST', '/api/v1/templates/draft', { body: { goal: 'Hi [sandbox:429]', channel: 'sms' } });
    await api(204, 'DELETE', '/api/v1/settings/ai');

    // Campaigns: review an audience, create, list, get, progress, patch a draft, delete a draft, launch (and its
    // retry), messages (the campaign's and a lead's), pause, resume, cancel, the refused moves, duplicate.
    const review = await api(200, 'POST', '/api/v1/campaigns/audience-preview', {
      body: {
        sender: { channelId },
        audience: { all: true },
        steps: [{ channel: 'email' }, { channel: 'sms', delaySeconds: 3600 }],
        settings: { ratePerSecond: 5 },
      },
    });
    assert.ok(review.body.perStep[1].skipped.missing_address > 0, 'leads without a phone are skipped for SMS');
    await api(400, 'POST', '/api/v1/campaigns/audience-preview', {
      body: { sender: { channelId: '00000000-0000-4000-8000-000000000000' }, audience: { all: true }, steps: [{ channel: 'email' }] },
    });
    const draft = {
      name: 'Spring launch',
      type: 'blast',
      sender: { channelId },
      audience: { all: true },
      steps: [
        {
          templateId,
          variants: [
            { templateId, percent: 50 },
            { templateId: templateB.body.id, percent: 50 },
          ],
        },
      ],
      settings: { ratePerSecond: 5 },
    };
    const campaign = await api(201, 'POST', '/api/v1/campaigns', { body: draft });
    const campaignId = campaign.body.id as string;
    await api(400, 'POST', '/api/v1/campaigns', { body: { ...draft, steps: [] } });
    const { audience: _all, ...withoutAudience } = draft;
    const fromCsv = await api(201, 'POST', '/api/v1/campaigns/from-csv', {
      raw: csvForm('email,first_name\ngrace@example.com,Grace\n', { campaign: JSON.stringify(withoutAudience) }),
    });
    assert.equal(fromCsv.body.campaign.audience.leadIds.length, 1);
    await api(422, 'POST', '/api/v1/campaigns/from-csv', {
      raw: csvForm('email\nnot-an-email\n', { campaign: JSON.stringify(withoutAudience) }),
    });
    await api(400, 'POST', '/api/v1/campaigns/from-csv', { raw: csvForm('email\nx@example.com\n', { campaign: '{' }) });
    await api(204, 'DELETE', `/api/v1/campaigns/${fromCsv.body.campaign.id}`);
    await api(200, 'GET', '/api/v1/campaigns');
    await api(200, 'GET', `/api/v1/campaigns/${campaignId}`);
    await api(200, 'GET', `/api/v1/campaigns/${campaignId}/progress`);
    await api(200, 'PATCH', `/api/v1/campaigns/${campaignId}`, { body: { name: 'Spring launch 2' } });
    const other = await api(201, 'POST', '/api/v1/campaigns', { body: { ...draft, audience: { leadIds: [adaId] } } });
    await api(204, 'DELETE', `/api/v1/campaigns/${other.body.id}`);
    await api(404, 'GET', `/api/v1/campaigns/${other.body.id}/progress`);
    const launch = await api(202, 'POST', `/api/v1/campaigns/${campaignId}/launch`, { headers: { 'idempotency-key': 'launch-1' } });
    const retry = await api(202, 'POST', `/api/v1/campaigns/${campaignId}/launch`, { headers: { 'idempotency-key': 'launch-1' } });
    assert.deepEqual(retry.body, launch.body);
    await api(409, 'POST', `/api/v1/campaigns/${campaignId}/launch`);
    await api(409, 'PATCH', `/api/v1/campaigns/${campaignId}`, { body: { name: 'Too late' } });
    const deadline = Date.now() + 30_000;
    while (!(await t.request('GET', `/api/v1/campaigns/${campaignId}/progress`, { key })).body.materialized) {
      assert.ok(Date.now() < deadline, 'the audience was not materialized within 30 s');
      await new Promise((r) => setTimeout(r, 200));
    }
    const messages = await api(200, 'GET', `/api/v1/campaigns/${campaignId}/messages?limit=500`);
    assert.ok(messages.body.items.length >= 3, 'every lead got a message row');
    // The campaign page's reads: timeline, per-step counts, one message's events, the recipients CSV.
    await api(200, 'GET', `/api/v1/campaigns/${campaignId}/timeline?bucket=minute`);
    await api(400, 'GET', `/api/v1/campaigns/${campaignId}/timeline?bucket=week`);
    await api(200, 'GET', `/api/v1/campaigns/${campaignId}/step-counts`);
    const variants = await api(200, 'GET', `/api/v1/campaigns/${campaignId}/variants`);
    assert.equal(variants.body.steps[0].variants.length, 2);
    await api(404, 'GET', `/api/v1/campaigns/00000000-0000-4000-8000-000000000000/variants`);
    await api(404, 'GET', '/api/v1/campaigns/00000000-0000-4000-8000-000000000000/step-counts');
    await api(200, 'GET', `/api/v1/campaigns/${campaignId}/stats`);
    await api(404, 'GET', '/api/v1/campaigns/00000000-0000-4000-8000-000000000000/stats');
    await api(400, 'GET', '/api/v1/campaigns/not-a-uuid/stats');
    await api(200, 'GET', `/api/v1/campaigns/${campaignId}/messages/${messages.body.items[0].id}/events`);
    await api(404, 'GET', `/api/v1/campaigns/${campaignId}/messages/00000000-0000-4000-8000-000000000000/events`);
    const csv = await t.request<string>('GET', `/api/v1/campaigns/${campaignId}/messages.csv`, { key });
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
    problems.push(
      ...responses.check(
        'GET',
        `/api/v1/campaigns/${campaignId}/messages.csv`,
        csv.status,
        csv.headers.get('content-type'),
        String(csv.body),
      ),
    );
    await api(400, 'GET', `/api/v1/campaigns/${campaignId}/messages.csv?status=lost`);
    await api(200, 'GET', `/api/v1/campaigns/${campaignId}/messages?status=skipped`);
    const history = await api(200, 'GET', `/api/v1/leads/${adaId}/messages?limit=1`);
    assert.equal(history.body.items[0].campaign.id, campaignId);
    await api(400, 'GET', `/api/v1/leads/${adaId}/messages?cursor=garbage`);
    await api(404, 'GET', `/api/v1/leads/${gone.body.id}/messages`);
    // Analytics and conversions.
    await api(200, 'GET', `/api/v1/campaigns/${campaignId}/analytics?bucket=hour`);
    await api(400, 'GET', `/api/v1/campaigns/${campaignId}/analytics?bucket=week`);
    await api(404, 'GET', '/api/v1/campaigns/00000000-0000-4000-8000-000000000000/analytics');
    await api(200, 'GET', '/api/v1/analytics?from=2026-01-01&to=2026-01-31&bucket=day');
    await api(400, 'GET', '/api/v1/analytics?from=2026-02-01&to=2026-01-01');
    await api(201, 'POST', '/api/v1/conversions', {
      body: { leadId: adaId, name: 'order', value: 49.5, currency: 'EUR' },
      headers: { 'idempotency-key': 'order-1' },
    });
    await api(201, 'POST', '/api/v1/conversions', {
      body: { leadId: adaId, name: 'order', value: 49.5, currency: 'EUR' },
      headers: { 'idempotency-key': 'order-1' },
    });
    await api(422, 'POST', '/api/v1/conversions', {
      body: { leadId: adaId, name: 'order', value: 1, currency: 'EUR', idempotencyKey: 'order-1' },
    });
    await api(400, 'POST', '/api/v1/conversions', { body: { name: 'order', value: 1, currency: 'EUR' } });
    await api(404, 'POST', '/api/v1/conversions', { body: { email: 'nobody@example.com', name: 'order', value: 1, currency: 'EUR' } });
    await api(200, 'GET', '/api/v1/conversions?limit=1');
    await api(400, 'GET', '/api/v1/conversions?cursor=garbage');
    // Events and a triggered campaign: enroll, replay, leave, the batch with a bad event, the logs.
    const welcome = await api(201, 'POST', '/api/v1/campaigns', {
      body: {
        ...draft,
        name: 'Welcome',
        type: 'triggered',
        trigger: {
          event: 'signup',
          conditions: [{ property: 'plan', operator: 'exists' }],
          reentry: 'after_exit',
          reentryAfterSeconds: 60,
          exitOn: [{ event: 'purchase', conditions: [{ property: 'total', operator: 'greater_than', value: 0 }] }],
        },
        settings: { frequencyCap: { limit: 2, periodHours: 24 } },
      },
    });
    await api(400, 'POST', '/api/v1/campaigns', { body: { ...draft, type: 'triggered' } });
    await api(202, 'POST', `/api/v1/campaigns/${welcome.body.id}/launch`);
    await api(201, 'POST', '/api/v1/events', {
      body: { leadId: adaId, name: 'signup', properties: { plan: 'pro' } },
      headers: { 'idempotency-key': 'signup-1' },
    });
    await api(200, 'POST', '/api/v1/events', { body: { leadId: adaId, name: 'signup' }, headers: { 'idempotency-key': 'signup-1' } });
    await api(201, 'POST', '/api/v1/events', { body: { leadId: adaId, name: 'purchase', properties: { total: 10 } } });
    await api(400, 'POST', '/api/v1/events', { body: { name: 'signup' } });
    await api(404, 'POST', '/api/v1/events', { body: { email: 'nobody@example.com', name: 'signup' } });
    await api(200, 'POST', '/api/v1/events/batch', {
      body: { events: [{ leadId: adaId, name: 'viewed' }, { email: 'nobody@example.com', name: 'viewed' }, { name: 'bad name' }] },
    });
    await api(400, 'POST', '/api/v1/events/batch', { body: { events: [] } });
    await api(200, 'GET', `/api/v1/events?campaignId=${welcome.body.id}&limit=1`);
    await api(400, 'GET', '/api/v1/events?cursor=garbage');
    await api(200, 'GET', '/api/v1/events/names');
    await api(200, 'GET', `/api/v1/campaigns/${welcome.body.id}/enrollments?status=exited`);
    await api(400, 'GET', `/api/v1/campaigns/${welcome.body.id}/enrollments?status=lost`);
    await api(404, 'GET', '/api/v1/campaigns/00000000-0000-4000-8000-000000000000/enrollments');
    await api(200, 'GET', `/api/v1/campaigns/${welcome.body.id}/enrollments/summary`);
    await api(404, 'GET', '/api/v1/campaigns/00000000-0000-4000-8000-000000000000/enrollments/summary');
    await api(200, 'POST', `/api/v1/campaigns/${welcome.body.id}/cancel`);
    await api(200, 'POST', `/api/v1/campaigns/${campaignId}/pause`);
    await api(200, 'POST', `/api/v1/campaigns/${campaignId}/resume`);
    await api(200, 'POST', `/api/v1/campaigns/${campaignId}/cancel`);
    await api(409, 'POST', `/api/v1/campaigns/${campaignId}/pause`);
    await api(200, 'GET', `/api/v1/campaigns/${campaignId}`);
    const copy = await api(201, 'POST', `/api/v1/campaigns/${campaignId}/duplicate`);
    assert.equal(copy.body.status, 'draft');
    await api(404, 'POST', '/api/v1/campaigns/00000000-0000-4000-8000-000000000000/duplicate');

    // Suppressions: add (201, then 200), import, list, get, delete.
    const suppression = await api(201, 'POST', '/api/v1/suppressions', { body: { channel: 'email', address: 'Ada@Example.com' } });
    await api(200, 'POST', '/api/v1/suppressions', { body: { channel: 'email', address: 'ada@example.com' } });
    await api(400, 'POST', '/api/v1/suppressions', { body: { channel: 'pigeon', address: 'x' } });
    await api(200, 'POST', '/api/v1/suppressions/import', {
      raw: csvForm('address,reason\nbob@example.com,bounced\n,\n', { channel: 'email' }),
    });
    await api(400, 'POST', '/api/v1/suppressions/import', { raw: 'name\nBob\n', headers: { 'content-type': 'text/csv' } });
    await api(200, 'GET', '/api/v1/suppressions?channel=email');
    await api(200, 'GET', `/api/v1/suppressions/${suppression.body.id}`);
    await api(204, 'DELETE', `/api/v1/suppressions/${suppression.body.id}`);
    await api(404, 'GET', `/api/v1/suppressions/${suppression.body.id}`);
    await api(200, 'GET', '/api/v1/suppressions/import/limits');
    await api(401, 'GET', '/api/v1/suppressions/import/limits', { key: '' });

    // API keys: issue, list, revoke; a revoked key is refused.
    const issued = await api(201, 'POST', '/api/v1/api-keys', { body: { name: 'zapier' } });
    await api(400, 'POST', '/api/v1/api-keys', { body: { name: '' } });
    await api(200, 'GET', '/api/v1/api-keys');
    await api(200, 'POST', `/api/v1/api-keys/${issued.body.id}/revoke`);
    await api(401, 'GET', '/api/v1/session', { key: issued.body.key });
    await api(404, 'POST', '/api/v1/api-keys/00000000-0000-4000-8000-000000000000/revoke');

    // Users and invitations.
    await api(200, 'GET', '/api/v1/users');
    const invitation = await api(201, 'POST', '/api/v1/users/invite', { body: { email: 'ann@acme.example', name: 'Ann' } });
    await api(400, 'POST', '/api/v1/users/invite', { body: { email: 'not an address' } });
    await api(200, 'GET', '/api/v1/users');
    await api(204, 'DELETE', `/api/v1/users/invitations/${invitation.body.id}`);
    await api(404, 'DELETE', `/api/v1/users/invitations/${invitation.body.id}`);
    await api(404, 'DELETE', '/api/v1/users/00000000-0000-4000-8000-000000000000');

    // Mailboxes (connected through Google in the web UI: none here).
    await api(200, 'GET', '/api/v1/email-accounts');
    await api(404, 'GET', '/api/v1/email-accounts/00000000-0000-4000-8000-000000000000');
    await api(404, 'POST', '/api/v1/email-accounts/00000000-0000-4000-8000-000000000000/test');
    await api(404, 'GET', '/api/v1/email-accounts/00000000-0000-4000-8000-000000000000/warmup');
    await api(404, 'PUT', '/api/v1/email-accounts/00000000-0000-4000-8000-000000000000/warmup', {
      body: { startPerDay: 20, growthPercent: 20, targetPerDay: 500 },
    });
    await api(404, 'DELETE', '/api/v1/email-accounts/00000000-0000-4000-8000-000000000000/warmup');
    await api(404, 'GET', '/api/v1/email-accounts/00000000-0000-4000-8000-000000000000/guard');
    await api(404, 'PATCH', '/api/v1/email-accounts/00000000-0000-4000-8000-000000000000/guard', { body: { minSample: 100 } });
    await api(404, 'POST', '/api/v1/email-accounts/00000000-0000-4000-8000-000000000000/guard/resume');

    // Conversations: an inbound SMS from a lead opens one; list, thread, assign/status, read, answer.
    const line = await api(201, 'POST', '/api/v1/channels', {
      body: {
        type: 'twilio',
        name: 'Inbox line',
        config: { accountSid: `AC${'2'.repeat(32)}`, from: '+14155550111' },
        secrets: { authToken: 'token' },
      },
    });
    await api(201, 'POST', '/api/v1/leads', { body: { phone: '+14155550199', firstName: 'Lin', consent: { sms: true } } });
    const [{ organization_id: orgId }] = await t.dataSource.query('SELECT organization_id FROM channel_connections WHERE id = $1', [
      line.body.id,
    ]);
    const recorder = t.app.get(MessageEventRecorder);
    await recorder.enqueue([
      {
        organizationId: orgId,
        source: 'twilio',
        eventId: 'inbound:walk-1',
        type: 'replied',
        occurredAt: new Date(),
        payload: { from: '+14155550199', to: '+14155550111', text: 'Tell me more', kind: 'human' },
        replyFrom: { channel: 'sms', address: '+14155550199', channelId: line.body.id },
      },
    ]);
    await recorder.drain();
    const inbox = await api(200, 'GET', '/api/v1/conversations?unread=true&channel=sms');
    const conversationId = inbox.body.items[0].id as string;
    await api(200, 'GET', '/api/v1/conversations?limit=1&status=open&search=lin');
    await api(400, 'GET', '/api/v1/conversations?status=lost');
    await api(400, 'GET', '/api/v1/conversations?cursor=garbage');
    await api(200, 'GET', '/api/v1/conversations/summary');
    await api(200, 'GET', `/api/v1/conversations/${conversationId}`);
    await api(404, 'GET', '/api/v1/conversations/00000000-0000-4000-8000-000000000000');
    await api(200, 'PATCH', `/api/v1/conversations/${conversationId}`, { body: { status: 'closed', assigneeId: null } });
    await api(400, 'PATCH', `/api/v1/conversations/${conversationId}`, { body: { assigneeId: '00000000-0000-4000-8000-000000000000' } });
    await api(200, 'POST', `/api/v1/conversations/${conversationId}/read`);
    await api(201, 'POST', `/api/v1/conversations/${conversationId}/messages`, {
      body: { text: 'Here it is' },
      headers: { 'idempotency-key': 'walk' },
    });
    await api(201, 'POST', `/api/v1/conversations/${conversationId}/messages`, {
      body: { text: 'Here it is' },
      headers: { 'idempotency-key': 'walk' },
    });
    await api(422, 'POST', `/api/v1/conversations/${conversationId}/messages`, {
      body: { text: 'Other' },
      headers: { 'idempotency-key': 'walk' },
    });
    await api(400, 'POST', `/api/v1/conversations/${conversationId}/messages`, { body: { text: ' ' } });
    await api(404, 'POST', '/api/v1/conversations/00000000-0000-4000-8000-000000000000/read');

    // Callbacks: create (idempotent), queue, summary, rule, detail, status, assign, complete.
    const callback = await api(201, 'POST', '/api/v1/callbacks', {
      body: { address: '+14155550188', reason: 'Asked on the form' },
      headers: { 'idempotency-key': 'walk-callback' },
    });
    await api(201, 'POST', '/api/v1/callbacks', {
      body: { address: '+14155550188', reason: 'Asked on the form' },
      headers: { 'idempotency-key': 'walk-callback' },
    });
    await api(400, 'POST', '/api/v1/callbacks', { body: { reason: 'nobody' } });
    await api(404, 'POST', '/api/v1/callbacks', { body: { leadId: '00000000-0000-4000-8000-000000000000' } });
    await api(200, 'GET', '/api/v1/callbacks?status=pending&overdue=false&sort=due&limit=5');
    await api(400, 'GET', '/api/v1/callbacks?priority=meh');
    await api(200, 'GET', '/api/v1/callbacks/summary');
    await api(200, 'GET', '/api/v1/callbacks/rule');
    await api(200, 'PUT', '/api/v1/callbacks/rule', { body: { waitingPointsPerHour: 10 } });
    await api(400, 'PUT', '/api/v1/callbacks/rule', { body: { slaMinutes: { urgent: 0 } } });
    await api(200, 'GET', `/api/v1/callbacks/${callback.body.id}`);
    await api(404, 'GET', '/api/v1/callbacks/00000000-0000-4000-8000-000000000000');
    await api(409, 'POST', `/api/v1/callbacks/${callback.body.id}/complete`, { body: { resolution: 'Too early' } });
    await api(409, 'POST', `/api/v1/callbacks/${callback.body.id}/assign`, { body: { roundRobin: true } });
    await api(400, 'POST', `/api/v1/callbacks/${callback.body.id}/assign`, { body: { assigneeId: 'x' } });
    await api(409, 'PUT', `/api/v1/callbacks/${callback.body.id}/status`, { body: { status: 'completed' } });
    await api(200, 'PUT', `/api/v1/callbacks/${callback.body.id}/status`, { body: { status: 'cancelled', resolution: 'Duplicate' } });
    await api(400, 'PUT', `/api/v1/callbacks/${callback.body.id}/status`, { body: { status: 'lost' } });
    // Call now: a cancelled request cannot be called; an API key calls for the assignee (a member with a phone).
    await api(409, 'POST', `/api/v1/callbacks/${callback.body.id}/call`);
    await api(404, 'POST', '/api/v1/callbacks/00000000-0000-4000-8000-000000000000/call');
    const callee = await api(201, 'POST', '/api/v1/leads', { body: { phone: '+14155550133', firstName: 'Cal', consent: { voice: true } } });
    const toCall = await api(201, 'POST', '/api/v1/callbacks', { body: { leadId: callee.body.id, reason: 'Call me' } });
    const [{ id: caller }] = await t.dataSource.query(
      `INSERT INTO users (organization_id, email, phone) VALUES ($1, 'caller@acme.example', '+14155550134') RETURNING id`,
      [orgId],
    );
    await api(200, 'POST', `/api/v1/callbacks/${toCall.body.id}/assign`, { body: { assigneeId: caller } });
    await api(201, 'POST', `/api/v1/callbacks/${toCall.body.id}/call`, { headers: { 'idempotency-key': 'walk-call' } });
    await api(201, 'POST', `/api/v1/callbacks/${toCall.body.id}/call`, { headers: { 'idempotency-key': 'walk-call' } });
    await api(409, 'POST', `/api/v1/callbacks/${toCall.body.id}/call`);
    await api(400, 'PUT', '/api/v1/users/me/phone', { body: { phone: 'call me maybe' } });
    await api(400, 'PUT', '/api/v1/users/me/phone', { body: { phone: null } });

    // What a campaign uses cannot be deleted (409, not a 5xx); what nothing uses can.
    const inUse = await api(409, 'DELETE', `/api/v1/channels/${channelId}`);
    assert.equal(inUse.body.code, 'channel_in_use');
    await api(409, 'DELETE', `/api/v1/templates/${templateId}`);
    const unused = await api(201, 'POST', '/api/v1/channels', {
      body: {
        type: 'twilio',
        name: 'Spare',
        config: { accountSid: `AC${'0'.repeat(32)}`, from: '+14155550100' },
        secrets: { authToken: 'token' },
      },
    });
    assert.deepEqual(Object.keys(unused.body.webhookUrls), ['inbound', 'status', 'voice']);
    await api(204, 'DELETE', `/api/v1/channels/${unused.body.id}`);
    await api(404, 'DELETE', `/api/v1/channels/${unused.body.id}`);

    // WhatsApp templates: sync from the business account, list, get, sample CSV, the refusals.
    const wa = await api(201, 'POST', '/api/v1/channels', {
      body: {
        type: 'whatsapp',
        name: 'WhatsApp',
        config: { phoneNumberId: '106540352242922', businessAccountId: '102290129340398', baseUrl: sandbox.url },
        secrets: { accessToken: 'EAAG-walk', appSecret: 'app-secret' },
      },
    });
    const synced = await api(200, 'POST', '/api/v1/whatsapp/templates/sync', { body: { channelId: wa.body.id } });
    assert.ok(synced.body.channels[0].templates > 0);
    await api(200, 'POST', '/api/v1/whatsapp/templates/sync', { body: {} });
    await api(400, 'POST', '/api/v1/whatsapp/templates/sync', { body: { channelId: 'nope' } });
    await api(404, 'POST', '/api/v1/whatsapp/templates/sync', { body: { channelId: '00000000-0000-4000-8000-000000000000' } });
    const waTemplates = await api(200, 'GET', `/api/v1/whatsapp/templates?channelId=${wa.body.id}&status=APPROVED`);
    await api(400, 'GET', '/api/v1/whatsapp/templates?status=MAYBE');
    const waTemplateId = waTemplates.body.items[0].id as string;
    await api(200, 'GET', `/api/v1/whatsapp/templates/${waTemplateId}`);
    await api(404, 'GET', '/api/v1/whatsapp/templates/00000000-0000-4000-8000-000000000000');
    await api(200, 'GET', `/api/v1/whatsapp/templates/${waTemplateId}/sample.csv`);
    const noWaba = await api(201, 'POST', '/api/v1/channels', {
      body: {
        type: 'whatsapp',
        name: 'No WABA',
        config: { phoneNumberId: '1234567890', baseUrl: sandbox.url },
        secrets: { accessToken: 'x', appSecret: 'y' },
      },
    });
    await api(409, 'POST', '/api/v1/whatsapp/templates/sync', { body: { channelId: noWaba.body.id } });

    // Retry of failed messages: a finished blast (200, nothing to retry here), a draft (409), an unknown id, a bad body.
    const finished = await api(201, 'POST', '/api/v1/campaigns', { body: { ...draft, name: 'Finished' } });
    await api(409, 'POST', `/api/v1/campaigns/${finished.body.id}/retry`, { body: {} });
    await t.dataSource.query(`UPDATE campaigns SET status = 'completed' WHERE id = $1`, [finished.body.id]);
    const retried = await api(200, 'POST', `/api/v1/campaigns/${finished.body.id}/retry`, { body: { errorCodes: ['131056'] } });
    assert.equal(retried.body.retried, 0);
    await api(400, 'POST', `/api/v1/campaigns/${finished.body.id}/retry`, { body: { errorCodes: 'all' } });
    await api(404, 'POST', '/api/v1/campaigns/00000000-0000-4000-8000-000000000000/retry', { body: {} });

    assert.deepEqual(problems, []);
  });

  it('the walk covers every public operation but the browser flows and those needing a real Google mailbox', () => {
    const exempt = new Set([
      // Browser navigations answering redirects (sign-in, Connect Gmail) and the web session's logout.
      'GET /auth/google',
      'GET /auth/gmail/connect',
      'POST /auth/logout',
      // Needs n8n: 503 here (the walk's /health shows the same states).
      'GET /health/ready',
      // A stream; its events are CampaignProgressResponse, checked through /progress.
      'GET /api/v1/campaigns/{id}/events',
      // Need a connected Gmail mailbox (Google OAuth): covered by gmail-oauth.test.ts.
      'PATCH /api/v1/email-accounts/{id}',
      'POST /api/v1/email-accounts/{id}/primary',
      'POST /api/v1/email-accounts/{id}/disconnect',
    ]);
    const missed = responses.operations().filter((op) => !exempt.has(op) && !responses.seen.has(op));
    assert.deepEqual(missed, []);
  });
});
