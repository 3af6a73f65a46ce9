// Hand-over to a person, end to end with a real n8n and the provider sandbox: a lead answers an SMS
// campaign "call me" (the sandbox's simulated person, …9993, with the reply text overridden) and a voice
// campaign's call is not answered (…9995), retried once and still not answered; each becomes a callback
// request with the priority and SLA the default rule gives it; an agent assigned by round-robin completes one.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startStack, waitFor } from './stack.mjs';

const SID = `AC${'d'.repeat(32)}`;
const FROM = '+14155550170';
const REPLIER = '+14155559993'; // the sandbox's convention: this number replies to what it receives
const NO_ANSWER = '+14155559995'; // …and this one does not pick up
const MINUTE = 60_000;

describe('callback requests end to end with a real n8n', () => {
  let s;
  let twilio;

  beforeAll(async () => {
    s = await startStack();
    const channel = await s.api('POST', '/channels', {
      type: 'twilio',
      name: 'Line',
      config: { accountSid: SID, from: FROM, baseUrl: s.sandboxUrl },
      secrets: { authToken: 'sandbox-twilio-auth-token' },
    });
    assert.equal(channel.status, 201, JSON.stringify(channel.body));
    twilio = channel.body.id;
    await s.sandboxApi('POST', '/twilio/numbers', { number: FROM, smsUrl: channel.body.webhookUrls.inbound, accountSid: SID });
    await s.sandboxApi('POST', '/behaviour/overrides', {
      match: REPLIER,
      behaviour: { replied: true, replyText: 'Could you call me this afternoon?' },
    });
  }, 180_000);
  afterAll(() => s?.stop());

  async function launch(name, channel, leadId, template, settings) {
    const t = await s.api('POST', '/templates', { name, channel, ...template });
    assert.equal(t.status, 201, JSON.stringify(t.body));
    const campaign = await s.api('POST', '/campaigns', {
      name,
      type: 'blast',
      sender: { channelId: twilio },
      audience: { leadIds: [leadId] },
      settings,
      steps: [{ channel, templateId: t.body.id }],
    });
    assert.equal(campaign.status, 201, JSON.stringify(campaign.body));
    assert.equal((await s.api('POST', `/campaigns/${campaign.body.id}/launch`)).status, 202);
  }

  const requestOf = (leadId) =>
    waitFor(
      async () => (await s.api('GET', '/callbacks?status=open')).body.items.find((c) => c.lead?.id === leadId),
      `the callback request of lead ${leadId}`,
      90_000,
    );

  it('an SMS reply saying "call me" and an unanswered call each create a request with the expected priority and SLA; round-robin and complete', async () => {
    const rae = await s.api('POST', '/leads', { phone: REPLIER, firstName: 'Rae', consent: { sms: true } });
    const noa = await s.api('POST', '/leads', { phone: NO_ANSWER, firstName: 'Noa', consent: { voice: true } });
    assert.equal(rae.status, 201, JSON.stringify(rae.body));
    assert.equal(noa.status, 201, JSON.stringify(noa.body));
    await launch('Demo offer', 'sms', rae.body.id, { body: 'Hi {{ lead.first_name }}, want a demo?' }, { onReply: 'callback' });
    await launch(
      'Demo call',
      'voice',
      noa.body.id,
      { voice: { script: 'Hello {{ lead.first_name }}' } },
      {
        onNoAnswer: 'callback',
        retryCount: 1,
        retryDelaySeconds: 1,
      },
    );

    const asked = await requestOf(rae.body.id);
    assert.equal(asked.source, 'reply_call_me');
    assert.equal(asked.channel, 'voice');
    assert.equal(asked.address, REPLIER);
    // reply_call_me 40 + the reply itself as engagement 5 = 45: normal, due 24 h after it was made.
    assert.equal(asked.score, 45);
    assert.equal(asked.category, 'normal');
    assert.equal(new Date(asked.dueAt) - new Date(asked.createdAt), 1440 * MINUTE);
    assert.ok(asked.conversationId, 'linked to the conversation the reply opened');

    const missed = await requestOf(noa.body.id);
    // Only once its retries are spent: the sandbox rang the number twice (1 + retryCount), both unanswered,
    // and the request was made after the second call began.
    const rung = (await s.sandboxApi('GET', '/twilio/calls')).calls.filter((c) => c.to === NO_ANSWER);
    assert.deepEqual(
      rung.map((c) => c.status),
      ['no-answer', 'no-answer'],
    );
    assert.ok(new Date(missed.createdAt).getTime() >= Math.max(...rung.map((c) => c.startedAt)), 'made after the last try');
    assert.equal(missed.source, 'voice_no_answer');
    assert.equal(missed.address, NO_ANSWER);
    assert.match(missed.reason, /no-answer/);
    assert.equal(missed.score, 15);
    assert.equal(missed.category, 'low');
    assert.equal(new Date(missed.dueAt) - new Date(missed.createdAt), 4320 * MINUTE);

    // The queue: the reply first (higher priority). An agent gets it by round-robin and completes it.
    const queue = (await s.api('GET', '/callbacks')).body.items.map((c) => c.id);
    assert.deepEqual(queue, [asked.id, missed.id]);
    const { rows: org } = await s.db.query('SELECT organization_id FROM leads WHERE id = $1', [rae.body.id]);
    await s.db.query(`INSERT INTO users (organization_id, email, name) VALUES ($1, 'agent@e2e.example', 'Agent')`, [
      org[0].organization_id,
    ]);
    const assigned = await s.api('POST', `/callbacks/${asked.id}/assign`, { roundRobin: true });
    assert.equal(assigned.status, 200, JSON.stringify(assigned.body));
    assert.equal(assigned.body.assignee.email, 'agent@e2e.example');
    const done = await s.api('POST', `/callbacks/${asked.id}/complete`, { resolution: 'Called back, demo booked' });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.deepEqual(
      done.body.activities.map((a) => a.kind),
      ['created', 'assigned', 'completed'],
    );
    const summary = (await s.api('GET', '/callbacks/summary')).body;
    assert.deepEqual(summary.byStatus, { completed: 1, pending: 1 });
  }, 240_000);
});
