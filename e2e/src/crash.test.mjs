// Crashes mid-campaign: kill -9 of n8n, then of the backend. After a restart each campaign completes,
// the sandbox shows no message twice, and every recipient has exactly one final status.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startStack, waitFor } from './stack.mjs';

const SID = `AC${'c'.repeat(32)}`;
const FROM = '+14155550160';
const AUDIENCE = 1000;

describe('crash recovery with a real n8n', () => {
  let s;
  let twilio;
  let sms;

  const statusCounts = async (id) => {
    const { rows } = await s.db.query('SELECT status, count(*)::int AS n FROM messages WHERE campaign_id = $1 GROUP BY status', [id]);
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  };
  const sentSoFar = async (id) => {
    const c = await statusCounts(id);
    return (c.sent ?? 0) + (c.delivered ?? 0);
  };

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

  /** Nothing lost, nothing twice: the invariants that must hold after any crash. */
  async function assertSettled(id, block) {
    // Delivery callbacks may still be on their way; compare once the provider has nothing left to say.
    await waitFor(async () => (await s.sandboxApi('GET', '/counts')).webhooks.pending === 0, 'the sandbox webhooks to drain', 60_000);
    await new Promise((r) => setTimeout(r, 500));
    const counts = await statusCounts(id);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    assert.equal(total, AUDIENCE, `queued + sent + failed + unknown + skipped = audience: ${JSON.stringify(counts)}`);
    assert.ok(!counts.queued && !counts.leased && !counts.sending, JSON.stringify(counts));
    const { items } = await s.sandboxApi('GET', '/messages?provider=twilio');
    const received = items.filter((m) => m.to.startsWith(`+1415${block}`));
    assert.equal(new Set(received.map((m) => m.to)).size, received.length, 'no recipient received the message twice');
    const sent = (counts.sent ?? 0) + (counts.delivered ?? 0);
    assert.ok(
      received.length >= sent && received.length <= sent + (counts.unknown ?? 0),
      `sandbox ${received.length}, sent ${sent}, unknown ${counts.unknown ?? 0}`,
    );
    assert.equal((await s.sandboxApi('GET', '/duplicates')).total, 0);
    const live = (await s.api('GET', `/campaigns/${id}`)).body.counts;
    for (const [status, n] of Object.entries(counts)) assert.equal(live[status], n, `live counter for ${status}`);
    return counts;
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
    await waitFor(async () => (await sentSoFar(id)) >= 200, '200 sends', 120_000);
    await s.killN8n();
    const atKill = await sentSoFar(id);
    assert.ok(atKill < AUDIENCE, 'killed mid-campaign');
    await new Promise((r) => setTimeout(r, 2000));
    await s.startN8n();
    const done = await s.campaignDone(id, 300_000);
    assert.equal(done.status, 'completed');
    const counts = await assertSettled(id, '501');
    assert.ok((counts.sent ?? 0) + (counts.delivered ?? 0) > atKill, 'sending resumed after the restart');
  });

  it('kill -9 of the backend mid-campaign, then a restart: the campaign completes and nothing is sent twice', async () => {
    const id = await launch('502');
    await waitFor(async () => (await sentSoFar(id)) >= 200, '200 sends', 120_000);
    await s.killBackend();
    await new Promise((r) => setTimeout(r, 3000));
    await s.startBackend();
    const done = await s.campaignDone(id, 300_000);
    assert.equal(done.status, 'completed');
    await assertSettled(id, '502');
  });
});
