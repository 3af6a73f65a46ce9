// Voice campaigns end to end with a real n8n and the provider sandbox: a campaign of 200 leads with
// maxConcurrentCalls 5, sent by four shards, never has more than 5 live calls at the sandbox (the
// sandbox records the most it ever had); numbers that do not answer (…9995) or are busy (…9994) are
// called again after retryDelaySeconds, 1 + retryCount times and never more; the campaign's statistics
// match the sandbox's own record of its calls; the SSE stream carries each call's progress. Then kill -9
// of n8n mid-campaign: after a restart no call slot stays held and no lead is called twice. A campaign
// with answering-machine detection leaves machines the voicemail and plays people the script.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startStack, waitFor } from './stack.mjs';

const SID = `AC${'e'.repeat(32)}`;
const FROM = '+14155550180';
const ANSWERED = 140; // …9997: answered, 42 s of talk
const NO_ANSWER = 36; // …9995
const BUSY = 24; // …9994
const MAX_CALLS = 5;
const RETRIES = 2;
const RETRY_DELAY_S = 2;
const TALK_S = 42;

/** Distinct numbers sharing the sandbox's last-four-digits convention. */
const numbers = (n, suffix, area) => Array.from({ length: n }, (_, i) => `+1${area}${String(200 + i).padStart(3, '0')}${suffix}`);

/** Collects the `event: call` messages of a campaign's SSE stream until stopped. */
function collectCallEvents(s, campaignId) {
  const events = [];
  const controller = new AbortController();
  const done = (async () => {
    const res = await fetch(`${s.backendUrl}/api/v1/campaigns/${campaignId}/events`, {
      headers: { authorization: `Bearer ${s.key}` },
      signal: controller.signal,
    });
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body) {
      buffer += decoder.decode(chunk, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (!/^event: call$/m.test(block)) continue;
        const data = block
          .split('\n')
          .filter((l) => l.startsWith('data: '))
          .map((l) => l.slice(6))
          .join('\n');
        events.push(JSON.parse(data));
      }
    }
  })().catch((error) => {
    if (error.name !== 'AbortError') throw error;
  });
  return {
    events,
    stop: async () => {
      controller.abort();
      await done;
    },
  };
}

