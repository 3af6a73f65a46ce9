// Crashes mid-campaign: kill -9 of n8n, then of the backend. After a restart each campaign completes,
// the sandbox shows no message twice, and every recipient has exactly one final status.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { assertSettled, sentSoFar } from './invariants.mjs';
import { startStack, waitFor } from './stack.mjs';

const SID = `AC${'c'.repeat(32)}`;
const FROM = '+14155550160';
const AUDIENCE = 1000;

describe('crash recovery with a real n8n', () => {
  let s;
  let twilio;
  let sms;

  async function launch(block) {
    const ids = [];
    for (let i = 0; i < AUDIENCE; i += 1000) {
      const items = Array.from({ length: Math.min(1000, AUDIENCE - i) }, (_, k) => ({
        phone: `+1415${block}${String(i + k).padStart(4, '0')}`,
        consent: { sms: true },
      }));
      ids.push(...(await s.api('POST', '/leads', items)).body.ids);
    }
    const created = await s.api('POST', '/campaigns', {
      name: `Crash ${block}`,
      type: 'blast',
      sender: { channelId: twilio },
      audience: { leadIds: ids },
      steps: [{ channel: 'sms', templateId: sms }],
      settings: { batchSize: 100 },
    });
    await s.api('POST', `/campaigns/${created.body.id}/launch`);
    return created.body.id;
  }

  beforeAll(async () => {
    s = await startStack();
    twilio = (
      await s.api('POST', '/channels', {
        type: 'twilio',
        name: 'Line',
        config: { accountSid: SID, from: FROM, baseUrl: s.sandboxUrl, ratePerSecond: 100 },
        secrets: { authToken: 'sandbox-twilio-auth-token' },
      })
    ).body.id;
    sms = (await s.api('POST', '/templates', { name: 'SMS', channel: 'sms', body: 'Your code' })).body.id;
    await s.sandboxApi('PUT', '/rate-limits', { twilio: { numbers: { [FROM]: 100 } } });
    await s.sandboxApi('POST', '/behaviour/overrides', { match: '+1415*', behaviour: {} });
  });
  afterAll(async () => {
    if (process.exitCode && s) console.error(s.logs.slice(-80).join(''));
    await s?.stop();
  });

  it('kill -9 of n8n mid-campaign, then a restart: the campaign completes and nothing is sent twice', async () => {
    const id = await launch('501');
    await waitFor(async () => (await sentSoFar(s, id)) >= 200, '200 sends', 120_000);
    await s.killN8n();
    const atKill = await sentSoFar(s, id);
    assert.ok(atKill < AUDIENCE, 'killed mid-campaign');
    await new Promise((r) => setTimeout(r, 2000));
    await s.startN8n();
    const done = await s.campaignDone(id, 300_000);
    assert.equal(done.status, 'completed');
    const counts = await assertSettled(s, id, { audience: AUDIENCE, phonePrefix: '+1415501' });
    assert.ok((counts.sent ?? 0) + (counts.delivered ?? 0) > atKill, 'sending resumed after the restart');
  });

  it('kill -9 of the backend mid-campaign, then a restart: the campaign completes and nothing is sent twice', async () => {
    const id = await launch('502');
    await waitFor(async () => (await sentSoFar(s, id)) >= 200, '200 sends', 120_000);
    await s.killBackend();
    await new Promise((r) => setTimeout(r, 3000));
    await s.startBackend();
    const done = await s.campaignDone(id, 300_000);
    assert.equal(done.status, 'completed');
    await assertSettled(s, id, { audience: AUDIENCE, phonePrefix: '+1415502' });
  });
});
