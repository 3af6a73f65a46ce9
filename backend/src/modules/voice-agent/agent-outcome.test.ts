import assert from 'node:assert/strict';
import { leaseTemplateOf } from '@cadence/contracts';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { RuntimeSecrets } from '../../config/runtime-secrets';
import { FakeSender, tickUntil, TriggerReceiver } from '../../test/engine-harness';
import { startTestApp, TestApp } from '../../test/test-app';

const PUBLIC_URL = 'https://cadence.example.com';

describe('voice agent: stream parameters in the lease, outcome reports, callback requests', () => {
  let t: TestApp;
  let key: string;
  let otherKey: string;
  let receiver: TriggerReceiver;

  const api = (method: string, path: string, body?: unknown, as = key) => t.request(method, `/api/v1${path}`, { key: as, body });
  const report = (url: string, body: unknown) => t.request('POST', url.slice(PUBLIC_URL.length), { body });

  beforeAll(async () => {
    receiver = new TriggerReceiver(() => t.app.get(RuntimeSecrets).triggerSigningSecret);
    await receiver.start();
    t = await startTestApp({ env: { SCHEDULER_INTERVAL_MS: '0', N8N_URL: receiver.url, PUBLIC_URL } });
    key = (await t.createOrg()).apiKey;
    otherKey = (await t.createOrg('Other')).apiKey;
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  it('the lease hands an agent call its outcome URL; call_back records once and creates a callback request; forged tokens are refused', async () => {
    const channel = await api('POST', '/channels', {
      type: 'twilio',
      name: 'Agent line',
      config: { accountSid: `AC${'4'.repeat(32)}`, from: '+14155550100', agentProvider: 'elevenlabs', maxConcurrentCalls: 2 },
      secrets: { authToken: 'agent-twilio-token' },
    });
    assert.equal(channel.status, 201, JSON.stringify(channel.body));
    const unknownProvider = await api('POST', '/channels', {
      type: 'twilio',
      name: 'Other line',
      config: { accountSid: `AC${'4'.repeat(32)}`, from: '+14155550101', agentProvider: 'siri' },
      secrets: { authToken: 'agent-twilio-token' },
    });
    assert.equal(unknownProvider.status, 400, JSON.stringify(unknownProvider.body));
    const template = await api('POST', '/templates', {
      name: 'Agent',
      channel: 'voice',
      voice: { mode: 'agent', streamUrl: 'wss://agent.example/s', prompt: 'Sell to {{ lead.first_name }}', firstMessage: 'Hello!' },
    });
    assert.equal(template.status, 201, JSON.stringify(template.body));
    const leads = await api('POST', '/leads', [
      { phone: '+14155557001', firstName: 'Cal', consent: { voice: true } },
      { phone: '+14155557002', firstName: 'Ina', consent: { voice: true } },
    ]);
    const campaign = await api('POST', '/campaigns', {
      name: 'Agent calls',
      type: 'blast',
      sender: { channelId: channel.body.id },
      audience: { leadIds: leads.body.ids },
      steps: [{ channel: 'voice', templateId: template.body.id }],
    });
    assert.equal((await api('POST', `/campaigns/${campaign.body.id}/launch`)).status, 202);
    await tickUntil(t, async () => (await api('GET', `/campaigns/${campaign.body.id}`)).body.materialized);
    const [{ id: runId }] = await t.dataSource.query('SELECT id FROM campaign_runs WHERE campaign_id = $1', [campaign.body.id]);
    const lease = await new FakeSender(t).call('POST', `/runs/${runId}/lease`, {});
    assert.equal(lease.status, 200, JSON.stringify(lease.body));
    assert.equal(lease.body.items.length, 2);
    assert.equal(lease.body.sender.config.agentProvider, 'elevenlabs');
    const [cal, ina] = leads.body.ids.map((id: string) => lease.body.items.find((i: { lead: { id: string } }) => i.lead.id === id));
    assert.equal(leaseTemplateOf(lease.body, cal).voice?.prompt, 'Sell to {{ lead.first_name }}');
    assert.match(cal.callbacks.agentOutcomeUrl, /^https:\/\/cadence\.example\.com\/webhooks\/agent\/1[\w-]{44}$/);
    assert.notEqual(cal.callbacks.agentOutcomeUrl, ina.callbacks.agentOutcomeUrl);

    const callSid = `CA${'5'.repeat(32)}`;
    const first = await report(cal.callbacks.agentOutcomeUrl, { outcome: 'call_back', summary: 'Call me on Monday', callSid });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.recorded, true);
    assert.ok(first.body.callbackId);
    const again = await report(cal.callbacks.agentOutcomeUrl, { outcome: 'call_back', summary: 'Call me on Monday', callSid });
    assert.deepEqual(again.body, { recorded: false, callbackId: null });
    const requests = await api('GET', '/callbacks');
    const request = requests.body.items.find((c: { id: string }) => c.id === first.body.callbackId);
    assert.equal(request.source, 'agent_call_back');
    assert.equal(request.reason, 'Call me on Monday');
    assert.equal(request.address, '+14155557001');
    assert.equal(requests.body.items.length, 1);

    assert.equal((await report(ina.callbacks.agentOutcomeUrl, { outcome: 'not_interested' })).body.callbackId, null);
    // A token altered by one character, a token of another purpose, a body that is not an outcome.
    const forged = cal.callbacks.agentOutcomeUrl.replace(/.$/, (c: string) => (c === 'A' ? 'B' : 'A'));
    assert.equal((await report(forged, { outcome: 'interested' })).status, 403);
    assert.equal((await report(`${PUBLIC_URL}/webhooks/agent/${cal.tracking.tokens.click}`, { outcome: 'interested' })).status, 403);
    const bad = await report(cal.callbacks.agentOutcomeUrl, { outcome: 'maybe' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'validation_failed');

    const stats = await api('GET', `/campaigns/${campaign.body.id}/stats`);
    assert.deepEqual(stats.body.agentOutcomes, { call_back: 1, not_interested: 1 });
    assert.equal((await api('GET', `/campaigns/${campaign.body.id}/stats`, undefined, otherKey)).status, 404);
  });
});