describe('voice campaigns end to end with a real n8n', () => {
  let s;
  let channelId;

  beforeAll(async () => {
    // Calls live ~1.3 s at the sandbox (ringing, answer, hang-up 400 ms apart): long enough to overlap.
    s = await startStack({ sandboxEnv: { SANDBOX_TWILIO_CPS: '10', SANDBOX_EVENT_SPACING_MS: '400' } });
    const channel = await s.api('POST', '/channels', {
      type: 'twilio',
      name: 'Calls',
      config: { accountSid: SID, from: FROM, baseUrl: s.sandboxUrl, ratePerSecond: 10, callsPerSecond: 10, maxConcurrentCalls: 50 },
      secrets: { authToken: 'sandbox-twilio-auth-token' },
    });
    assert.equal(channel.status, 201, JSON.stringify(channel.body));
    channelId = channel.body.id;
  }, 180_000);
  afterAll(() => s?.stop());

  /** A draft voice blast calling `leadIds` with a script greeting each lead by name. */
  async function voiceCampaign(name, leadIds, settings) {
    const template = await s.api('POST', '/templates', { name, channel: 'voice', voice: { script: 'Hello {{ lead.first_name }}' } });
    assert.equal(template.status, 201, JSON.stringify(template.body));
    const campaign = await s.api('POST', '/campaigns', {
      name,
      type: 'blast',
      sender: { channelId },
      audience: { leadIds },
      steps: [{ channel: 'voice', templateId: template.body.id }],
      settings,
    });
    assert.equal(campaign.status, 201, JSON.stringify(campaign.body));
    return campaign.body.id;
  }

  it('never more than maxConcurrentCalls live across shards; unanswered numbers retried after the delay up to retryCount; stats match the sandbox', async () => {
    const answered = numbers(ANSWERED, '9997', '415');
    const noAnswer = numbers(NO_ANSWER, '9995', '628');
    const busy = numbers(BUSY, '9994', '650');
    const leads = await s.api(
      'POST',
      '/leads',
      [...answered, ...noAnswer, ...busy].map((phone, i) => ({ phone, firstName: `Lead${i}`, consent: { voice: true } })),
    );
    assert.equal(leads.body.failed, 0, JSON.stringify(leads.body.errors));
    const id = await voiceCampaign('Calls', leads.body.ids, {
      shards: 4,
      batchSize: 5,
      maxConcurrentCalls: MAX_CALLS,
      retryCount: RETRIES,
      retryDelaySeconds: RETRY_DELAY_S,
    });
    const sse = collectCallEvents(s, id);
    assert.equal((await s.api('POST', `/campaigns/${id}/launch`)).status, 202);

    const expectedCalls = ANSWERED + (NO_ANSWER + BUSY) * (1 + RETRIES);
    const record = await waitFor(
      async () => {
        const calls = await s.sandboxApi('GET', `/twilio/calls?accountSid=${SID}`);
        return calls.ended >= expectedCalls && calls.live === 0 ? calls : false;
      },
      `${expectedCalls} calls to end at the sandbox`,
      240_000,
      500,
    );
    const done = await waitFor(
      async () => {
        const c = (await s.api('GET', `/campaigns/${id}`)).body;
        return c.status === 'completed' && c.counts.queued + c.counts.leased + c.counts.sending === 0 ? c : false;
      },
      'the campaign to complete',
      60_000,
    );
    // Some time for a (wrong) fourth call to show up.
    await new Promise((r) => setTimeout(r, RETRY_DELAY_S * 1000 + 1000));
    const final = await s.sandboxApi('GET', `/twilio/calls?accountSid=${SID}`);
    await sse.stop();

    // The measurement, for the record: how many calls and the most live at once the sandbox saw.
    console.log(`voice e2e: ${final.ended} calls, at most ${final.maxLive} live at once (limit ${MAX_CALLS})`);
    // Concurrency: the backend's call slots held across the four shards.
    assert.ok(final.maxLive <= MAX_CALLS, `the sandbox saw ${final.maxLive} live calls at once`);
    assert.ok(final.maxLive >= 2, 'calls did overlap (the limit was exercised)');
    assert.equal(final.ended, expectedCalls, 'no call beyond 1 + retryCount per unanswered number');

    // Retries: each unanswered number called exactly 1 + retryCount times, each call after the delay.
    const byNumber = new Map();
    for (const c of final.calls) byNumber.set(c.to, [...(byNumber.get(c.to) ?? []), c]);
    for (const phone of answered) assert.equal(byNumber.get(phone)?.length, 1, `${phone} answered once`);
    for (const phone of [...noAnswer, ...busy]) {
      const calls = byNumber.get(phone) ?? [];
      assert.equal(calls.length, 1 + RETRIES, `${phone} called ${calls.length} times`);
      calls.sort((a, b) => a.startedAt - b.startedAt);
      for (let i = 1; i < calls.length; i++)
        assert.ok(
          calls[i].startedAt - calls[i - 1].endedAt >= RETRY_DELAY_S * 1000 - 250,
          `${phone}: call ${i + 1} started ${calls[i].startedAt - calls[i - 1].endedAt} ms after the previous one ended`,
        );
    }
    assert.equal(done.counts.delivered, ANSWERED);
    assert.equal(done.counts.failed, NO_ANSWER + BUSY);

    // Statistics: the backend's numbers are the sandbox's.
    const stats = (await s.api('GET', `/campaigns/${id}/stats`)).body;
    assert.deepEqual(
      {
        placed: stats.placed,
        answered: stats.answered,
        noAnswer: stats.noAnswer,
        busy: stats.busy,
        failed: stats.failed,
        inProgress: stats.inProgress,
        totalTalkSeconds: stats.totalTalkSeconds,
      },
      {
        placed: final.ended,
        answered: final.byStatus.completed,
        noAnswer: final.byStatus['no-answer'],
        busy: final.byStatus.busy,
        failed: final.byStatus.failed ?? 0,
        inProgress: 0,
        totalTalkSeconds: final.talkSeconds,
      },
    );
    assert.equal(stats.totalTalkSeconds, ANSWERED * TALK_S);
    assert.equal(stats.averageTalkSeconds, TALK_S);
    assert.equal(stats.successRate, Math.round((ANSWERED / expectedCalls) * 10_000) / 10_000);
    assert.deepEqual(stats.attemptsPerLead.distribution, { 1: ANSWERED, [1 + RETRIES]: NO_ANSWER + BUSY });
    assert.equal(stats.liveSlots, 0, 'every slot was given back');
    const { rows } = await s.db.query(
      `SELECT count(*)::int AS n FROM message_attempts a JOIN messages m ON m.id = a.message_id WHERE m.campaign_id = $1`,
      [id],
    );
    assert.equal(rows[0].n, (NO_ANSWER + BUSY) * RETRIES, 'each retried try kept as its own attempt row');

    // Live events: every call rang; answered ones were answered and completed with their duration.
    const completed = sse.events.filter((e) => e.status === 'completed');
    assert.equal(completed.length, ANSWERED);
    assert.ok(completed.every((e) => e.durationSeconds === TALK_S && e.leadId && e.callSid.startsWith('CA')));
    assert.equal(sse.events.filter((e) => e.status === 'answered').length, ANSWERED);
    assert.equal(sse.events.filter((e) => e.status === 'ringing').length, expectedCalls);
    assert.equal(sse.events.filter((e) => e.status === 'no-answer').length, NO_ANSWER * (1 + RETRIES));
    assert.ok(record.ended >= expectedCalls);
  }, 600_000);

  it('answering-machine detection: machines (…9998) hear the voicemail rendered for them after the beep, people the script; stats count the voicemails', async () => {
    const people = numbers(6, '9997', '213');
    const machines = numbers(4, '9998', '310');
    const leads = await s.api(
      'POST',
      '/leads',
      [...people, ...machines].map((phone, i) => ({ phone, firstName: `Amd${i}`, consent: { voice: true } })),
    );
    assert.equal(leads.body.failed, 0, JSON.stringify(leads.body.errors));
    const id = await voiceCampaign('Voicemail', leads.body.ids, {
      shards: 2,
      maxConcurrentCalls: MAX_CALLS,
      answeringMachine: 'voicemail',
      voicemailScript: 'Hi {{ lead.first_name }}, sorry we missed you. Call {{ sender.from }}.',
    });
    assert.equal((await s.api('POST', `/campaigns/${id}/launch`)).status, 202);
    const callTo = async (phone) => (await s.sandboxApi('GET', `/messages?channel=voice&to=${encodeURIComponent(phone)}`)).items;
    // Each call fetched its TwiML once answered: what it played is what the backend answered.
    const played = await waitFor(
      async () => {
        const all = await Promise.all([...people, ...machines].map(async (phone) => [phone, await callTo(phone)]));
        return all.every(([, calls]) => calls.length === 1 && calls[0].meta?.twimlFetched)
          ? new Map(all.map(([p, c]) => [p, c[0]]))
          : false;
      },
      '10 answered calls to fetch their TwiML',
      120_000,
      500,
    );
    const done = await s.campaignDone(id);
    const names = new Map([...people, ...machines].map((phone, i) => [phone, `Amd${i}`]));
    for (const phone of machines) {
      const call = played.get(phone);
      assert.equal(call.meta.machineDetection, 'DetectMessageEnd', 'a voicemail waits for the beep');
      assert.equal(call.meta.twiml, undefined, 'the call carried a TwiML URL, not inline TwiML');
      assert.match(call.meta.twimlFetched, new RegExp(`<Say>Hi ${names.get(phone)}, sorry we missed you\\. Call \\${FROM}\\.</Say>`));
      assert.doesNotMatch(call.meta.twimlFetched, /Hello/);
    }
    for (const phone of people) assert.match(played.get(phone).meta.twimlFetched, new RegExp(`<Say>Hello ${names.get(phone)}</Say>`));
    assert.equal(done.counts.delivered, 10);
    const stats = (await s.api('GET', `/campaigns/${id}/stats`)).body;
    assert.equal(stats.placed, 10);
    assert.equal(stats.voicemail, machines.length);
    assert.equal(stats.answered, people.length, 'a voicemail is not an answered call');
  }, 300_000);

  it('kill -9 of n8n mid-campaign, then a restart: no call slot held forever, no lead called twice', async () => {
    const phones = numbers(60, '9997', '702');
    const leads = await s.api(
      'POST',
      '/leads',
      phones.map((phone, i) => ({ phone, firstName: `Caller${i}`, consent: { voice: true } })),
    );
    const id = await voiceCampaign('Calls, crashed', leads.body.ids, { shards: 2, batchSize: 5, maxConcurrentCalls: MAX_CALLS });
    assert.equal((await s.api('POST', `/campaigns/${id}/launch`)).status, 202);
    const callsTo = async () => (await s.sandboxApi('GET', `/twilio/calls?accountSid=${SID}`)).calls.filter((c) => phones.includes(c.to));
    await waitFor(async () => (await callsTo()).length >= 15, '15 calls placed', 120_000, 200);
    await s.killN8n();
    const atKill = (await callsTo()).length;
    assert.ok(atKill < phones.length, 'killed mid-campaign');
    await new Promise((r) => setTimeout(r, 2000));
    await s.startN8n();
    const done = await s.campaignDone(id, 300_000);
    assert.equal(done.status, 'completed');
    await waitFor(
      async () => (await s.sandboxApi('GET', `/twilio/calls?accountSid=${SID}`)).live === 0,
      'no live call at the sandbox',
      60_000,
    );

    const calls = await callsTo();
    const perNumber = new Map();
    for (const c of calls) perNumber.set(c.to, (perNumber.get(c.to) ?? 0) + 1);
    assert.ok(
      [...perNumber.values()].every((n) => n === 1),
      'no lead called twice',
    );
    const counts = (await s.api('GET', `/campaigns/${id}`)).body.counts;
    // Calls placed before the kill whose lease expired in `sending` are `unknown` unless Twilio's callbacks settled them.
    assert.equal(counts.delivered + counts.unknown + counts.failed, phones.length, JSON.stringify(counts));
    assert.ok(
      calls.length >= counts.delivered && calls.length <= counts.delivered + counts.unknown,
      `${calls.length} calls, ${JSON.stringify(counts)}`,
    );
    // Nothing else calls in this stack now: no slot of the campaign or of the number may still be held.
    const { rows } = await s.db.query(`SELECT slot_key, count(*)::int AS n FROM call_slots WHERE expires_at > now() GROUP BY slot_key`);
    assert.deepEqual(rows, [], 'no call slot is still held');
    assert.equal((await s.api('GET', `/campaigns/${id}/stats`)).body.liveSlots, 0);
    console.log(`voice crash: killed after ${atKill} calls; ${calls.length} calls in all, ${JSON.stringify(counts)}`);
  }, 600_000);
});
