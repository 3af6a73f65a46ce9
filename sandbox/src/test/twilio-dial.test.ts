import { afterAll, beforeAll, beforeEach, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import twilio from 'twilio';
import type { RunningSandbox } from '../sandbox-server';
import { parseDial } from '../providers/twilio.dial';
import { api, sleep, startReceiver, testSandbox, type Receiver } from './helpers';

const SID = 'AC' + 'b'.repeat(32);
const TOKEN = 'test-auth-token';

class SandboxRequestClient extends twilio.RequestClient {
  constructor(private readonly base: string) {
    super();
  }
  override request<TData>(opts: Parameters<twilio.RequestClient['request']>[0] & { data?: TData }) {
    return super.request({ ...opts, uri: opts.uri.replace(/^https:\/\/[^/]+/, this.base) });
  }
}

const form = (body: string) => Object.fromEntries(new URLSearchParams(body));

describe('twilio <Dial> (a call-now bridge)', () => {
  let sb: RunningSandbox;
  let rx: Receiver;
  let client: twilio.Twilio;

  beforeAll(async () => {
    sb = await testSandbox();
    rx = await startReceiver();
    client = twilio(SID, TOKEN, { httpClient: new SandboxRequestClient(sb.url) });
  });
  afterAll(async () => {
    await sb.close();
    await rx.close();
  });
  beforeEach(async () => {
    await sb.webhooksIdle();
    sb.reset(true);
    rx.requests.length = 0;
  });

  const bridge = (agent: string, lead: string, tag: string) =>
    client.calls.create({
      to: agent,
      from: '+15551230000',
      twiml:
        `<?xml version="1.0" encoding="UTF-8"?><Response><Say>Connecting you</Say>` +
        `<Dial callerId="+15551230000" action="${rx.url}/dial?cadenceCallId=${tag}&amp;x=1" method="POST"><Number>${lead}</Number></Dial></Response>`,
      statusCallback: `${rx.url}/status/${tag}`,
      statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
    });

  it('parses the Dial verb, with entities in attributes', () => {
    assert.deepEqual(
      parseDial('<Response><Dial callerId="+1555" action="https://x.example/d?a=1&amp;b=2"><Number>+15550001</Number></Dial></Response>'),
      {
        number: '+15550001',
        callerId: '+1555',
        action: 'https://x.example/d?a=1&b=2',
        method: 'POST',
      },
    );
    assert.equal(parseDial('<Response><Say>Hi</Say></Response>'), undefined);
  });

  it('rings the agent, then dials the lead from the caller id, reports the lead leg to the action URL (signed) and completes the parent after it', async () => {
    const call = await bridge('+15557009990', '+15557009997', 'ok');
    const [action] = await rx.waitFor((r) => r.path === '/dial');
    const dial = form(action.body);
    assert.ok(twilio.validateRequest(TOKEN, String(action.headers['x-twilio-signature']), action.url, dial), 'signed like Twilio');
    assert.equal(dial.CallSid, call.sid);
    assert.equal(dial.DialCallStatus, 'completed');
    assert.equal(dial.DialCallDuration, '42', 'the …9997 lead talks 42 s');
    assert.equal(dial.DialBridged, 'true');
    const child = await client.calls(dial.DialCallSid).fetch();
    assert.equal(child.parentCallSid, call.sid);
    assert.equal(child.to, '+15557009997');
    assert.equal(child.from, '+15551230000');
    assert.equal(child.status, 'completed');

    const statuses = await rx.waitFor((r) => r.path === '/status/ok', 4);
    const completed = statuses.map((s) => form(s.body)).find((p) => p.CallStatus === 'completed');
    assert.equal(completed?.CallDuration, '45', 'the Say, then the bridge');
    assert.ok(
      rx.requests.indexOf(action) < rx.requests.findIndex((r) => r.path === '/status/ok' && form(r.body).CallStatus === 'completed'),
      'the action comes before the parent completes',
    );
    await sb.webhooksIdle();
    const legs = (
      await api<{ items: Array<{ to: string; meta: Record<string, unknown> }> }>(sb.url, 'GET', '/_sandbox/messages?channel=voice')
    ).body.items;
    assert.deepEqual(legs.map((l) => [l.to, l.meta.leg]).sort(), [
      ['+15557009990', 'parent'],
      ['+15557009997', 'dial'],
    ]);
  });

  it('reports the lead not answering (…9995) with DialCallStatus no-answer', async () => {
    await bridge('+15557009990', '+15557009995', 'na');
    const [action] = await rx.waitFor((r) => r.path === '/dial');
    assert.equal(form(action.body).DialCallStatus, 'no-answer');
    assert.equal(form(action.body).DialCallDuration, '0');
  });

  it('dials nobody when the agent does not answer (…9995): the parent ends no-answer, no action request', async () => {
    await bridge('+15557009995', '+15557009997', 'agent-na');
    const statuses = await rx.waitFor((r) => r.path === '/status/agent-na', 3);
    assert.ok(statuses.some((s) => form(s.body).CallStatus === 'no-answer'));
    await sleep(300);
    await sb.webhooksIdle();
    assert.equal(rx.requests.filter((r) => r.path === '/dial').length, 0);
    const legs = (await api<{ items: unknown[] }>(sb.url, 'GET', '/_sandbox/messages?channel=voice')).body.items;
    assert.equal(legs.length, 1);
  });

  it("simulates an inbound call: posts it signed to the number's VoiceUrl (set through IncomingPhoneNumbers) and plays the answered TwiML", async () => {
    rx.respond = (r) =>
      r.path === '/voice' ? { body: '<Response><Say>Sorry we missed you</Say><Hangup/></Response>', contentType: 'text/xml' } : undefined;
    const [number] = await client.incomingPhoneNumbers.list({ phoneNumber: '+15551230000' });
    await client.incomingPhoneNumbers(number.sid).update({ voiceUrl: `${rx.url}/voice` });
    const started = await api<{ callSid: string }>(sb.url, 'POST', '/_sandbox/twilio/calls/inbound', {
      from: '+15557000042',
      to: '+15551230000',
    });
    assert.equal(started.status, 200);
    const [hook] = await rx.waitFor((r) => r.path === '/voice');
    const params = form(hook.body);
    assert.ok(twilio.validateRequest(TOKEN, String(hook.headers['x-twilio-signature']), hook.url, params), 'signed like Twilio');
    assert.deepEqual(
      [params.CallSid, params.From, params.To, params.Direction, params.CallStatus],
      [started.body.callSid, '+15557000042', '+15551230000', 'inbound', 'ringing'],
    );
    await sb.webhooksIdle();
    const [call] = (
      await api<{ items: Array<{ status: string; meta: Record<string, unknown> }> }>(sb.url, 'GET', '/_sandbox/messages?channel=voice')
    ).body.items;
    assert.equal(call.meta.direction, 'inbound');
    assert.match(String(call.meta.twiml), /Sorry we missed you/);
    assert.equal(call.status, 'completed');
    rx.respond = undefined;
  });
});
