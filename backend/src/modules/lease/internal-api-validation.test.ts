import { leaseTemplateOf, LeaseResponseSchema, parseContract } from '@cadence/contracts';
import { buildRenderContext, renderTemplate } from '@cadence/render';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { RuntimeSecrets } from '../../config/runtime-secrets';
import { FakeSender, tickUntil, TriggerReceiver } from '../../test/engine-harness';
import { startTestApp, TestApp } from '../../test/test-app';
import { gmailThreading } from './threading';

describe('internal API bodies follow @cadence/contracts', () => {
  let t: TestApp;
  let key: string;
  let receiver: TriggerReceiver;
  let n8n: FakeSender;
  let runId: string;
  let organizationId: string;

  const api = (method: string, path: string, body?: unknown) => t.request(method, `/api/v1${path}`, { key, body });

  beforeAll(async () => {
    receiver = new TriggerReceiver(() => t.app.get(RuntimeSecrets).triggerSigningSecret);
    await receiver.start();
    t = await startTestApp({ env: { SCHEDULER_INTERVAL_MS: '0', N8N_URL: receiver.url } });
    const org = await t.createOrg();
    key = org.apiKey;
    organizationId = org.organizationId;
    n8n = new FakeSender(t);
    const twilio = (
      await api('POST', '/channels', {
        type: 'twilio',
        name: 'Line',
        config: { accountSid: `AC${'3'.repeat(32)}`, from: '+14155550100', ratePerSecond: 1000 },
        secrets: { authToken: 'token-token-token' },
      })
    ).body.id;
    const template = await api('POST', '/templates', {
      name: 'Named',
      channel: 'sms',
      body: 'Hi {{ lead.first_name }}, {{ campaign.name }} is here',
    });
    assert.equal(template.status, 201, JSON.stringify(template.body));
    const leads = await api('POST', '/leads', [{ phone: '+14157110001', firstName: 'Ada', consent: { sms: true } }]);
    assert.equal(leads.body.failed, 0, JSON.stringify(leads.body));
    const created = await api('POST', '/campaigns', {
      name: 'Spring launch',
      type: 'blast',
      sender: { channelId: twilio },
      audience: { all: true },
      steps: [{ channel: 'sms', templateId: template.body.id }],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal((await api('POST', `/campaigns/${created.body.id}/launch`)).status, 202);
    await tickUntil(t, async () => receiver.triggers.some((tr) => tr.campaignId === created.body.id));
    runId = receiver.triggers.find((tr) => tr.campaignId === created.body.id)!.runId;
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.stop();
  });

  const refused = async (path: string, body: unknown, where: string) => {
    const res = await n8n.call('POST', `/runs/${runId}/${path}`, body);
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.equal(res.body.code, 'validation_failed');
    assert.ok(
      res.body.details.issues.some((i: { path: string }) => i.path === where),
      JSON.stringify(res.body),
    );
    assert.match(res.body.message, new RegExp(`^${where.replace(/[[\].]/g, '\\$&')}: `));
  };

  it('a malformed lease, sending or results body answers 400 validation_failed naming where', async () => {
    await refused('lease', { max: 0 }, 'max');
    await refused('lease', { max: 'ten' }, 'max');
    await refused('sending', { leaseId: 'not-a-uuid', messageIds: [] }, 'leaseId');
    await refused('sending', { leaseId: '00000000-0000-4000-8000-000000000001', messageIds: ['x'] }, 'messageIds[0]');
    await refused('sending', { leaseId: '00000000-0000-4000-8000-000000000001' }, 'messageIds');
    await refused(
      'results',
      {
        leaseId: '00000000-0000-4000-8000-000000000001',
        results: [{ messageId: '00000000-0000-4000-8000-000000000002', outcome: 'exploded' }],
      },
      'results[0].outcome',
    );
    await refused(
      'results',
      {
        leaseId: '00000000-0000-4000-8000-000000000001',
        results: [{ messageId: '00000000-0000-4000-8000-000000000002', outcome: 'skipped', reason: 'bored' }],
      },
      'results[0].reason',
    );
    await refused('results', { results: [] }, 'leaseId');
    await refused('handoff', { reason: 'tired' }, 'reason');
  });

  it('the lease matches the contract and carries the campaign, so {{ campaign.name }} renders', async () => {
    const res = await n8n.call('POST', `/runs/${runId}/lease`, {});
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const checked = parseContract(LeaseResponseSchema, res.body);
    assert.ok(checked.ok, JSON.stringify(checked));
    const [item] = res.body.items;
    assert.equal(item.campaign.name, 'Spring launch');
    assert.equal(item.campaign.type, 'blast');
    assert.equal(item.sender, undefined);
    assert.deepEqual(item.threading, { inReplyTo: null, references: [], threadId: null });
    const rendered = renderTemplate(
      leaseTemplateOf(res.body, item),
      buildRenderContext({ lead: item.lead, campaign: item.campaign, message: { id: item.messageId } }),
    );
    assert.equal(rendered.status, 'rendered');
    assert.equal(rendered.status === 'rendered' && rendered.channel === 'sms' && rendered.body, 'Hi Ada, Spring launch is here');
    // A body that parses is still applied as before.
    const sending = await n8n.call('POST', `/runs/${runId}/sending`, { leaseId: res.body.leaseId, messageIds: [item.messageId] });
    assert.deepEqual(sending.body, { accepted: [item.messageId], rejected: [] });
    // Texts that need quoting in PostgreSQL's array syntax (the report's batch is sent as arrays, one a column), and a
    // time JavaScript parses and PostgreSQL would not: each arrives as sent.
    const text = 'a "quoted", {braced} back\\slash\nNULL ünï 📨';
    const report = await n8n.call('POST', `/runs/${runId}/results`, {
      leaseId: res.body.leaseId,
      results: [{ messageId: item.messageId, outcome: 'sent', providerMessageId: text, errorCode: 7, errorMessage: text, sentAt: '1' }],
    });
    assert.deepEqual(report.body, { applied: 1, ignored: 0 });
    const [stored] = await t.dataSource.query(
      'SELECT provider_message_id, error_code, error_message, sent_at FROM messages WHERE id = $1',
      [item.messageId],
    );
    assert.deepEqual(stored, { provider_message_id: text, error_code: '7', error_message: text, sent_at: new Date(Date.parse('1')) });
  });

  it('a template preview renders {{ campaign.name }} with a sample campaign, and a campaign key the lease lacks is refused', async () => {
    const created = await api('POST', '/templates', {
      name: 'Preview',
      channel: 'sms',
      body: '{{ campaign.name }} for {{ lead.first_name }}',
    });
    const preview = await api('POST', `/templates/${created.body.id}/preview`, {});
    assert.equal(preview.status, 200, JSON.stringify(preview.body));
    assert.equal(preview.body.result.body, 'Sample campaign for Ada');
    const typo = await api('POST', '/templates', { name: 'Typo', channel: 'sms', body: '{{ campaign.title }}' });
    assert.equal(typo.status, 422);
    assert.equal(typo.body.details[0].code, 'template_unknown_variable');
  });

  it('a Gmail follow-up threads under the earlier emails of its sequence sent through the same account', async () => {
    const [account] = await t.dataSource.query(
      `INSERT INTO email_accounts (organization_id, email) VALUES ($1, 'ada@mail.example') RETURNING id`,
      [organizationId],
    );
    const [other] = await t.dataSource.query(
      `INSERT INTO email_accounts (organization_id, email) VALUES ($1, 'bob@other.example') RETURNING id`,
      [organizationId],
    );
    const template = (await api('POST', '/templates', { name: 'Mail', channel: 'email', subject: 'Hello', text: 'Hi' })).body.id;
    const lead = (await api('POST', '/leads', [{ email: 'lead@example.com', consent: { email: true } }])).body.ids[0];
    // Rows as the materializer and earlier reports leave them: steps 0 and 1 sent, step 2 due.
    const [campaign] = await t.dataSource.query(
      `INSERT INTO campaigns (organization_id, name, type, status, sender_email_account_id, audience, settings) VALUES ($1, 'Seq', 'sequence', 'active', $2, '{"all":true}', '{}') RETURNING id`,
      [organizationId, account.id],
    );
    const steps: string[] = [];
    for (let position = 0; position < 4; position++) {
      const [s] = await t.dataSource.query(
        `INSERT INTO campaign_steps (organization_id, campaign_id, position, channel, template_id, sender_email_account_id) VALUES ($1, $2, $3, 'email', $4, $5) RETURNING id`,
        [organizationId, campaign.id, position, template, position === 3 ? other.id : null],
      );
      steps.push(s.id);
    }
    const message = async (position: number, status: string, provider: string | null) =>
      (
        await t.dataSource.query(
          `INSERT INTO messages (organization_id, campaign_id, step_id, lead_id, position, channel, status, provider_message_id, due_at) VALUES ($1, $2, $3, $4, $5, 'email', $6, $7, now()) RETURNING id`,
          [organizationId, campaign.id, steps[position], lead, position, status, provider],
        )
      )[0].id as string;
    const first = await message(0, 'delivered', 'gmail-1');
    const second = await message(1, 'sent', 'gmail-2');
    const third = await message(2, 'queued', null);
    const viaOther = await message(3, 'queued', null);
    const threading = await t.dataSource.transaction((m) =>
      gmailThreading(m, campaign.id, account.id, 'Ada <ada@mail.example>', [
        { id: first, lead_id: lead, position: 0, channel: 'email' },
        { id: third, lead_id: lead, position: 2, channel: 'email' },
      ]),
    );
    assert.equal(threading.has(first), false, 'a first email starts its thread');
    assert.deepEqual(threading.get(third), {
      inReplyTo: `<${second}@mail.example>`,
      references: [`<${first}@mail.example>`, `<${second}@mail.example>`],
      threadId: 'gmail-1',
    });
    const elsewhere = await t.dataSource.transaction((m) =>
      gmailThreading(m, campaign.id, other.id, 'bob@other.example', [{ id: viaOther, lead_id: lead, position: 3, channel: 'email' }]),
    );
    assert.equal(elsewhere.size, 0, 'another mailbox has no thread to join');
  });
});
