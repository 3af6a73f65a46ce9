import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { RuntimeSecrets } from '../../config/runtime-secrets';
import { FakeSender, liveRun, postTwilioSigned, smsKit, TriggerReceiver } from '../../test/engine-harness';
import { startTestApp, TestApp } from '../../test/test-app';
import { MessageEventRecorder } from '../webhooks/message-event.recorder';

const TOKEN = 'guard-twilio-token';
const PUBLIC_URL = 'https://cadence.example.com';

/**
 * The deliverability guard on a real database: provider reports (Twilio's signed status callbacks) raise a
 * sender's bounce rate; past the threshold over the minimum sample the sender is paused for every campaign
 * using it, and not before; an operator's resume lets them send again with the count restarted.
 */
describe.each([
  ['PostgreSQL', false],
  ['PGlite', true],
])('deliverability guard on %s', (_database, embedded) => {
  let t: TestApp;
  let key: string;
  let orgId: string;
  let otherKey: string;
  let receiver: TriggerReceiver;
  let channelId: string;
  let kit: Awaited<ReturnType<typeof smsKit>>;

  const api = (method: string, path: string, body?: unknown, as = key) => t.request(method, `/api/v1${path}`, { key: as, body });

  /** Twilio reports a text undelivered (a carrier bounce), signed as Twilio signs it. */
  async function undelivered(messageId: string, sid: string) {
    const params = { MessageSid: sid, MessageStatus: 'undelivered', ErrorCode: '30003', To: '+14155550000' };
    const res = await postTwilioSigned(t, PUBLIC_URL, TOKEN, `/webhooks/twilio/${channelId}/status?cadenceMessageId=${messageId}`, params);
    assert.equal(res.status, 200);
  }

  const blast = (n: number) => kit.blast(n, { batchSize: 50 });

  /** One lease of 50, reported sent; answers the items. */
  async function sendBatch(sender: FakeSender, run: string) {
    const lease = await sender.cycle(run);
    return lease.items as Array<{ messageId: string }>;
  }

  beforeAll(async () => {
    receiver = new TriggerReceiver(() => t.app.get(RuntimeSecrets).triggerSigningSecret);
    await receiver.start();
    t = await startTestApp({
      embedded,
      env: { SCHEDULER_INTERVAL_MS: '0', N8N_URL: receiver.url, PUBLIC_URL, GUARD_EVALUATE_SECONDS: '0' },
    });
    ({ apiKey: key, organizationId: orgId } = await t.createOrg());
    otherKey = (await t.createOrg('Other')).apiKey;
    kit = await smsKit(t, key, TOKEN);
    channelId = kit.channelId;
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  it('a new sender is sending, with the defaults and nothing counted', async () => {
    const res = await api('GET', `/channels/${channelId}/guard`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.state, 'sending');
    assert.deepEqual(res.body.thresholds, { bounceRate: 0.05, complaintRate: 0.003, rejectionRate: 0.1, minSample: 200 });
    assert.equal(res.body.metrics.sent, 0);
  });

  it('pauses the sender once bounces pass the threshold over the minimum sample, not before; every campaign using it waits', async () => {
    const tuned = await api('PATCH', `/channels/${channelId}/guard`, { minSample: 100 });
    assert.equal(tuned.body.thresholds.minSample, 100);
    const campaign = await blast(150);
    const sender = new FakeSender(t);
    const run = await liveRun(t, campaign);
    const first = await sendBatch(sender, run);
    assert.equal(first.length, 50);
    // 4 of 50 bounce (8 %), but 50 is under the sample: no verdict yet.
    for (const [i, m] of first.slice(0, 4).entries()) await undelivered(m.messageId, `SM${campaign.slice(0, 8)}a${i}`);
    await t.app.get(MessageEventRecorder).drain();
    const second = await sendBatch(sender, run);
    assert.equal(second.length, 50, 'under the minimum sample the sender keeps sending');
    // 4 of 100 (4 %): under 5 %.
    const third = await sendBatch(sender, run);
    assert.equal(third.length, 50, '4 % is under the threshold');
    let guard = (await api('GET', `/channels/${channelId}/guard`)).body;
    assert.equal(guard.state, 'sending');
    assert.equal(guard.metrics.sent, 150);
    assert.equal(guard.metrics.bounced, 4);

    // A second campaign through the same sender; then 5 more bounces: 9 of 150 = 6 %.
    const other = await blast(20);
    for (const [i, m] of second.slice(0, 5).entries()) await undelivered(m.messageId, `SM${campaign.slice(0, 8)}b${i}`);
    await t.app.get(MessageEventRecorder).drain();
    const otherRun = await liveRun(t, other);
    const refused = await sender.cycle(otherRun);
    assert.equal(refused.items.length, 0, 'the paused sender sends nothing for any campaign');
    assert.equal(refused.done, true);
    guard = (await api('GET', `/channels/${channelId}/guard`)).body;
    assert.equal(guard.state, 'paused');
    assert.equal(guard.reason, 'bounce rate 6.0 % over 150 messages (threshold 5.0 %)');
    assert.equal(guard.pausedMetrics.bounced, 9);
    assert.equal((await api('GET', `/campaigns/${other}`)).body.status, 'active', 'the campaign waits; it is the sender that is paused');
    assert.equal((await api('GET', `/campaigns/${other}`)).body.counts.queued, 20);

    // The resume wakes the waiting run, and the rates count afresh: the old bounces pause nothing.
    const resumed = await api('POST', `/channels/${channelId}/guard/resume`);
    assert.equal(resumed.status, 200, JSON.stringify(resumed.body));
    assert.equal(resumed.body.state, 'sending');
    assert.equal(resumed.body.metrics.sent, 0);
    assert.equal(await sender.drain(await liveRun(t, other)), 20);
    const again = await api('POST', `/channels/${channelId}/guard/resume`);
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'sender_not_paused');
  });

  it('turned off, it counts but never pauses; thresholds go back to the defaults with null', async () => {
    const off = await api('PATCH', `/channels/${channelId}/guard`, { enabled: false, bounceRate: 0.0001, minSample: 20 });
    assert.equal(off.body.enabled, false);
    const campaign = await blast(40);
    const sender = new FakeSender(t);
    const run = await liveRun(t, campaign);
    const sent = await sendBatch(sender, run);
    for (const [i, m] of sent.slice(0, 10).entries()) await undelivered(m.messageId, `SM${campaign.slice(0, 8)}c${i}`);
    await t.app.get(MessageEventRecorder).drain();
    assert.equal((await sender.cycle(run)).items.length, 0, 'nothing left to send here, but not refused');
    const guard = (await api('GET', `/channels/${channelId}/guard`)).body;
    assert.equal(guard.state, 'sending');
    assert.equal(guard.metrics.bounced, 10);
    const reset = await api('PATCH', `/channels/${channelId}/guard`, { enabled: true, bounceRate: null, minSample: null });
    assert.deepEqual(reset.body.thresholds, { bounceRate: 0.05, complaintRate: 0.003, rejectionRate: 0.1, minSample: 200 });
  });

  it('counts each message once: a bounce reported twice, a complaint, and messages the provider refused (never sent)', async () => {
    await api('PATCH', `/channels/${channelId}/guard`, { enabled: false });
    const before = (await api('GET', `/channels/${channelId}/guard`)).body.metrics;
    const campaign = await blast(10);
    let n = 0;
    // The first two are refused by the provider's API: failed, never sent.
    const sender = new FakeSender(t, () =>
      n++ < 2 ? { outcome: 'failed', errorCode: '21211', errorMessage: 'Invalid To' } : { outcome: 'sent' },
    );
    const items = await sendBatch(sender, await liveRun(t, campaign));
    assert.equal(items.length, 10);
    const [bounced, complained] = items.slice(2).map((i) => i.messageId);
    await undelivered(bounced, `SM${campaign.slice(0, 8)}d1`);
    await undelivered(bounced, `SM${campaign.slice(0, 8)}d2`);
    await t.app.get(MessageEventRecorder).drain();
    const recorder = t.app.get(MessageEventRecorder);
    const complaint = {
      organizationId: orgId,
      messageId: complained,
      source: 'test',
      type: 'complained' as const,
      occurredAt: new Date(),
      payload: {},
    };
    assert.equal((await recorder.record({ ...complaint, eventId: `${campaign}-c1` })).recorded, true);
    assert.equal((await recorder.record({ ...complaint, eventId: `${campaign}-c2` })).recorded, true);
    const after = (await api('GET', `/channels/${channelId}/guard`)).body.metrics;
    assert.deepEqual(
      {
        sent: after.sent - before.sent,
        bounced: after.bounced - before.bounced,
        complained: after.complained - before.complained,
        rejected: after.rejected - before.rejected,
      },
      { sent: 8, bounced: 1, complained: 1, rejected: 2 },
    );
    await api('PATCH', `/channels/${channelId}/guard`, { enabled: true });
  });

  it('refuses bad thresholds with codes; another organization sees no guard of this sender', async () => {
    for (const body of [{ bounceRate: 0 }, { bounceRate: 2 }, { minSample: 5 }, { enabled: 'yes' }, { complaintRate: '0.1' }]) {
      const res = await api('PATCH', `/channels/${channelId}/guard`, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.code, 'validation_failed');
    }
    const other = await api('GET', `/channels/${channelId}/guard`, undefined, otherKey);
    assert.equal(other.status, 404);
    assert.equal(other.body.code, 'channel_not_found');
    assert.equal((await api('POST', `/channels/${channelId}/guard/resume`, undefined, otherKey)).status, 404);
    assert.equal((await api('PATCH', `/channels/${channelId}/guard`, { minSample: 20 }, otherKey)).status, 404);
  });
});
