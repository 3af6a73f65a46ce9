import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startTestApp, TestApp } from '../../../test/test-app';

interface Finding {
  code: string;
  severity: string;
  count?: number;
  step?: number;
}

/** The pre-launch check through the API, and launch refusing on what it blocks. */
describe.each([
  ['PostgreSQL', false],
  ['PGlite', true],
])('pre-launch check on %s', (_database, embedded) => {
  let t: TestApp;
  let key: string;
  let otherKey: string;
  let organizationId: string;
  let smsChannelId: string;
  let smsCampaignId: string;

  const api = (method: string, path: string, body?: unknown, k = key) => t.request(method, `/api/v1${path}`, { key: k, body });
  const post = async (path: string, body: unknown) => {
    const res = await api('POST', path, body);
    assert.ok(res.status === 200 || res.status === 201, `${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const codes = (findings: Finding[]) => findings.map((f) => f.code).sort();
  const campaign = (body: Record<string, unknown>) => post('/campaigns', { name: 'C', type: 'blast', audience: { all: true }, ...body });

  beforeAll(async () => {
    t = await startTestApp({ embedded, env: { SCHEDULER_INTERVAL_MS: '0', WHATSAPP_TEMPLATE_SYNC_INTERVAL_MS: '0' } });
    ({ apiKey: key, organizationId } = await t.createOrg('Acme'));
    otherKey = (await t.createOrg('Other')).apiKey;
    smsChannelId = (
      await post('/channels', {
        type: 'twilio',
        name: 'Texts',
        config: { accountSid: `AC${'9'.repeat(32)}`, from: '+14155550144', ratePerSecond: 10 },
        secrets: { authToken: 'tok' },
      })
    ).id;
    const leads = await post('/leads', [
      { phone: '+14155550001', firstName: 'Ann', attributes: { city: 'Oslo' }, consent: { sms: true } },
      { phone: '+14155550002', firstName: 'Bo', consent: { sms: true } },
      { phone: '+14155550003', firstName: '  ', consent: { sms: true } },
      { phone: '+14155550004', consent: { sms: true } },
      { phone: '+14155550005', firstName: 'No', consent: { sms: false } },
      { email: 'only@mail.example', firstName: 'Mail' },
    ]);
    const template = await post('/templates', {
      name: 'Hi',
      channel: 'sms',
      body: 'Hi {{ lead.first_name }} from {{ lead.attributes.city }}, {{ lead.plan | default: "friend" }}{% if lead.company %} at {{ lead.company }}{% endif %}',
    });
    smsCampaignId = (
      await campaign({ sender: { channelId: smsChannelId }, audience: { leadIds: leads.ids }, steps: [{ templateId: template.id }] })
    ).id;
  }, 180_000);
  afterAll(async () => {
    await t?.close();
  });

  it('counts skips per reason and leads missing each variable without default, with an ETA; an untested channel only warns', async () => {
    const res = await api('POST', `/campaigns/${smsCampaignId}/check`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const check = res.body;
    assert.equal(check.ok, true);
    assert.deepEqual(check.blocking, []);
    assert.equal(check.leads, 6);
    assert.equal(check.steps[0].eligible, 4);
    assert.deepEqual(check.steps[0].skipped, { no_consent: 1, missing_address: 1 });
    // Blank first names: Ann and Bo have one; "  " and none are blank. Only Ann has a city. `plan` has a
    // default and `company` is only printed inside its own {% if %}: neither counts.
    assert.deepEqual(check.steps[0].missingVariables, [
      { variable: 'lead.first_name', leads: 2 },
      { variable: 'lead.attributes.city', leads: 3 },
    ]);
    assert.deepEqual(codes(check.warnings), [
      'channel_untested',
      'missing_variable',
      'missing_variable',
      'skipped_missing_address',
      'skipped_no_consent',
    ]);
    assert.equal(check.warnings.find((f: Finding) => f.code === 'skipped_no_consent').count, 1);
    assert.equal(check.eta.senders.length, 1);
    assert.equal(check.eta.senders[0].messages, 4);
    assert.equal(check.eta.senders[0].label, 'Texts');
    const seconds = (Date.parse(check.eta.lastMessageAt) - Date.parse(check.eta.startAt)) / 1000;
    assert.ok(seconds >= 0 && seconds < 5, `4 messages at 10/s: ${seconds} s`);
  });

  it('a channel whose last test failed blocks: launch refuses with campaign_check_failed and the findings; fixed, it launches on warnings', async () => {
    await t.dataSource.query(`UPDATE channel_connections SET status = 'error', last_error = 'Authenticate: 20003' WHERE id = $1`, [
      smsChannelId,
    ]);
    const check = (await api('POST', `/campaigns/${smsCampaignId}/check`)).body;
    assert.equal(check.ok, false);
    assert.deepEqual(codes(check.blocking), ['channel_test_failed']);
    assert.match(check.blocking[0].message, /20003/);
    const refused = await api('POST', `/campaigns/${smsCampaignId}/launch`);
    assert.equal(refused.status, 422);
    assert.equal(refused.body.code, 'campaign_check_failed');
    assert.deepEqual(codes(refused.body.details.blocking), ['channel_test_failed']);
    assert.equal((await api('GET', `/campaigns/${smsCampaignId}`)).body.status, 'draft');

    await t.dataSource.query(`UPDATE channel_connections SET status = 'connected', last_error = NULL WHERE id = $1`, [smsChannelId]);
    const launched = await api('POST', `/campaigns/${smsCampaignId}/launch`);
    assert.equal(launched.status, 202, JSON.stringify(launched.body));
  });

  it('a mailbox that needs reconnecting blocks', async () => {
    const [{ id: mailboxId }] = await t.dataSource.query(
      `INSERT INTO email_accounts (organization_id, email, status, last_error) VALUES ($1, 'ada@mail.example', 'reauth_required', 'invalid_grant') RETURNING id`,
      [organizationId],
    );
    await post('/leads', [{ email: 'lead@mail.example', consent: { email: true } }]);
    const template = await post('/templates', { name: 'Mail', channel: 'email', subject: 'Hi', html: '<p>Hi</p>' });
    const id = (await campaign({ sender: { emailAccountId: mailboxId }, steps: [{ templateId: template.id }] })).id;
    const check = (await api('POST', `/campaigns/${id}/check`)).body;
    assert.deepEqual(codes(check.blocking), ['mailbox_not_connected']);
    assert.match(check.blocking[0].message, /invalid_grant/);
    assert.equal((await api('POST', `/campaigns/${id}/launch`)).body.code, 'campaign_check_failed');
  });

  it('a WhatsApp template the synced catalog does not hold as approved blocks', async () => {
    const channel = await post('/channels', {
      type: 'whatsapp',
      name: 'WA',
      config: { phoneNumberId: '106540352242922', businessAccountId: '102290129340398' },
      secrets: { accessToken: 'EAAG-x', appSecret: 'app-secret' },
    });
    const template = await post('/templates', {
      name: 'WA',
      channel: 'whatsapp',
      whatsapp: { name: 'no_such_template', language: 'en_US' },
    });
    const id = (await campaign({ sender: { channelId: channel.id }, steps: [{ templateId: template.id }] })).id;
    const check = (await api('POST', `/campaigns/${id}/check`)).body;
    assert.ok(codes(check.blocking).includes('whatsapp_template_not_approved'), JSON.stringify(check.blocking));
    assert.equal(check.blocking.find((f: Finding) => f.code === 'whatsapp_template_not_approved').step, 0);
  });

  it("another organization's campaign is not found", async () => {
    const res = await api('POST', `/campaigns/${smsCampaignId}/check`, undefined, otherKey);
    assert.equal(res.status, 404);
    assert.equal(res.body.code, 'campaign_not_found');
    assert.equal((await api('POST', '/campaigns/not-a-uuid/check')).status, 400);
  });
});
