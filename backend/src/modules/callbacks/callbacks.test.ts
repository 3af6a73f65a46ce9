import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { RuntimeSecrets } from '../../config/runtime-secrets';
import { tickUntil, TriggerReceiver } from '../../test/engine-harness';
import { startTestApp, TestApp } from '../../test/test-app';
import { MessageEventRecorder } from '../webhooks/message-event.recorder';

const TOKEN = 'callbacks-twilio-token';
const OUR_NUMBER = '+14155550100';
const PUBLIC_URL = 'https://cadence.example.com';
const MINUTE = 60_000;

describe('callback requests: priority, SLA, assignment, status machine, activity, sources', () => {
  let t: TestApp;
  let key: string;
  let orgId: string;
  let otherKey: string;
  let receiver: TriggerReceiver;
  let twilio: string;
  let alice: string;
  let bob: string;
  let sid = 0;

  const api = (method: string, path: string, body?: unknown, headers?: Record<string, string>, as = key) =>
    t.request(method, `/api/v1${path}`, { key: as, body, ...(headers && { headers }) });
  const drain = () => t.app.get(MessageEventRecorder).drain();

  /** Posts a form to a Twilio webhook, signed as Twilio signs it (the public URL it called, with its query). */
  async function twilioPost(path: string, params: Record<string, string>) {
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
    await drain();
  }

  async function lead(body: Record<string, unknown>): Promise<string> {
    const res = await api('POST', '/leads', { consent: { sms: true, voice: true }, ...body });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.id;
  }

  /** A one-step campaign for these leads, launched far ahead and materialized; the lead's message marked sent. */
  async function sentMessage(channel: 'sms' | 'voice', leadId: string, settings: Record<string, unknown>) {
    const template = (
      await api(
        'POST',
        '/templates',
        channel === 'sms' ? { name: 'S', channel, body: 'Hi' } : { name: 'V', channel, voice: { mode: 'say', script: 'Hello' } },
      )
    ).body.id;
    const res = await api('POST', '/campaigns', {
      name: `${channel} campaign`,
      type: 'blast',
      sender: { channelId: twilio },
      audience: { leadIds: [leadId] },
      settings: { startAt: '2099-01-01T00:00:00Z', ...settings },
      steps: [{ channel, templateId: template }],
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal((await api('POST', `/campaigns/${res.body.id}/launch`)).status, 202);
    await tickUntil(t, async () => (await api('GET', `/campaigns/${res.body.id}`)).body.materialized);
    const providerId = `${channel === 'sms' ? 'SM' : 'CA'}${String(++sid).padStart(32, '0')}`;
    const [[row]] = await t.dataSource.query(
      `UPDATE messages SET status = 'sent', sent_at = now(), due_at = NULL, provider_message_id = $2
        WHERE campaign_id = $1 AND lead_id = $3 RETURNING id`,
      [res.body.id, providerId, leadId],
    );
    return { messageId: row.id as string, providerId };
  }

  const requestsOf = (leadId: string) =>
    t.dataSource.query('SELECT id, source, status FROM callback_requests WHERE lead_id = $1 ORDER BY created_at', [leadId]);

  beforeAll(async () => {
    receiver = new TriggerReceiver(() => t.app.get(RuntimeSecrets).triggerSigningSecret);
    await receiver.start();
    t = await startTestApp({ env: { SCHEDULER_INTERVAL_MS: '0', N8N_URL: receiver.url, PUBLIC_URL } });
    ({ apiKey: key, organizationId: orgId } = await t.createOrg());
    otherKey = (await t.createOrg('Other')).apiKey;
    twilio = (
      await api('POST', '/channels', {
        type: 'twilio',
        name: 'Line',
        config: { accountSid: `AC${'1'.repeat(32)}`, from: OUR_NUMBER },
        secrets: { authToken: TOKEN },
      })
    ).body.id;
    // Two members, Alice first: round-robin starts with whoever has waited longest (never assigned: by joining order).
    [{ id: alice }] = await t.dataSource.query(
      `INSERT INTO users (organization_id, email, name, created_at) VALUES ($1, 'alice@acme.example', 'Alice', now() - interval '2 days') RETURNING id`,
      [orgId],
    );
    [{ id: bob }] = await t.dataSource.query(
      `INSERT INTO users (organization_id, email, name, created_at) VALUES ($1, 'bob@acme.example', 'Bob', now() - interval '1 day') RETURNING id`,
      [orgId],
    );
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  let urgentId: string;
  let lowId: string;

  it('creates a scored request (score, category, reasons, SLA due) once per Idempotency-Key; a lead with an open request keeps that one', async () => {
    const vip = await lead({ phone: '+14155552001', firstName: 'Vera', attributes: { value: 25000, stage: 'Negotiation' } });
    const body = {
      leadId: vip,
      reason: 'Wants pricing',
      windowStart: '2030-01-01T09:00:00Z',
      windowEnd: '2030-01-01T11:00:00Z',
      timezone: 'Europe/Paris',
    };
    const first = await api('POST', '/callbacks', body, { 'Idempotency-Key': 'form-1' });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    urgentId = first.body.id;
    // web_form 30 + value >= 10,000: 25 + stage negotiation: 20 = 75 -> urgent, due in 60 minutes.
    assert.equal(first.body.score, 75);
    assert.equal(first.body.category, 'urgent');
    assert.deepEqual(first.body.scoreReasons, ['source web_form: +30', 'lead value 25000: +25', 'lead stage negotiation: +20']);
    assert.equal(new Date(first.body.dueAt).getTime() - new Date(first.body.createdAt).getTime(), 60 * MINUTE);
    assert.equal(first.body.address, '+14155552001');
    assert.equal(first.body.channel, 'voice');
    assert.equal(first.body.status, 'pending');
    assert.equal(first.body.slaBreached, false, 'a boolean, also while open and not yet due');
    assert.equal(first.body.overdue, false);
    assert.equal(first.body.timezone, 'Europe/Paris');
    assert.equal(first.body.activities[0].kind, 'created');
    assert.equal(first.body.activities[0].actor, 'api key');

    const retry = await api('POST', '/callbacks', body, { 'Idempotency-Key': 'form-1' });
    assert.equal(retry.status, 201);
    assert.equal(retry.body.id, urgentId);
    assert.equal(retry.body.activities.length, 1, 'a retried key records nothing more');
    const reused = await api('POST', '/callbacks', { ...body, reason: 'Other' }, { 'Idempotency-Key': 'form-1' });
    assert.equal(reused.status, 422);
    assert.equal(reused.body.code, 'idempotency_key_reused');
    assert.equal((await requestsOf(vip)).length, 1);

    // Asked again without a key: the open request records it rather than a second request being made.
    const again = await api('POST', '/callbacks', { leadId: vip, reason: 'Called the front desk' });
    assert.equal(again.status, 201);
    assert.equal(again.body.id, urgentId);
    assert.deepEqual(
      again.body.activities.map((a: { kind: string }) => a.kind),
      ['created', 'duplicate'],
    );
    assert.equal((await requestsOf(vip)).length, 1);

    const anonymous = await api('POST', '/callbacks', { address: '+14155552002', source: 'api', reason: 'Missed us' });
    assert.equal(anonymous.status, 201, JSON.stringify(anonymous.body));
    lowId = anonymous.body.id;
    assert.equal(anonymous.body.lead, null);
    assert.equal(anonymous.body.category, 'low');
    assert.equal(new Date(anonymous.body.dueAt).getTime() - new Date(anonymous.body.createdAt).getTime(), 4320 * MINUTE);
  });

  it('refuses malformed or impossible requests with a code', async () => {
    const bad = async (body: unknown, status: number, code: string) => {
      const res = await api('POST', '/callbacks', body);
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.equal(res.body.code, code);
    };
    await bad({ reason: 'nobody to call' }, 400, 'validation_failed');
    await bad({ address: 'not a number' }, 400, 'validation_failed');
    await bad({ address: 'a@b.example', channel: 'voice' }, 400, 'validation_failed');
    await bad({ address: '+14155552003', source: 'reply_call_me' }, 400, 'validation_failed');
    await bad({ address: '+14155552003', reason: 'x'.repeat(2001) }, 400, 'validation_failed');
    await bad(
      { address: '+14155552003', windowStart: '2030-01-02T00:00:00Z', windowEnd: '2030-01-01T00:00:00Z' },
      400,
      'validation_failed',
    );
    await bad({ leadId: randomUUID() }, 404, 'lead_not_found');
    for (const q of ['status=lost', 'priority=meh', 'overdue=maybe', 'sort=name', 'assigneeId=nobody', 'assigneeId=me']) {
      const res = await api('GET', `/callbacks?${q}`);
      assert.equal(res.status, 400, q);
      assert.equal(res.body.code, 'validation_failed');
    }
  });

  it('rescores open requests as they wait: the score climbs, the category and due time follow, overdue is flagged and filterable', async () => {
    // As if the anonymous request had waited two days: 20 + waiting (capped) 30 = 50 -> high, due 4 h after creation: overdue.
    await t.dataSource.query(`UPDATE callback_requests SET created_at = now() - interval '2 days', scored_at = '-infinity' WHERE id = $1`, [
      lowId,
    ]);
    const got = await api('GET', `/callbacks/${lowId}`);
    assert.equal(got.status, 200);
    assert.equal(got.body.score, 50);
    assert.equal(got.body.category, 'high');
    assert.deepEqual(got.body.scoreReasons, ['source api: +20', 'waiting 48 h: +30']);
    assert.equal(new Date(got.body.dueAt).getTime() - new Date(got.body.createdAt).getTime(), 240 * MINUTE);
    assert.equal(got.body.overdue, true);
    assert.equal(got.body.slaBreached, true);
    assert.equal(got.body.activities.at(-1).kind, 'rescored');
    assert.match(got.body.activities.at(-1).summary, /low -> high/);

    const queue = await api('GET', '/callbacks');
    assert.deepEqual(
      queue.body.items.map((c: { id: string }) => c.id),
      [urgentId, lowId],
      'by priority: the urgent one first',
    );
    const byDue = await api('GET', '/callbacks?sort=due');
    assert.deepEqual(
      byDue.body.items.map((c: { id: string }) => c.id),
      [lowId, urgentId],
      'by due time: the overdue one first',
    );
    assert.deepEqual(
      (await api('GET', '/callbacks?overdue=true')).body.items.map((c: { id: string }) => c.id),
      [lowId],
    );
    assert.deepEqual(
      (await api('GET', '/callbacks?priority=urgent')).body.items.map((c: { id: string }) => c.id),
      [urgentId],
    );
    assert.equal((await api('GET', '/callbacks?status=completed')).body.items.length, 0);
    assert.equal((await api('GET', '/callbacks?status=open')).body.items.length, 2);
  });

  it('assigns manually or by round-robin among the members, and refuses a stranger', async () => {
    const stranger = await api('POST', `/callbacks/${urgentId}/assign`, { assigneeId: randomUUID() });
    assert.equal(stranger.status, 400);
    assert.equal(stranger.body.code, 'assignee_not_found');
    const empty = await api('POST', `/callbacks/${urgentId}/assign`, {});
    assert.equal(empty.status, 400);
    assert.equal(empty.body.code, 'validation_failed');

    const rr1 = await api('POST', `/callbacks/${urgentId}/assign`, { roundRobin: true });
    assert.equal(rr1.status, 200, JSON.stringify(rr1.body));
    assert.equal(rr1.body.assignee.id, alice);
    assert.equal(rr1.body.status, 'assigned');
    const rr2 = await api('POST', `/callbacks/${lowId}/assign`, { roundRobin: true });
    assert.equal(rr2.body.assignee.id, bob, 'the next round-robin goes to the other member');
    const manual = await api('POST', `/callbacks/${lowId}/assign`, { assigneeId: alice });
    assert.equal(manual.body.assignee.id, alice);
    assert.match(manual.body.activities.at(-1).summary, /alice@acme\.example manually/);
    assert.deepEqual(
      (await api('GET', `/callbacks?assigneeId=${alice}`)).body.items.map((c: { id: string }) => c.id).sort(),
      [urgentId, lowId].sort(),
    );
    assert.equal((await api('GET', `/callbacks?assigneeId=${bob}`)).body.items.length, 0);
  });

  it('moves through the state machine; illegal moves are 409 callback_invalid_transition; completing records the resolution', async () => {
    const move = (id: string, status: string, resolution?: string) => api('PUT', `/callbacks/${id}/status`, { status, resolution });
    assert.equal((await move(urgentId, 'in_progress')).body.status, 'in_progress');
    const back = await move(urgentId, 'pending');
    assert.equal(back.status, 409);
    assert.equal(back.body.code, 'callback_invalid_transition');
    const bogus = await move(urgentId, 'lost');
    assert.equal(bogus.status, 400);

    const done = await api('POST', `/callbacks/${urgentId}/complete`, { resolution: 'Booked a demo' });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.equal(done.body.status, 'completed');
    assert.equal(done.body.resolution, 'Booked a demo');
    assert.ok(done.body.completedAt);
    assert.equal(done.body.slaBreached, false);
    assert.ok(!(await api('GET', '/callbacks?status=open')).body.items.some((c: { id: string }) => c.id === urgentId), 'no longer open');
    for (const attempt of [
      () => api('POST', `/callbacks/${urgentId}/complete`, { resolution: 'Again' }),
      () => move(urgentId, 'in_progress'),
      () => api('POST', `/callbacks/${urgentId}/assign`, { assigneeId: bob }),
    ]) {
      const res = await attempt();
      assert.equal(res.status, 409);
      assert.equal(res.body.code, 'callback_invalid_transition');
    }
    const blank = await api('POST', `/callbacks/${lowId}/complete`, { resolution: '  ' });
    assert.equal(blank.status, 400);

    // no_answer can be retried: back to pending, unassigned.
    assert.equal((await move(lowId, 'no_answer', 'Voicemail')).body.status, 'no_answer');
    const reopened = await move(lowId, 'pending');
    assert.equal(reopened.body.status, 'pending');
    assert.equal(reopened.body.assignee, null);
    const unassignedToAssigned = await move(lowId, 'assigned');
    assert.equal(unassignedToAssigned.status, 409, 'assigned needs an assignee: POST /assign');

    const log = (await api('GET', `/callbacks/${urgentId}`)).body.activities;
    assert.deepEqual(
      log.map((a: { kind: string }) => a.kind),
      ['created', 'duplicate', 'assigned', 'status', 'completed'],
    );
    assert.ok(log.every((a: { actor: string; at: string }) => a.actor === 'api key' && a.at));
    assert.equal(log[4].details.resolution, 'Booked a demo');
  });

  it('a reply asking for a call, to a campaign with onReply: callback, creates one request linked to its conversation; a "no" does not', async () => {
    const caller = await lead({ phone: '+14155553001', firstName: 'Cal' });
    const { messageId } = await sentMessage('sms', caller, { onReply: 'callback' });
    const params = { MessageSid: 'SMreply1', From: '+14155553001', To: OUR_NUMBER, Body: 'Could you call me tomorrow morning?' };
    await twilioPost(`/webhooks/twilio/${twilio}/inbound`, params);
    await twilioPost(`/webhooks/twilio/${twilio}/inbound`, params); // replayed
    const [request] = await requestsOf(caller);
    assert.equal((await requestsOf(caller)).length, 1);
    const got = (await api('GET', `/callbacks/${request.id}`)).body;
    assert.equal(got.source, 'reply_call_me');
    assert.equal(got.sourceMessageId, messageId);
    assert.equal(got.channel, 'voice');
    assert.equal(got.address, '+14155553001');
    // reply_call_me 40 + the reply itself as engagement 5 = 45 -> normal, due in 24 h.
    assert.equal(got.score, 45);
    assert.equal(got.category, 'normal');
    assert.equal(new Date(got.dueAt).getTime() - new Date(got.createdAt).getTime(), 1440 * MINUTE);
    const conversation = (await api('GET', `/conversations/${got.conversationId}`)).body;
    assert.equal(conversation.address, '+14155553001');
    assert.equal(got.activities[0].actor, 'system');

    const refuser = await lead({ phone: '+14155553002' });
    await sentMessage('sms', refuser, { onReply: 'callback' });
    await twilioPost(`/webhooks/twilio/${twilio}/inbound`, {
      MessageSid: 'SMreply2',
      From: '+14155553002',
      To: OUR_NUMBER,
      Body: 'No thanks, please do not call',
    });
    assert.equal((await requestsOf(refuser)).length, 0);

    const quiet = await lead({ phone: '+14155553003' });
    await sentMessage('sms', quiet, {});
    await twilioPost(`/webhooks/twilio/${twilio}/inbound`, {
      MessageSid: 'SMreply3',
      From: '+14155553003',
      To: OUR_NUMBER,
      Body: 'Call me',
    });
    assert.equal((await requestsOf(quiet)).length, 0, 'without onReply: callback the reply stays in the inbox');
  });

  it('a voice call that ends no-answer, in a campaign with onNoAnswer: callback, creates a request; an answered call does not', async () => {
    const missed = await lead({ phone: '+14155554001' });
    const call = await sentMessage('voice', missed, { onNoAnswer: 'callback' });
    const status = (m: { messageId: string; providerId: string }, CallStatus: string) =>
      twilioPost(`/webhooks/twilio/${twilio}/status?cadenceMessageId=${m.messageId}`, {
        CallSid: m.providerId,
        CallStatus,
        To: '+14155554001',
      });
    await status(call, 'no-answer');
    await status(call, 'no-answer'); // replayed
    const [request] = await requestsOf(missed);
    assert.equal((await requestsOf(missed)).length, 1);
    const got = (await api('GET', `/callbacks/${request.id}`)).body;
    assert.equal(got.source, 'voice_no_answer');
    assert.equal(got.score, 15);
    assert.equal(got.category, 'low');
    assert.match(got.reason, /no-answer/);

    const answered = await lead({ phone: '+14155554002' });
    const ok = await sentMessage('voice', answered, { onNoAnswer: 'callback' });
    await twilioPost(`/webhooks/twilio/${twilio}/status?cadenceMessageId=${ok.messageId}`, {
      CallSid: ok.providerId,
      CallStatus: 'completed',
    });
    assert.equal((await requestsOf(answered)).length, 0);
  });

  it('the priority rule is configurable: an override rescores the open requests; a bad rule is 400', async () => {
    const before = await api('GET', '/callbacks/rule');
    assert.equal(before.body.sourcePoints.voice_no_answer, 15);
    const set = await api('PUT', '/callbacks/rule', { sourcePoints: { voice_no_answer: 60 }, slaMinutes: { high: 30 } });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.equal(set.body.sourcePoints.voice_no_answer, 60);
    assert.equal(set.body.sourcePoints.reply_call_me, 40, 'what is left out keeps the default');
    const missed = (await api('GET', '/callbacks?priority=high')).body.items.find(
      (c: { source: string }) => c.source === 'voice_no_answer',
    );
    assert.ok(missed, 'the voice request is high now');
    assert.equal(new Date(missed.dueAt).getTime() - new Date(missed.createdAt).getTime(), 30 * MINUTE);
    for (const rule of [
      { sourcePoints: { nope: 1 } },
      { slaMinutes: { high: 0 } },
      { thresholds: { urgent: 10, high: 20, normal: 5 } },
      { waitingPointsPerHour: 'x' },
    ]) {
      const res = await api('PUT', '/callbacks/rule', rule);
      assert.equal(res.status, 400, JSON.stringify(rule));
      assert.equal(res.body.code, 'validation_failed');
    }
  });

  it('summarises the queue: per status, open per category, overdue and SLA breaches', async () => {
    const s = (await api('GET', '/callbacks/summary')).body;
    const [{ open, overdue, breaches }] = await t.dataSource.query(
      `SELECT count(*) FILTER (WHERE status IN ('pending', 'assigned', 'in_progress'))::int AS open,
              count(*) FILTER (WHERE status IN ('pending', 'assigned', 'in_progress') AND due_at < now())::int AS overdue,
              count(*) FILTER (WHERE (status IN ('pending', 'assigned', 'in_progress') AND due_at < now()) OR completed_at > due_at)::int AS breaches
         FROM callback_requests WHERE organization_id = $1`,
      [orgId],
    );
    assert.equal(s.byStatus.completed, 1);
    assert.equal(
      Object.values(s.openByCategory as Record<string, number>).reduce((a, b) => a + b, 0),
      open,
    );
    assert.equal(s.overdue, overdue);
    assert.equal(s.overdue, 1, 'the request that waited two days');
    assert.equal(s.slaBreaches, breaches);
    assert.equal(s.unassigned, open);
  });

  it("another organization's key sees nothing and reaches nothing", async () => {
    assert.deepEqual((await api('GET', '/callbacks', undefined, undefined, otherKey)).body.items, []);
    const summary = (await api('GET', '/callbacks/summary', undefined, undefined, otherKey)).body;
    assert.equal(summary.overdue, 0);
    assert.deepEqual(summary.byStatus, {});
    for (const [method, path, body] of [
      ['GET', `/callbacks/${lowId}`, undefined],
      ['PUT', `/callbacks/${lowId}/status`, { status: 'cancelled' }],
      ['POST', `/callbacks/${lowId}/assign`, { roundRobin: true }],
      ['POST', `/callbacks/${lowId}/complete`, { resolution: 'x' }],
    ] as const) {
      const res = await api(method, path, body, undefined, otherKey);
      assert.equal(res.status, 404, `${method} ${path}`);
      assert.equal(res.body.code, 'callback_not_found');
    }
    const [{ lead_id: leadOfA }] = await t.dataSource.query(
      'SELECT lead_id FROM callback_requests WHERE organization_id = $1 AND lead_id IS NOT NULL LIMIT 1',
      [orgId],
    );
    const viaLead = await api('POST', '/callbacks', { leadId: leadOfA }, undefined, otherKey);
    assert.equal(viaLead.status, 404);
    assert.equal(viaLead.body.code, 'lead_not_found');
  });
});
