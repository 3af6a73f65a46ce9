import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { buildRenderContext, renderTemplate } from '@cadence/render';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { RuntimeSecrets } from '../../config/runtime-secrets';
import { FakeSender, TriggerReceiver } from '../../test/engine-harness';
import { startTestApp, TestApp } from '../../test/test-app';
import { MessageEventRecorder } from '../webhooks/message-event.recorder';

const TOKEN = 'callnow-twilio-token';
const OUR_NUMBER = '+14155550100';
const ALICE_PHONE = '+14155550177';
const PUBLIC_URL = 'https://cadence.example.com';

describe('call now: ring the agent, bridge the lead, log the attempt', () => {
  let t: TestApp;
  let key: string;
  let orgId: string;
  let other: { apiKey: string; organizationId: string };
  let twilio: string;
  let alice: string;
  let bob: string;
  let callSid = 0;
  let receiver: TriggerReceiver;

  const api = (method: string, path: string, body?: unknown, headers?: Record<string, string>, as = key) =>
    t.request(method, `/api/v1${path}`, { key: as, body, ...(headers && { headers }) });

  /** Posts a form to a Twilio webhook, signed as Twilio signs it (the public URL it called, with its query). */
  async function twilioPost(path: string, params: Record<string, string>, token = TOKEN) {
    let data = `${PUBLIC_URL}${path}`;
    for (const k of Object.keys(params).sort()) data += k + params[k];
    const res = await fetch(`${t.baseUrl}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': createHmac('sha1', token).update(data).digest('base64'),
      },
      body: new URLSearchParams(params),
    });
    await t.app.get(MessageEventRecorder).drain();
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  }

  async function request(phone: string, consent: Record<string, boolean> = { voice: true }, as = key): Promise<string> {
    const lead = await api('POST', '/leads', { phone, firstName: 'Dana', consent }, undefined, as);
    assert.equal(lead.status, 201, JSON.stringify(lead.body));
    const created = await api('POST', '/callbacks', { leadId: lead.body.id, reason: 'Asked for a call' }, undefined, as);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body.id;
  }

  /** What n8n would do: lease the call's message, "send" it (Twilio answers a CallSid), and answer the item. */
  async function place(campaignRun: () => Promise<string>) {
    const leased: Array<Record<string, any>> = [];
    const sid = `CA${String(++callSid).padStart(32, '0')}`;
    await new FakeSender(t, (item) => {
      leased.push(item);
      return { outcome: 'sent', providerMessageId: sid };
    }).drain(await campaignRun());
    assert.equal(leased.length, 1);
    return { item: leased[0], sid };
  }
  const runOf = (messageId: string) => async () =>
    (
      await t.dataSource.query(
        'SELECT r.id FROM campaign_runs r JOIN messages m ON m.campaign_id = r.campaign_id WHERE m.id = $1 ORDER BY r.created_at DESC LIMIT 1',
        [messageId],
      )
    )[0].id as string;

  beforeAll(async () => {
    receiver = new TriggerReceiver(() => t.app.get(RuntimeSecrets).triggerSigningSecret);
    await receiver.start();
    t = await startTestApp({ env: { SCHEDULER_INTERVAL_MS: '0', N8N_URL: receiver.url, PUBLIC_URL } });
    ({ apiKey: key, organizationId: orgId } = await t.createOrg());
    other = await t.createOrg('Other');
    twilio = (
      await api('POST', '/channels', {
        type: 'twilio',
        name: 'Line',
        config: { accountSid: `AC${'1'.repeat(32)}`, from: OUR_NUMBER },
        secrets: { authToken: TOKEN },
      })
    ).body.id;
    [{ id: alice }] = await t.dataSource.query(
      `INSERT INTO users (organization_id, email, name, phone) VALUES ($1, 'alice@acme.example', 'Alice', $2) RETURNING id`,
      [orgId, ALICE_PHONE],
    );
    [{ id: bob }] = await t.dataSource.query(
      `INSERT INTO users (organization_id, email, name) VALUES ($1, 'bob@acme.example', 'Bob') RETURNING id`,
      [orgId],
    );
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  it('refuses with a code: no agent, an agent without a phone, no voice channel, another organization, an ended request, a lead that cannot be called', async () => {
    const id = await request('+14155553001');
    const nobody = await api('POST', `/callbacks/${id}/call`);
    assert.equal(nobody.status, 409);
    assert.equal(nobody.body.code, 'agent_phone_missing', 'an API key calls for the assignee, and there is none');
    await api('POST', `/callbacks/${id}/assign`, { assigneeId: bob });
    const noPhone = await api('POST', `/callbacks/${id}/call`);
    assert.equal(noPhone.status, 409);
    assert.equal(noPhone.body.code, 'agent_phone_missing');
    assert.match(noPhone.body.message, /bob@acme\.example has no phone/);

    const foreign = await api('POST', `/callbacks/${id}/call`, undefined, undefined, other.apiKey);
    assert.equal(foreign.status, 404);
    assert.equal(foreign.body.code, 'callback_not_found');

    // The other organization has an agent with a phone but no Twilio channel.
    const theirs = await request('+14155553002', { voice: true }, other.apiKey);
    const [{ id: carol }] = await t.dataSource.query(
      `INSERT INTO users (organization_id, email, phone) VALUES ($1, 'carol@other.example', '+14155550188') RETURNING id`,
      [other.organizationId],
    );
    await api('POST', `/callbacks/${theirs}/assign`, { assigneeId: carol }, undefined, other.apiKey);
    const noChannel = await api('POST', `/callbacks/${theirs}/call`, undefined, undefined, other.apiKey);
    assert.equal(noChannel.status, 409);
    assert.equal(noChannel.body.code, 'voice_channel_missing');

    const noConsent = await request('+14155553003', { sms: true });
    await api('POST', `/callbacks/${noConsent}/assign`, { assigneeId: alice });
    const refused = await api('POST', `/callbacks/${noConsent}/call`);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.code, 'callback_not_callable');
    assert.match(refused.body.message, /no_consent/);

    await api('POST', `/callbacks/${noConsent}/complete`, { resolution: 'Wrote instead' });
    const ended = await api('POST', `/callbacks/${noConsent}/call`);
    assert.equal(ended.status, 409);
    assert.equal(ended.body.code, 'callback_invalid_transition');
    assert.equal((await t.dataSource.query('SELECT count(*)::int AS n FROM callback_calls'))[0].n, 0, 'no refused call left a row');
    assert.equal((await api('POST', `/callbacks/not-a-uuid/call`)).status, 400);
  });

  it('rings the assignee then bridges the lead (once per Idempotency-Key), and logs the attempt from the Dial action and the parent status', async () => {
    const id = await request('+14155553010');
    await api('POST', `/callbacks/${id}/assign`, { assigneeId: alice });
    const first = await api('POST', `/callbacks/${id}/call`, undefined, { 'Idempotency-Key': 'call-1' });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.body.status, 'in_progress');
    assert.equal(first.body.calls.length, 1);
    const call = first.body.calls[0];
    assert.deepEqual(
      [call.status, call.agentPhone, call.leadPhone, call.outcome, call.agentUserId],
      ['calling', ALICE_PHONE, '+14155553010', null, alice],
    );
    assert.deepEqual(
      first.body.activities.map((a: { kind: string }) => a.kind),
      ['created', 'assigned', 'status', 'call_started'],
    );
    const retry = await api('POST', `/callbacks/${id}/call`, undefined, { 'Idempotency-Key': 'call-1' });
    assert.equal(retry.status, 201);
    assert.equal(retry.body.calls.length, 1, 'a retried key places no second call');
    const again = await api('POST', `/callbacks/${id}/call`);
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'callback_call_in_progress');

    // n8n's side: the lease hands the agent's number as the call's recipient; the lead stays the message's lead.
    const { item, sid } = await place(runOf(call.messageId));
    assert.equal(item.messageId, call.messageId);
    assert.equal(item.to, ALICE_PHONE);
    assert.equal(item.lead.phone, '+14155553010');
    assert.equal(item.campaign.type, 'reply');
    const rendered = renderTemplate(item.template, buildRenderContext({ lead: item.lead, message: { id: item.messageId } }));
    assert.ok(rendered.status === 'rendered' && rendered.channel === 'voice');
    const action = `/webhooks/twilio/${twilio}/dial?cadenceCallId=${call.id}`;
    assert.equal(
      rendered.twiml,
      `<?xml version="1.0" encoding="UTF-8"?><Response><Say>Connecting you to Dana.</Say>` +
        `<Dial callerId="${OUR_NUMBER}" action="${PUBLIC_URL}${action}" method="POST"><Number>+14155553010</Number></Dial></Response>`,
    );
    assert.equal(
      (await api('GET', '/campaigns?limit=500')).body.items.filter((c: { id: string }) => c.id === item.campaign.id).length,
      0,
      'the call campaign is hidden',
    );

    // Twilio's reports: a wrong signature is refused; the Dial action (the lead leg), then the parent call.
    const forged = await twilioPost(action, { CallSid: sid, DialCallStatus: 'completed' }, 'not-the-token');
    assert.ok(forged.status >= 400 && forged.status < 500, String(forged.status));
    const dial = await twilioPost(action, {
      CallSid: sid,
      DialCallStatus: 'completed',
      DialCallDuration: '42',
      DialCallSid: `CA${'9'.repeat(32)}`,
    });
    assert.equal(dial.status, 200);
    assert.match(dial.type ?? '', /xml/);
    assert.match(dial.text, /<Response><Hangup\/><\/Response>/);
    const status = `/webhooks/twilio/${twilio}/status?cadenceMessageId=${call.messageId}`;
    await twilioPost(status, { CallSid: sid, CallStatus: 'completed', CallDuration: '47' });
    await twilioPost(status, { CallSid: sid, CallStatus: 'completed', CallDuration: '47' });

    const after = (await api('GET', `/callbacks/${id}`)).body;
    assert.deepEqual(after.calls[0], {
      ...after.calls[0],
      status: 'ended',
      outcome: 'completed',
      agentAnswered: true,
      leadAnswered: true,
      leadDurationSeconds: 42,
      durationSeconds: 47,
    });
    const attempts = after.activities.filter((a: { kind: string }) => a.kind === 'attempt');
    assert.equal(attempts.length, 1, 'a replayed report logs nothing more');
    assert.equal(attempts[0].summary, 'Call now: connected with the lead +14155553010 for 42 s');
    assert.equal(attempts[0].details.leadAnswered, true);
    assert.equal(attempts[0].details.durationSeconds, 47);
    assert.equal(after.status, 'in_progress', 'the agent completes the request with a resolution');
  });

  it('logs an agent who did not answer, and a lead who did not, even when the Dial action comes after the parent status', async () => {
    const id = await request('+14155553020');
    await api('POST', `/callbacks/${id}/assign`, { assigneeId: alice });
    const first = (await api('POST', `/callbacks/${id}/call`)).body.calls[0];
    const one = await place(runOf(first.messageId));
    await twilioPost(`/webhooks/twilio/${twilio}/status?cadenceMessageId=${first.messageId}`, {
      CallSid: one.sid,
      CallStatus: 'no-answer',
      CallDuration: '0',
    });
    let detail = (await api('GET', `/callbacks/${id}`)).body;
    assert.deepEqual([detail.calls[0].outcome, detail.calls[0].agentAnswered, detail.calls[0].leadAnswered], ['no-answer', false, null]);
    assert.match(detail.activities.at(-1).summary, /agent's phone \+14155550177 did not answer \(no-answer\)/);

    // A new try once the first ended: the lead is busy; Twilio's parent report overtakes the Dial action.
    const second = await api('POST', `/callbacks/${id}/call`);
    assert.equal(second.status, 201, JSON.stringify(second.body));
    const two = await place(runOf(second.body.calls[0].messageId));
    await twilioPost(`/webhooks/twilio/${twilio}/status?cadenceMessageId=${second.body.calls[0].messageId}`, {
      CallSid: two.sid,
      CallStatus: 'completed',
      CallDuration: '4',
    });
    await twilioPost(`/webhooks/twilio/${twilio}/dial?cadenceCallId=${second.body.calls[0].id}`, {
      CallSid: two.sid,
      DialCallStatus: 'busy',
      DialCallDuration: '0',
    });
    detail = (await api('GET', `/callbacks/${id}`)).body;
    assert.equal(detail.calls.length, 2);
    assert.deepEqual([detail.calls[0].outcome, detail.calls[0].agentAnswered, detail.calls[0].leadAnswered], ['busy', true, false]);
    const attempts = detail.activities.filter((a: { kind: string }) => a.kind === 'attempt');
    assert.equal(attempts.length, 2);
    assert.equal(attempts[1].summary, 'Call now: the agent answered; the lead +14155553020 did not (busy)');
    assert.equal(attempts[1].details.dialStatus, 'busy');
  });

  it('a member sets their own phone; malformed numbers are refused with a code, and an API key has no phone', async () => {
    const bad = await api('PUT', '/users/me/phone', { phone: '0170 1234' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'validation_failed');
    const nobody = await api('PUT', '/users/me/phone', { phone: '+14155550199' });
    assert.equal(nobody.status, 400);
    assert.match(nobody.body.message, /signed-in member/);
    const members = (await api('GET', '/users')).body.items;
    assert.equal(members.find((u: { id: string }) => u.id === alice).phone, ALICE_PHONE);
    assert.equal(members.find((u: { id: string }) => u.id === bob).phone, null);
  });

  it('an inbound call to the number is a missed call: the caller hears the greeting and gets a callback request, once per call', async () => {
    const voice = `/webhooks/twilio/${twilio}/voice`;
    const caller = '+14155554001';
    const ring = (callSid: string) =>
      twilioPost(voice, { CallSid: callSid, From: caller, To: OUR_NUMBER, CallStatus: 'ringing', Direction: 'inbound' });
    const forged = await twilioPost(voice, { CallSid: `CA${'a'.repeat(32)}`, From: caller, To: OUR_NUMBER }, 'not-the-token');
    assert.ok(forged.status >= 400 && forged.status < 500, String(forged.status));
    assert.equal((await t.dataSource.query('SELECT count(*)::int AS n FROM leads WHERE phone = $1', [caller]))[0].n, 0);

    const first = await ring(`CA${'a'.repeat(32)}`);
    assert.equal(first.status, 200);
    assert.match(first.type ?? '', /xml/);
    assert.match(first.text, /^<\?xml[^>]*\?><Response><Say>Thank you for calling\.[^<]*<\/Say><Hangup\/><\/Response>$/);
    const open = (await api('GET', '/callbacks?status=open')).body.items.filter((c: { address: string }) => c.address === caller);
    assert.equal(open.length, 1);
    assert.equal(open[0].source, 'missed_call');
    assert.equal(open[0].score, 30, 'missed_call: +30 by the default rule');
    assert.ok(open[0].lead?.id, 'a lead made from the number');
    assert.match(open[0].reason, /Called \+14155550100 and nobody answered/);

    await ring(`CA${'a'.repeat(32)}`); // Twilio retried the same call's webhook
    await ring(`CA${'b'.repeat(32)}`); // the caller tried again
    const detail = (await api('GET', `/callbacks/${open[0].id}`)).body;
    assert.deepEqual(
      detail.activities.map((a: { kind: string }) => a.kind),
      ['created', 'duplicate'],
      'the replay changes nothing; the second call is logged on the open request',
    );
    assert.equal(
      (await api('GET', '/callbacks?status=open')).body.items.filter((c: { address: string }) => c.address === caller).length,
      1,
    );
    assert.equal(
      (await api('GET', '/callbacks', undefined, undefined, other.apiKey)).body.items.length,
      1,
      'the other organization sees only its own',
    );

    // The channel's setting: its own greeting, and a voicemail recording before hanging up.
    const patched = await api('PATCH', `/channels/${twilio}`, {
      config: { missedCallGreeting: 'Hi, <Acme> here', missedCallVoicemail: true },
    });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.equal(patched.body.webhookUrls.voice, `${PUBLIC_URL}${voice}`);
    const third = await ring(`CA${'c'.repeat(32)}`);
    assert.match(
      third.text,
      /<Response><Say>Hi, &lt;Acme&gt; here<\/Say><Record maxLength="120" playBeep="true"\/><Hangup\/><\/Response>$/,
    );
  });
});
