import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { RuntimeSecrets } from '../../config/runtime-secrets';
import { backdateLeases, FakeSender, tick, tickUntil, TriggerReceiver } from '../../test/engine-harness';
import { startTestApp, TestApp } from '../../test/test-app';
import { MessageEventRecorder } from '../webhooks/message-event.recorder';
import { UNCONFIRMED_CALL_SLOT_SECONDS } from './call-slots';

const TOKEN = 'voice-twilio-token';
const PUBLIC_URL = 'https://cadence.example.com';
const SLOT_TTL_SECONDS = 6;

/**
 * Voice campaigns on real PostgreSQL: concurrency slots held by the backend across concurrent leases,
 * freed by the final status callback or the safety expiry; retries of unanswered calls; statistics.
 */
describe('voice: call slots, retries, statistics', () => {
  let t: TestApp;
  let key: string;
  let otherKey: string;
  let receiver: TriggerReceiver;
  let channelId: string;
  let templateId: string;
  let sid = 0;
  let prefix = 800;

  const api = (method: string, path: string, body?: unknown, as = key) => t.request(method, `/api/v1${path}`, { key: as, body });
  const sender = () => new FakeSender(t);
  const callSid = () => `CA${String(++sid).padStart(32, '0')}`;

  /** Posts a call status as Twilio signs it. */
  async function callStatus(messageId: string, providerId: string, status: string, extra: Record<string, string> = {}) {
    const path = `/webhooks/twilio/${channelId}/status?cadenceMessageId=${messageId}`;
    const params: Record<string, string> = { CallSid: providerId, CallStatus: status, To: '+14155550000', ...extra };
    let data = `${PUBLIC_URL}${path}`;
    for (const k of Object.keys(params).sort()) data += k + params[k];
    const res = await fetch(`${t.baseUrl}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': createHmac('sha1', TOKEN).update(data).digest('base64'),
      },
      body: new URLSearchParams(params),
    });
    assert.equal(res.status, 200);
    await t.app.get(MessageEventRecorder).drain();
  }

  /** A launched, materialized voice campaign over `n` new leads; answers its id and runs. */
  async function voiceCampaign(n: number, settings: Record<string, unknown>) {
    const p = String(prefix++);
    const leads = await api(
      'POST',
      '/leads',
      Array.from({ length: n }, (_, i) => ({ phone: `+1415${p}${String(i).padStart(4, '0')}`, consent: { voice: true } })),
    );
    assert.equal(leads.body.failed, 0, JSON.stringify(leads.body.errors));
    const res = await api('POST', '/campaigns', {
      name: 'Calls',
      type: 'blast',
      sender: { channelId },
      audience: { leadIds: leads.body.ids },
      steps: [{ channel: 'voice', templateId }],
      settings,
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal((await api('POST', `/campaigns/${res.body.id}/launch`)).status, 202);
    await tickUntil(t, async () => (await api('GET', `/campaigns/${res.body.id}`)).body.materialized);
    const runs: Array<{ id: string }> = await t.dataSource.query('SELECT id FROM campaign_runs WHERE campaign_id = $1', [res.body.id]);
    return { id: res.body.id as string, runs: runs.map((r) => r.id) };
  }

  /** Leases once and reports every item sent with a call SID; answers the calls placed. */
  async function placeCalls(runId: string): Promise<Array<{ messageId: string; providerId: string }>> {
    const placed: Array<{ messageId: string; providerId: string }> = [];
    await sender()
      .call('POST', `/runs/${runId}/lease`, {})
      .then(async (lease) => {
        assert.equal(lease.status, 200, JSON.stringify(lease.body));
        const items: Array<{ messageId: string }> = lease.body.items;
        if (!items.length) return;
        await sender().call('POST', `/runs/${runId}/sending`, { leaseId: lease.body.leaseId, messageIds: items.map((i) => i.messageId) });
        const results = items.map((i) => ({ messageId: i.messageId, outcome: 'sent', providerMessageId: callSid() }));
        const report = await sender().call('POST', `/runs/${runId}/results`, { leaseId: lease.body.leaseId, results });
        assert.equal(report.status, 200, JSON.stringify(report.body));
        for (const r of results) placed.push({ messageId: r.messageId, providerId: r.providerMessageId });
      });
    return placed;
  }

  /** The campaign's unfinished run, once the scheduler started one. */
  async function liveRun(campaignId: string): Promise<string> {
    let run: string | undefined;
    await tickUntil(t, async () => {
      [{ id: run } = { id: undefined }] = await t.dataSource.query(
        'SELECT id FROM campaign_runs WHERE campaign_id = $1 AND finished_at IS NULL ORDER BY created_at DESC LIMIT 1',
        [campaignId],
      );
      return run !== undefined;
    });
    return run!;
  }

  const slotsOf = async (campaignId: string): Promise<number> =>
    (
      await t.dataSource.query(`SELECT count(*)::int AS n FROM call_slots WHERE slot_key = $1 AND expires_at > clock_timestamp()`, [
        `calls:campaign:${campaignId}`,
      ])
    )[0].n;

  beforeAll(async () => {
    receiver = new TriggerReceiver(() => t.app.get(RuntimeSecrets).triggerSigningSecret);
    await receiver.start();
    t = await startTestApp({
      env: { SCHEDULER_INTERVAL_MS: '0', N8N_URL: receiver.url, PUBLIC_URL, CALL_SLOT_TTL_SECONDS: String(SLOT_TTL_SECONDS) },
    });
    key = (await t.createOrg()).apiKey;
    otherKey = (await t.createOrg('Other')).apiKey;
    const channel = await api('POST', '/channels', {
      type: 'twilio',
      name: 'Calls',
      config: {
        accountSid: `AC${'3'.repeat(32)}`,
        from: '+14155550100',
        ratePerSecond: 1000,
        maxConcurrentCalls: 100,
        callsPerSecond: 1000,
      },
      secrets: { authToken: TOKEN },
    });
    assert.equal(channel.status, 201, JSON.stringify(channel.body));
    channelId = channel.body.id;
    templateId = (await api('POST', '/templates', { name: 'Call', channel: 'voice', voice: { script: 'Hello {{ lead.phone }}' } })).body.id;
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  it('concurrent leases of four shards never hold more live calls than maxConcurrentCalls; the final callback frees a slot', async () => {
    const { id, runs } = await voiceCampaign(40, { maxConcurrentCalls: 5, shards: 4 });
    assert.equal(runs.length, 4);
    // 16 leases at once, from every shard: PostgreSQL serializes them per limit.
    const leases = await Promise.all(
      Array.from({ length: 16 }, (_, i) => sender().call('POST', `/runs/${runs[i % runs.length]}/lease`, {})),
    );
    for (const l of leases) assert.equal(l.status, 200, JSON.stringify(l.body));
    const items = leases.flatMap((l) => l.body.items as Array<{ messageId: string }>);
    assert.equal(items.length, 5);
    assert.equal(await slotsOf(id), 5);
    assert.ok(leases.some((l) => l.body.items.length === 0 && l.body.done === false && l.body.retryAfterMs > 0));

    // Report them placed; two calls end (one answered, one busy): two more calls may start, no more.
    const placed: Array<{ messageId: string; providerId: string }> = [];
    for (const l of leases.filter((x) => x.body.items.length)) {
      const ids = l.body.items.map((i: { messageId: string }) => i.messageId);
      const run = runs[leases.indexOf(l) % runs.length];
      await sender().call('POST', `/runs/${run}/sending`, { leaseId: l.body.leaseId, messageIds: ids });
      const results = ids.map((messageId: string) => ({ messageId, outcome: 'sent', providerMessageId: callSid() }));
      await sender().call('POST', `/runs/${run}/results`, { leaseId: l.body.leaseId, results });
      placed.push(
        ...results.map((r: { messageId: string; providerMessageId: string }) => ({
          messageId: r.messageId,
          providerId: r.providerMessageId,
        })),
      );
    }
    assert.equal(await slotsOf(id), 5, 'a placed call keeps its slot until its final status');
    await callStatus(placed[0].messageId, placed[0].providerId, 'ringing');
    assert.equal(await slotsOf(id), 5, 'ringing is not final');
    await callStatus(placed[0].messageId, placed[0].providerId, 'completed', { CallDuration: '20' });
    await callStatus(placed[1].messageId, placed[1].providerId, 'busy');
    assert.equal(await slotsOf(id), 3);
    const more = await Promise.all(runs.map((r) => placeCalls(r)));
    assert.equal(more.flat().length, 2);
    assert.equal(await slotsOf(id), 5);
  });

  it('a slot whose final callback never comes is freed by the safety expiry; a refused call frees its slot at once', async () => {
    const { id, runs } = await voiceCampaign(6, { maxConcurrentCalls: 2 });
    const first = await placeCalls(runs[0]);
    assert.equal(first.length, 2);
    assert.equal((await placeCalls(runs[0])).length, 0, 'both slots are held');
    await new Promise((r) => setTimeout(r, SLOT_TTL_SECONDS * 1000 + 500));
    assert.equal(await slotsOf(id), 0, 'the lost callbacks no longer hold their slots');
    // A call Twilio refused (reported failed by n8n) never rang: its slot is free without any callback.
    const refused = await sender().call('POST', `/runs/${runs[0]}/lease`, {});
    assert.equal(refused.body.items.length, 2);
    const ids = refused.body.items.map((i: { messageId: string }) => i.messageId);
    await sender().call('POST', `/runs/${runs[0]}/sending`, { leaseId: refused.body.leaseId, messageIds: ids });
    await sender().call('POST', `/runs/${runs[0]}/results`, {
      leaseId: refused.body.leaseId,
      results: ids.map((messageId: string) => ({ messageId, outcome: 'failed', errorCode: '21211', errorMessage: 'Invalid To' })),
    });
    assert.equal(await slotsOf(id), 0);
    assert.equal((await placeCalls(runs[0])).length, 2);
  });

  it('a call whose lease expired while sending keeps its slot if Twilio reported it, and frees it soon if Twilio never heard of it', async () => {
    const { runs } = await voiceCampaign(2, { maxConcurrentCalls: 2 });
    const lease = await sender().call('POST', `/runs/${runs[0]}/lease`, {});
    const [rang, silent]: string[] = lease.body.items.map((i: { messageId: string }) => i.messageId);
    await sender().call('POST', `/runs/${runs[0]}/sending`, { leaseId: lease.body.leaseId, messageIds: [rang, silent] });
    // n8n dies here: one call was placed and rings, the other never left n8n.
    await callStatus(rang, callSid(), 'ringing');
    await t.dataSource.query(
      `UPDATE call_slots SET expires_at = clock_timestamp() + interval '1 hour' WHERE message_id = ANY($1::uuid[])`,
      [[rang, silent]],
    );
    // Expired more than a TTL ago: a message being sent has one more TTL to be reported.
    await backdateLeases(t, '1 day', 'id = ANY($2::uuid[])', [[rang, silent]]);
    await tick(t);
    const left = async (id: string): Promise<number[]> =>
      (
        await t.dataSource.query(
          `SELECT extract(epoch FROM expires_at - clock_timestamp())::float AS s FROM call_slots WHERE message_id = $1 ORDER BY slot_key`,
          [id],
        )
      ).map((r: { s: number }) => r.s);
    const statuses = await t.dataSource.query(`SELECT status FROM messages WHERE id = ANY($1::uuid[])`, [[rang, silent]]);
    assert.deepEqual(statuses, [{ status: 'unknown' }, { status: 'unknown' }]);
    assert.ok(
      (await left(rang)).every((s) => s > 3000),
      'the ringing call keeps its slots until its final callback',
    );
    const bounded = await left(silent);
    assert.ok(
      bounded.length > 0 && bounded.every((s) => s <= UNCONFIRMED_CALL_SLOT_SECONDS),
      `freed within a minute: ${bounded.join(', ')}`,
    );
  });

  it('busy, no-answer and failed-before-connect calls are placed again after the delay, up to retryCount; answered and unknown never', async () => {
    const { id, runs } = await voiceCampaign(3, { retryCount: 2, retryDelaySeconds: 1 });
    const [noAnswer, answered, unknown] = await placeCalls(runs[0]);
    await callStatus(answered.messageId, answered.providerId, 'completed', { CallDuration: '42' });
    // The third call's outcome is unknown (n8n lost it): a later failure callback fails it, never retries it.
    await t.dataSource.query(`UPDATE messages SET status = 'unknown' WHERE id = $1`, [unknown.messageId]);
    await callStatus(unknown.messageId, unknown.providerId, 'no-answer');

    const tries: string[] = [noAnswer.providerId];
    for (const status of ['no-answer', 'busy', 'no-answer']) {
      await callStatus(noAnswer.messageId, tries.at(-1)!, status);
      const [row] = await t.dataSource.query('SELECT status, due_at, attempts FROM messages WHERE id = $1', [noAnswer.messageId]);
      if (tries.length === 3) {
        assert.equal(row.status, 'failed', 'the third call was the last (1 + retryCount)');
        break;
      }
      assert.equal(row.status, 'queued');
      assert.ok(new Date(row.due_at).getTime() > Date.now() + 200, 'due again only after retryDelaySeconds');
      await new Promise((r) => setTimeout(r, 1100));
      // Nothing was due meanwhile, so the run ended; the scheduler starts one when the retry is due.
      const again = await placeCalls(await liveRun(id));
      assert.deepEqual(
        again.map((c) => c.messageId),
        [noAnswer.messageId],
      );
      tries.push(again[0].providerId);
    }
    assert.equal(tries.length, 3);
    const attempts = await t.dataSource.query(
      'SELECT attempt, provider_message_id, error_code FROM message_attempts WHERE message_id = $1 ORDER BY attempt',
      [noAnswer.messageId],
    );
    assert.deepEqual(attempts, [
      { attempt: 1, provider_message_id: tries[0], error_code: 'no-answer' },
      { attempt: 2, provider_message_id: tries[1], error_code: 'busy' },
    ]);
    const statuses = Object.fromEntries(
      (await t.dataSource.query('SELECT id, status FROM messages WHERE campaign_id = $1', [id])).map(
        (r: { id: string; status: string }) => [r.id, r.status],
      ),
    );
    assert.equal(statuses[answered.messageId], 'delivered');
    assert.equal(statuses[unknown.messageId], 'failed');
    assert.equal(
      (await t.dataSource.query('SELECT count(*)::int AS n FROM message_attempts WHERE message_id = $1', [unknown.messageId]))[0].n,
      0,
    );

    // Statistics from the calls' own events: 5 calls, one answered for 42 s, one attempt row per retry.
    const stats = await api('GET', `/campaigns/${id}/stats`);
    assert.equal(stats.status, 200, JSON.stringify(stats.body));
    assert.deepEqual(
      {
        placed: stats.body.placed,
        answered: stats.body.answered,
        busy: stats.body.busy,
        noAnswer: stats.body.noAnswer,
        inProgress: stats.body.inProgress,
        totalTalkSeconds: stats.body.totalTalkSeconds,
        successRate: stats.body.successRate,
      },
      { placed: 5, answered: 1, busy: 1, noAnswer: 3, inProgress: 0, totalTalkSeconds: 42, successRate: 0.2 },
    );
    assert.deepEqual(stats.body.attemptsPerLead, { average: 1.67, max: 3, distribution: { '1': 2, '3': 1 } });
    // Another organization does not see the campaign.
    assert.equal((await api('GET', `/campaigns/${id}/stats`, undefined, otherKey)).status, 404);
  });

  it('answering-machine answers count as voicemail, not as answered', async () => {
    const { id, runs } = await voiceCampaign(2, {});
    const [human, machine] = await placeCalls(runs[0]);
    await callStatus(human.messageId, human.providerId, 'completed', { CallDuration: '30', AnsweredBy: 'human' });
    await callStatus(machine.messageId, machine.providerId, 'completed', { CallDuration: '12', AnsweredBy: 'machine_end_beep' });
    const stats = (await api('GET', `/campaigns/${id}/stats`)).body;
    assert.equal(stats.answered, 1);
    assert.equal(stats.voicemail, 1);
    assert.equal(stats.totalTalkSeconds, 30);
    assert.equal(stats.averageTalkSeconds, 30);
  });
});
