import { afterAll, beforeAll, beforeEach, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import twilio from 'twilio';
import type { RunningSandbox } from '../sandbox-server';
import { api, sleep, startReceiver, testSandbox, type Receiver } from './helpers';

const SID = 'AC' + 'a'.repeat(32);
const TOKEN = 'test-auth-token';

/** The only change the SDK needs: send api.twilio.com requests to the sandbox. */
class SandboxRequestClient extends twilio.RequestClient {
  constructor(private readonly base: string) {
    super();
  }
  override request<TData>(opts: Parameters<twilio.RequestClient['request']>[0] & { data?: TData }) {
    return super.request({ ...opts, uri: opts.uri.replace(/^https:\/\/[^/]+/, this.base) });
  }
}

describe('twilio', () => {
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
    // Callbacks of the previous test may still be in flight; let them land before clearing.
    await sb.webhooksIdle();
    sb.reset(true);
    rx.requests.length = 0;
  });

  it('creates a message through the official SDK and records it', async () => {
    const msg = await client.messages.create({
      to: '+15557000001',
      from: '+15551230000',
      body: 'Hello from Cadence',
      statusCallback: `${rx.url}/twilio/status?cadenceMessageId=cm-1`,
    });
    assert.match(msg.sid, /^SM[0-9a-f]{32}$/);
    assert.equal(msg.status, 'queued');
    assert.equal(msg.to, '+15557000001');
    assert.equal(msg.accountSid, SID);
    const { body } = await api<{
      items: { provider: string; to: string; body: string; campaignMessageId: string; providerMessageId: string; acceptedAt: string }[];
    }>(sb.url, 'GET', '/_sandbox/messages?provider=twilio');
    assert.equal(body.items.length, 1);
    assert.equal(body.items[0].body, 'Hello from Cadence');
    assert.equal(body.items[0].campaignMessageId, 'cm-1');
    assert.equal(body.items[0].providerMessageId, msg.sid);
    const fetched = await client.messages(msg.sid).fetch();
    assert.equal(fetched.sid, msg.sid);
  });

  it('with status callbacks off, calls back nobody, and the message still reaches its final state when fetched', async () => {
    const quiet = await testSandbox({ twilioStatusCallbacks: false, rateLimits: false });
    try {
      const quietClient = twilio(SID, TOKEN, { httpClient: new SandboxRequestClient(quiet.url) });
      await api(quiet.url, 'POST', '/_sandbox/behaviour/overrides', { match: '+15557009991', behaviour: { delivery: 'delivered' } });
      const msg = await quietClient.messages.create({
        to: '+15557009991',
        from: '+15551230000',
        body: 'No status please',
        statusCallback: `${rx.url}/twilio/status?cadenceMessageId=cm-quiet`,
      });
      await new Promise((r) => setTimeout(r, 200)); // ten times the event delays of testSandbox
      await quiet.webhooksIdle();
      assert.equal(rx.requests.length, 0);
      assert.equal((await quietClient.messages(msg.sid).fetch()).status, 'delivered');
      const { body } = await api<{ items: { campaignMessageId: string }[] }>(quiet.url, 'GET', '/_sandbox/messages?provider=twilio');
      assert.equal(body.items[0].campaignMessageId, 'cm-quiet');
      // Switched back on at run time, the next message calls back again.
      await api(quiet.url, 'PUT', '/_sandbox/twilio/status-callbacks', { enabled: true });
      await quietClient.messages.create({
        to: '+15557009991',
        from: '+15551230000',
        body: 'Status again',
        statusCallback: `${rx.url}/twilio/status`,
      });
      await rx.waitFor((r) => r.path === '/twilio/status', 2);
    } finally {
      await quiet.close();
    }
  });

  it('posts status callbacks that twilio.validateRequest accepts', async () => {
    const msg = await client.messages.create({
      to: '+15557009990',
      from: '+15551230000',
      body: 'Status please',
      statusCallback: `${rx.url}/twilio/status?cadenceMessageId=cm-2`,
    });
    const callbacks = await rx.waitFor((r) => r.path === '/twilio/status', 2);
    // Like Twilio's, callbacks are independent requests and may arrive out of order.
    const statuses = callbacks.map((r) => new URLSearchParams(r.body).get('MessageStatus')).sort();
    assert.deepEqual(statuses, ['delivered', 'sent']);
    for (const cb of callbacks) {
      const params = Object.fromEntries(new URLSearchParams(cb.body));
      assert.equal(params.MessageSid, msg.sid);
      assert.ok(twilio.validateRequest(TOKEN, String(cb.headers['x-twilio-signature']), cb.url, params), 'signature must validate');
      assert.equal(twilio.validateRequest('wrong-token', String(cb.headers['x-twilio-signature']), cb.url, params), false);
    }
  });

  it('reports failed with ErrorCode 30008 for failing recipients (number convention ...9991)', async () => {
    await client.messages.create({ to: '+15557009991', from: '+15551230000', body: 'x', statusCallback: `${rx.url}/s` });
    const [, final] = await rx.waitFor((r) => r.path === '/s', 2);
    const p = new URLSearchParams(final.body);
    assert.equal(p.get('MessageStatus'), 'failed');
    assert.equal(p.get('ErrorCode'), '30008');
  });

  it('answers 401 code 20003 for wrong credentials once the account is registered', async () => {
    await api(sb.url, 'POST', '/_sandbox/credentials/twilio', { accountSid: SID, authToken: 'the-real-token' });
    await assert.rejects(
      client.messages.create({ to: '+15557000001', from: '+15551230000', body: 'x' }),
      (err: { status: number; code: number }) => {
        assert.equal(err.status, 401);
        assert.equal(err.code, 20003);
        return true;
      },
    );
    const good = twilio(SID, 'the-real-token', { httpClient: new SandboxRequestClient(sb.url) });
    const ok = await good.messages.create({ to: '+15557000001', from: '+15551230000', body: 'x' });
    assert.ok(ok.sid);
  });

  it('enforces 1 MPS per long code with 429 / 20429 and Retry-After', async () => {
    await client.messages.create({ to: '+15557000001', from: '+15551239999', body: 'one' });
    await assert.rejects(
      client.messages.create({ to: '+15557000002', from: '+15551239999', body: 'two' }),
      (err: { status: number; code: number }) => {
        assert.equal(err.status, 429);
        assert.equal(err.code, 20429);
        return true;
      },
    );
    const res = await fetch(`${sb.url}/2010-04-01/Accounts/${SID}/Messages.json`, {
      method: 'POST',
      headers: {
        authorization: 'Basic ' + Buffer.from(`${SID}:${TOKEN}`).toString('base64'),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ To: '+15557000003', From: '+15551239999', Body: 'three' }),
    });
    assert.equal(res.status, 429);
    assert.ok(Number(res.headers.get('retry-after')) >= 1);
    assert.deepEqual(await res.json(), {
      code: 20429,
      message: 'Too Many Requests',
      more_info: 'https://www.twilio.com/docs/errors/20429',
      status: 429,
    });
    // A different number has its own bucket; a per-number override raises the limit.
    await client.messages.create({ to: '+15557000001', from: '+15551238888', body: 'other number' });
    await api(sb.url, 'PUT', '/_sandbox/rate-limits', { twilio: { numbers: { '+15551237777': 50 } } });
    for (let i = 0; i < 10; i++) await client.messages.create({ to: '+15557000001', from: '+15551237777', body: `fast ${i}` });
  });

  it('validates like Twilio (21211 invalid To, 21602 missing body)', async () => {
    await assert.rejects(
      client.messages.create({ to: 'not-a-number', from: '+15551230000', body: 'x' }),
      (e: { code: number; status: number }) => e.code === 21211 && e.status === 400,
    );
    await assert.rejects(client.messages.create({ to: '+15557000001', from: '+15551230000' }), (e: { code: number }) => e.code === 21602);
  });

  it('posts inbound STOP / START signed, and blocks sends to opted-out recipients with 21610', async () => {
    await api(sb.url, 'POST', '/_sandbox/twilio/numbers', { number: '+15551230000', smsUrl: `${rx.url}/twilio/inbound`, accountSid: SID });
    await client.messages.create({ to: '+15557000001', from: '+15551230000', body: 'first' });
    const stop = await api<{ optOut: string }>(sb.url, 'POST', '/_sandbox/twilio/inbound', {
      from: '+15557000001',
      to: '+15551230000',
      body: 'STOP',
    });
    assert.equal(stop.body.optOut, 'STOP');
    const [inbound] = await rx.waitFor((r) => r.path === '/twilio/inbound');
    const params = Object.fromEntries(new URLSearchParams(inbound.body));
    assert.equal(params.Body, 'STOP');
    assert.equal(params.OptOutType, 'STOP');
    assert.equal(params.From, '+15557000001');
    assert.ok(twilio.validateRequest(TOKEN, String(inbound.headers['x-twilio-signature']), inbound.url, params));
    await new Promise((r) => setTimeout(r, 1100));
    await assert.rejects(
      client.messages.create({ to: '+15557000001', from: '+15551230000', body: 'after stop' }),
      (e: { code: number }) => e.code === 21610,
    );
    await api(sb.url, 'POST', '/_sandbox/twilio/inbound', { from: '+15557000001', to: '+15551230000', body: 'START' });
    const again = await client.messages.create({ to: '+15557000001', from: '+15551230000', body: 'after start' });
    assert.ok(again.sid);
  });

  it('simulates a recipient replying STOP (number convention ...9992); SmsUrl set through IncomingPhoneNumbers', async () => {
    const [number] = await client.incomingPhoneNumbers.list({ phoneNumber: '+15551230000' });
    assert.match(number.sid, /^PN/);
    const updated = await client.incomingPhoneNumbers(number.sid).update({ smsUrl: `${rx.url}/in` });
    assert.equal(updated.smsUrl, `${rx.url}/in`);
    await client.messages.create({ to: '+15557009992', from: '+15551230000', body: 'offer' });
    const [inbound] = await rx.waitFor((r) => r.path === '/in');
    const params = Object.fromEntries(new URLSearchParams(inbound.body));
    assert.equal(params.Body, 'STOP');
    assert.ok(twilio.validateRequest(TOKEN, String(inbound.headers['x-twilio-signature']), inbound.url, params));
  });

  it('places calls: fetches TwiML from Url and reports outcomes with duration', async () => {
    rx.respond = (r) => (r.path === '/voice' ? { body: '<Response><Say>Hi</Say></Response>', contentType: 'text/xml' } : undefined);
    const call = await client.calls.create({
      to: '+15557009997',
      from: '+15551230000',
      url: `${rx.url}/voice`,
      statusCallback: `${rx.url}/call-status`,
      statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
    });
    assert.match(call.sid, /^CA/);
    const events = await rx.waitFor((r) => r.path === '/call-status', 4);
    events.sort(
      (a, b) => Number(new URLSearchParams(a.body).get('SequenceNumber')) - Number(new URLSearchParams(b.body).get('SequenceNumber')),
    );
    assert.deepEqual(
      events.map((e) => new URLSearchParams(e.body).get('CallStatus')),
      ['initiated', 'ringing', 'in-progress', 'completed'],
    );
    const done = Object.fromEntries(new URLSearchParams(events[3].body));
    assert.equal(done.CallDuration, '42');
    for (const e of events)
      assert.ok(
        twilio.validateRequest(TOKEN, String(e.headers['x-twilio-signature']), e.url, Object.fromEntries(new URLSearchParams(e.body))),
      );
    const [voice] = await rx.waitFor((r) => r.path === '/voice');
    assert.equal(new URLSearchParams(voice.body).get('CallSid'), call.sid);
    await sb.webhooksIdle();
    const stored = (await api<{ items: { meta: { twimlFetched: string } }[] }>(sb.url, 'GET', '/_sandbox/messages?channel=voice')).body
      .items[0];
    assert.match(stored.meta.twimlFetched, /<Say>Hi<\/Say>/);
    rx.respond = undefined;

    await new Promise((r) => setTimeout(r, 1050));
    const busy = await client.calls.create({
      to: '+15557009994',
      from: '+15551230000',
      twiml: '<Response><Say>Hello</Say></Response>',
      statusCallback: `${rx.url}/busy`,
    });
    const [final] = await rx.waitFor((r) => r.path === '/busy');
    assert.equal(new URLSearchParams(final.body).get('CallStatus'), 'busy');
    assert.equal((await client.calls(busy.sid).fetch()).status, 'busy');
  });
  it('counts live calls and the most at once; answering-machine detection reports AnsweredBy (…9998 is a machine)', async () => {
    const calls = () =>
      api<{
        live: number;
        maxLive: number;
        ended: number;
        byStatus: Record<string, number>;
        calls: Array<{ to: string; answeredBy: string | null }>;
      }>(sb.url, 'GET', `/_sandbox/twilio/calls?accountSid=${SID}`);
    await api(sb.url, 'PUT', '/_sandbox/rate-limits', { twilio: { callsPerSecond: 100 } });
    const create = (to: string) =>
      client.calls.create({
        to,
        from: '+15551230000',
        twiml: '<Response><Say>Hello</Say></Response>',
        machineDetection: 'DetectMessageEnd',
        statusCallback: `${rx.url}/amd`,
        statusCallbackEvent: ['answered', 'completed'],
      });
    await Promise.all([create('+15557009998'), create('+15557019997'), create('+15557029995')]);
    const during = (await calls()).body;
    assert.equal(during.live, 3);
    assert.equal(during.maxLive, 3);
    const finals = await rx.waitFor((r) => r.path === '/amd' && new URLSearchParams(r.body).get('CallStatus') !== 'in-progress', 3);
    const by = Object.fromEntries(
      finals.map((f) => [new URLSearchParams(f.body).get('To'), Object.fromEntries(new URLSearchParams(f.body))]),
    );
    assert.equal(by['+15557009998'].AnsweredBy, 'machine_end_beep');
    assert.equal(by['+15557019997'].AnsweredBy, 'human');
    assert.equal(by['+15557029995'].CallStatus, 'no-answer');
    assert.equal(by['+15557029995'].AnsweredBy, undefined);
    const after = (await calls()).body;
    assert.equal(after.live, 0);
    assert.equal(after.maxLive, 3);
    assert.deepEqual(after.byStatus, { voicemail: 1, completed: 1, 'no-answer': 1 });
  });

  it('answering-machine detection with a Url: the TwiML request carries AnsweredBy, and a stream in the fetched TwiML is played', async () => {
    rx.respond = (r) => {
      if (!r.path.startsWith('/amd-url')) return undefined;
      const human = new URLSearchParams(r.body).get('AnsweredBy') === 'human';
      return {
        contentType: 'text/xml',
        // Slower than the sandbox's event spacing: the call must still wait for its TwiML to play it.
        delayMs: 150,
        body: human
          ? `<Response><Connect><Stream url="wss://agent.example/s"><Parameter name="outcomeUrl" value="${rx.url}/amd-outcome"/></Stream></Connect></Response>`
          : '<Response><Say>Sorry we missed you</Say><Hangup/></Response>',
      };
    };
    await api(sb.url, 'PUT', '/_sandbox/rate-limits', { twilio: { callsPerSecond: 100 } });
    const create = (to: string) =>
      client.calls.create({ to, from: '+15551230000', url: `${rx.url}/amd-url?m=${to.slice(-4)}`, machineDetection: 'DetectMessageEnd' });
    await Promise.all([create('+15557039998'), create('+15557049997')]);
    const fetches = await rx.waitFor((r) => r.path.startsWith('/amd-url'), 2);
    const answered = Object.fromEntries(
      fetches.map((f) => [new URLSearchParams(f.body).get('To'), new URLSearchParams(f.body).get('AnsweredBy')]),
    );
    assert.deepEqual(answered, { '+15557039998': 'machine_end_beep', '+15557049997': 'human' });
    for (const f of fetches)
      assert.ok(
        twilio.validateRequest(TOKEN, String(f.headers['x-twilio-signature']), f.url, Object.fromEntries(new URLSearchParams(f.body))),
      );
    // Only the person reaches the agent: one conversation outcome.
    await rx.waitFor((r) => r.path === '/amd-outcome');
    await sb.webhooksIdle();
    const stored = (
      await api<{ items: { to: string; meta: { twimlFetched?: string; machineDetection?: string } }[] }>(
        sb.url,
        'GET',
        '/_sandbox/messages?channel=voice',
      )
    ).body.items;
    const machine = stored.find((m) => m.to === '+15557039998')!;
    assert.match(machine.meta.twimlFetched!, /Sorry we missed you/);
    assert.equal(machine.meta.machineDetection, 'DetectMessageEnd');
    assert.equal(rx.requests.filter((r) => r.path === '/amd-outcome').length, 1);
    rx.respond = undefined;
  });

  it('a reset while a call fetches its TwiML ends that call there: nothing of it reaches the fresh sandbox', async () => {
    rx.respond = (r) =>
      r.path === '/slow-twiml' ? { contentType: 'text/xml', delayMs: 300, body: '<Response><Say>Hi</Say></Response>' } : undefined;
    await client.calls.create({
      to: '+15557059997',
      from: '+15551230000',
      url: `${rx.url}/slow-twiml`,
      statusCallback: `${rx.url}/after-reset`,
      statusCallbackEvent: ['completed'],
    });
    await rx.waitFor((r) => r.path === '/slow-twiml');
    sb.reset(true);
    await sleep(600);
    await sb.webhooksIdle();
    assert.deepEqual(
      rx.requests.filter((r) => r.path === '/after-reset'),
      [],
    );
    const calls = (await api<{ live: number; ended: number }>(sb.url, 'GET', `/_sandbox/twilio/calls?accountSid=${SID}`)).body;
    assert.equal(calls.live, 0);
    assert.equal(calls.ended, 0);
    rx.respond = undefined;
  });

  it('a call streaming to an agent reports the conversation outcome to the stream parameter outcomeUrl, echoing the parameters', async () => {
    await client.calls.create({
      to: '+15557009989',
      from: '+15551230000',
      twiml:
        '<Response><Connect><Stream url="wss://agent.example/s"><Parameter name="messageId" value="m-1"/>' +
        `<Parameter name="outcomeUrl" value="${rx.url}/outcome?x=1&amp;y=2"/></Stream></Connect></Response>`,
    });
    const [report] = await rx.waitFor((r) => r.path.startsWith('/outcome'));
    const body = JSON.parse(report.body) as { outcome: string; callSid: string; parameters: Record<string, string> };
    assert.equal(body.outcome, 'call_back');
    assert.match(body.callSid, /^CA/);
    assert.equal(body.parameters.messageId, 'm-1');
    assert.equal(report.url, `${rx.url}/outcome?x=1&y=2`);
  });
});
