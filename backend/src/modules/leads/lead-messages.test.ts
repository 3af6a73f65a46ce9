import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { RuntimeSecrets } from '../../config/runtime-secrets';
import { FakeSender, tickUntil, TriggerReceiver } from '../../test/engine-harness';
import { startTestApp, TestApp } from '../../test/test-app';

/** A provider's text that needs quoting in PostgreSQL's array syntax: the report sends its batch as arrays. */
const UNREACHABLE = 'Number "unreachable", {code: 21211} \\ NULL ünï';

describe.each([
  ['PostgreSQL', false],
  ['PGlite', true],
])("GET /leads/:id/messages: a lead's messages across campaigns (%s)", (_name, embedded) => {
  let t: TestApp;
  let key: string;
  let otherKey: string;
  let receiver: TriggerReceiver;
  let leadId: string;
  const api = (method: string, path: string, body?: unknown, k = key) => t.request(method, `/api/v1${path}`, { key: k, body });

  /** A campaign to the lead, launched, materialized and run through the internal API; `fail` decides the outcome. */
  async function runCampaign(name: string, templateId: string, channelId: string, fail: boolean) {
    const created = await api('POST', '/campaigns', {
      name,
      type: 'blast',
      sender: { channelId },
      audience: { leadIds: [leadId] },
      steps: [{ channel: 'sms', templateId }],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.id as string;
    assert.equal((await api('POST', `/campaigns/${id}/launch`)).status, 202);
    await tickUntil(t, async () => receiver.triggers.some((tr) => tr.campaignId === id));
    const runId = receiver.triggers.find((tr) => tr.campaignId === id)!.runId as string;
    await new FakeSender(t, () =>
      fail ? { outcome: 'failed', errorCode: 'provider_rejected', errorMessage: UNREACHABLE } : { outcome: 'sent' },
    ).drain(runId);
    return id;
  }

  beforeAll(async () => {
    receiver = new TriggerReceiver(() => t.app.get(RuntimeSecrets).triggerSigningSecret);
    await receiver.start();
    t = await startTestApp({ embedded, env: { SCHEDULER_INTERVAL_MS: '0', N8N_URL: receiver.url } });
    key = (await t.createOrg()).apiKey;
    otherKey = (await t.createOrg('Other')).apiKey;
    const channelId = (
      await api('POST', '/channels', {
        type: 'twilio',
        name: 'Line',
        config: { accountSid: `AC${'3'.repeat(32)}`, from: '+14155550100' },
        secrets: { authToken: 'token-token-token' },
      })
    ).body.id as string;
    const templateId = (await api('POST', '/templates', { name: 'Hi', channel: 'sms', body: 'Hi' })).body.id as string;
    leadId = (await api('POST', '/leads', { phone: '+14155550177', firstName: 'Ada', consent: { sms: true } })).body.id as string;
    await runCampaign('Spring launch', templateId, channelId, false);
    await runCampaign('Summer follow-up', templateId, channelId, true);
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.stop();
  });

  it('lists them newest first with the campaign name, status, times and error', async () => {
    const res = await api('GET', `/leads/${leadId}/messages`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(
      res.body.items.map((m: any) => [m.campaign.name, m.position, m.channel, m.status, m.errorCode, m.to]),
      [
        ['Summer follow-up', 0, 'sms', 'failed', 'provider_rejected', '+14155550177'],
        ['Spring launch', 0, 'sms', 'sent', null, '+14155550177'],
      ],
    );
    assert.equal(res.body.items[0].errorMessage, UNREACHABLE);
    assert.ok(!Number.isNaN(Date.parse(res.body.items[1].sentAt)), 'the sent message has its sending time');
    assert.equal(res.body.nextCursor, null);
  });

  it('pages with the cursor without repeating or skipping a message', async () => {
    const first = await api('GET', `/leads/${leadId}/messages?limit=1`);
    assert.equal(first.body.items.length, 1);
    assert.equal(first.body.items[0].campaign.name, 'Summer follow-up');
    assert.ok(first.body.nextCursor);
    const second = await api('GET', `/leads/${leadId}/messages?limit=1&cursor=${first.body.nextCursor}`);
    assert.deepEqual(
      second.body.items.map((m: any) => m.campaign.name),
      ['Spring launch'],
    );
    assert.equal(second.body.nextCursor, null);
  });

  it('is scoped to the organization and refuses bad input with stable codes', async () => {
    const foreign = await api('GET', `/leads/${leadId}/messages`, undefined, otherKey);
    assert.equal(foreign.status, 404);
    assert.equal(foreign.body.code, 'lead_not_found');
    assert.equal((await api('GET', `/leads/${leadId}/messages?cursor=nope`)).body.code, 'invalid_cursor');
    assert.equal((await api('GET', `/leads/${leadId}/messages?limit=0`)).body.code, 'validation_failed');
    assert.equal((await api('GET', '/leads/not-a-uuid/messages')).status, 400);
  });

  it('tells a client the largest import it accepts', async () => {
    const res = await api('GET', '/leads/import/limits');
    assert.equal(res.status, 200);
    assert.equal(res.body.maxBytes, 2 * 1024 ** 3);
    assert.equal((await api('GET', '/suppressions/import/limits')).body.maxBytes, 2 * 1024 ** 3);
  });

  // Last: it deletes the lead. A trigger, not a foreign key, sets its messages' lead to NULL (migration 1798500000000).
  it('deleting the lead keeps its messages in the campaigns, without the lead', async () => {
    const [{ organization_id: organizationId }] = await t.dataSource.query('SELECT organization_id FROM leads WHERE id = $1', [leadId]);
    const logged = () =>
      t.dataSource.query('SELECT lead_id, status FROM messages WHERE organization_id = $1 ORDER BY status', [organizationId]);
    assert.deepEqual(await logged(), [
      { lead_id: leadId, status: 'failed' },
      { lead_id: leadId, status: 'sent' },
    ]);
    assert.equal((await api('DELETE', `/leads/${leadId}`)).status, 204);
    assert.deepEqual(await logged(), [
      { lead_id: null, status: 'failed' },
      { lead_id: null, status: 'sent' },
    ]);
    assert.equal((await api('GET', `/leads/${leadId}/messages`)).body.code, 'lead_not_found');
  });
});
