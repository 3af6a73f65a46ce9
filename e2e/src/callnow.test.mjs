// "Call now" end to end with a real n8n and the provider sandbox: a callback request is given to an agent
// by round-robin; the agent's call is placed by n8n as a Twilio call to the agent's phone whose TwiML
// <Dial>s the lead (the sandbox runs both legs: the agent answers, then the lead, …9997, talks 42 s);
// Twilio's Dial action and the parent call's status land the attempt in the request's activity log,
// and the agent completes the request.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startStack, waitFor } from './stack.mjs';

const SID = `AC${'e'.repeat(32)}`;
const FROM = '+14155550171';
const AGENT_PHONE = '+14155559990'; // the sandbox's convention: answers
const LEAD = '+14155559997'; // …answers and talks 42 s

describe('call now end to end with a real n8n', () => {
  let s;
  let voiceUrl;

  beforeAll(async () => {
    s = await startStack();
    const channel = await s.api('POST', '/channels', {
      type: 'twilio',
      name: 'Line',
      config: { accountSid: SID, from: FROM, baseUrl: s.sandboxUrl },
      secrets: { authToken: 'sandbox-twilio-auth-token' },
    });
    assert.equal(channel.status, 201, JSON.stringify(channel.body));
    voiceUrl = channel.body.webhookUrls.voice;
  }, 300_000);
  afterAll(() => s?.stop());

  it('an agent assigned by round-robin calls the lead through the sandbox (agent leg, then the bridged lead leg) and completes the request', async () => {
    const lead = await s.api('POST', '/leads', { phone: LEAD, firstName: 'Lee', consent: { voice: true } });
    assert.equal(lead.status, 201, JSON.stringify(lead.body));
    const request = await s.api('POST', '/callbacks', { leadId: lead.body.id, reason: 'Wants a call about pricing' });
    assert.equal(request.status, 201, JSON.stringify(request.body));
    const { rows } = await s.db.query(
      `INSERT INTO users (organization_id, email, name, phone) SELECT organization_id, 'agent@e2e.example', 'Agent', $2 FROM leads WHERE id = $1
       RETURNING id`,
      [lead.body.id, AGENT_PHONE],
    );
    const assigned = await s.api('POST', `/callbacks/${request.body.id}/assign`, { roundRobin: true });
    assert.equal(assigned.status, 200, JSON.stringify(assigned.body));
    assert.equal(assigned.body.assignee.id, rows[0].id);

    const started = await s.api('POST', `/callbacks/${request.body.id}/call`, undefined, { 'Idempotency-Key': 'e2e-call' });
    assert.equal(started.status, 201, JSON.stringify(started.body));
    assert.equal(started.body.status, 'in_progress');
    const { messageId } = started.body.calls[0];

    const ended = await waitFor(
      async () => {
        const detail = (await s.api('GET', `/callbacks/${request.body.id}`)).body;
        return detail.calls[0].status === 'ended' && detail.calls[0].leadAnswered !== null ? detail : undefined;
      },
      'the attempt to end with both legs reported',
      90_000,
    );
    assert.deepEqual(
      {
        outcome: ended.calls[0].outcome,
        agentAnswered: ended.calls[0].agentAnswered,
        leadAnswered: ended.calls[0].leadAnswered,
        leadDurationSeconds: ended.calls[0].leadDurationSeconds,
        durationSeconds: ended.calls[0].durationSeconds,
      },
      { outcome: 'completed', agentAnswered: true, leadAnswered: true, leadDurationSeconds: 42, durationSeconds: 45 },
    );
    const attempt = ended.activities.find((a) => a.kind === 'attempt');
    assert.equal(attempt.summary, `Call now: connected with the lead ${LEAD} for 42 s`);

    // The sandbox's record: the call n8n placed rang the agent from our number; its <Dial> leg rang the lead.
    const legs = (await s.sandboxApi('GET', `/messages?channel=voice&campaignMessageId=${messageId}`)).items;
    const parent = legs.find((l) => l.meta?.leg === 'parent');
    const child = legs.find((l) => l.meta?.leg === 'dial');
    assert.equal(parent.to, AGENT_PHONE);
    assert.equal(parent.from, FROM);
    assert.match(parent.meta.twiml, /<Dial callerId="\+14155550171" action="[^"]+\/webhooks\/twilio\/[^"]+\/dial\?cadenceCallId=/);
    assert.equal(child.to, LEAD);
    assert.equal(child.from, FROM);
    assert.equal(child.meta.parentCallSid, parent.providerMessageId);
    assert.equal(child.status, 'completed');
    assert.equal(parent.meta.dialAction.status, 200, 'the backend accepted the signed Dial action');

    const done = await s.api('POST', `/callbacks/${request.body.id}/complete`, { resolution: 'Talked, demo booked' });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.deepEqual(
      done.body.activities.map((a) => a.kind),
      ['created', 'assigned', 'status', 'call_started', 'attempt', 'completed'],
    );
  }, 240_000);

  it("an inbound call nobody answers becomes a missed-call request for a lead made from the caller's number", async () => {
    const caller = '+14155550142';
    await s.sandboxApi('POST', '/twilio/numbers', { number: FROM, voiceUrl, accountSid: SID });
    const call = await s.sandboxApi('POST', '/twilio/calls/inbound', { from: caller, to: FROM });
    assert.match(call.callSid, /^CA/);
    const request = await waitFor(
      async () => (await s.api('GET', '/callbacks?status=open')).body.items.find((c) => c.address === caller),
      'the missed-call request',
      30_000,
    );
    assert.equal(request.source, 'missed_call');
    assert.equal(request.category, 'normal');
    const lead = await s.api('GET', `/leads/${request.lead.id}`);
    assert.equal(lead.body.phone, caller);
    const recorded = (await s.sandboxApi('GET', `/messages?channel=voice&providerMessageId=${call.callSid}`)).items[0];
    assert.match(recorded.meta.twiml, /<Say>Thank you for calling\./, 'the caller heard the greeting the backend answered');
  }, 60_000);
});
