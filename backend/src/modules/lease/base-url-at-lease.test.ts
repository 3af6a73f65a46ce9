import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { RuntimeSecrets } from '../../config/runtime-secrets';
import { FakeSender, tickUntil, TriggerReceiver } from '../../test/engine-harness';
import { startTestApp, TestApp } from '../../test/test-app';

/**
 * A base URL is checked when it is saved, and again when a lease hands it to n8n with the channel's
 * secrets: a row that no longer passes (an older policy, a name that resolves elsewhere now) pauses the
 * campaign with the reason instead of sending the credentials there.
 */
describe('the base URL policy holds at lease time', () => {
  let t: TestApp;
  let key: string;
  let receiver: TriggerReceiver;

  const api = (method: string, path: string, body?: unknown) => t.request(method, `/api/v1${path}`, { key, body });

  beforeAll(async () => {
    receiver = new TriggerReceiver(() => t.app.get(RuntimeSecrets).triggerSigningSecret);
    await receiver.start();
    t = await startTestApp({ env: { SCHEDULER_INTERVAL_MS: '0', N8N_URL: receiver.url } });
    key = (await t.createOrg()).apiKey;
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  it('a channel whose stored base URL now points at the metadata address pauses its campaign, and nothing is leased', async () => {
    const channel = (
      await api('POST', '/channels', {
        type: 'twilio',
        name: 'Line',
        config: { accountSid: `AC${'3'.repeat(32)}`, from: '+14155550100', baseUrl: 'http://127.0.0.1:4010' },
        secrets: { authToken: 'tok' },
      })
    ).body.id as string;
    const template = (await api('POST', '/templates', { name: 'Hi', channel: 'sms', body: 'Hi' })).body.id as string;
    await api('POST', '/leads', [{ phone: '+14155550123', consent: { sms: true } }]);
    const campaign = (
      await api('POST', '/campaigns', {
        name: 'C',
        type: 'blast',
        sender: { channelId: channel },
        audience: { all: true },
        steps: [{ channel: 'sms', templateId: template }],
      })
    ).body.id as string;
    // What an older, looser policy could have let in.
    await t.dataSource.query(
      `UPDATE channel_connections SET config = jsonb_set(config, '{baseUrl}', '"http://169.254.169.254"') WHERE id = $1`,
      [channel],
    );
    assert.equal((await api('POST', `/campaigns/${campaign}/launch`)).status, 202);
    await tickUntil(t, async () => receiver.triggers.some((r) => r.campaignId === campaign));
    const runId = receiver.triggers.find((r) => r.campaignId === campaign)!.runId as string;

    const lease = await new FakeSender(t).cycle(runId);
    assert.equal(lease.items.length, 0);
    assert.equal(lease.sender, null, 'no secrets handed out');
    const read = (await api('GET', `/campaigns/${campaign}`)).body;
    assert.equal(read.status, 'paused');
    assert.match(read.statusReason, /base URL is refused/);
  });
});
