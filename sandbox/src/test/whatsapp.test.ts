import { afterAll, beforeAll, beforeEach, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { RunningSandbox } from '../sandbox-server';
import { api, startReceiver, testSandbox, type Receiver } from './helpers';

const PHONE_ID = '106540352242922';
const VERIFY = 'verify-me';

/** Meta's documented check, written independently of the sandbox's signer. */
function validMetaSignature(secret: string, raw: string, header: string | undefined): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(raw).digest('hex'));
  const got = Buffer.from(header.slice(7));
  return expected.length === got.length && timingSafeEqual(expected, got);
}

interface WaChange {
  entry: {
    id: string;
    changes: {
      field: string;
      value: {
        metadata: { phone_number_id: string };
        statuses?: { id: string; status: string; recipient_id: string; biz_opaque_callback_data?: string; errors?: { code: number }[] }[];
        messages?: { from: string; text: { body: string }; context?: { id: string } }[];
      };
    }[];
  }[];
}

/** An approved template of the sandbox's default catalog (a business-initiated message needs one). */
const SPRING = {
  name: 'spring_offer',
  language: { code: 'en_US' },
  components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ann' }] }],
};

describe('whatsapp cloud api', () => {
  let sb: RunningSandbox;
  let rx: Receiver;

  const send = (body: unknown, token = 'any-token', phoneId = PHONE_ID) =>
    fetch(`${sb.url}/v21.0/${phoneId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  const subscribe = async (appSecret?: string) => {
    const r = await api(sb.url, 'POST', '/_sandbox/whatsapp/webhook', {
      url: `${rx.url}/wa`,
      verifyToken: VERIFY,
      ...(appSecret ? { appSecret } : {}),
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  };

  beforeAll(async () => {
    sb = await testSandbox();
    rx = await startReceiver();
    // The receiver implements Meta's verification handshake like a real backend would.
    rx.respond = (r) => {
      if (r.method !== 'GET' || r.path !== '/wa') return undefined;
      const ok = r.query.get('hub.mode') === 'subscribe' && r.query.get('hub.verify_token') === VERIFY;
      return ok ? { status: 200, body: r.query.get('hub.challenge') ?? '' } : { status: 403, body: 'forbidden' };
    };
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

  it('sends text and template messages with Meta-shaped responses', async () => {
    const res = await send({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '+15557001234',
      type: 'text',
      text: { body: 'Hello' },
      biz_opaque_callback_data: 'cm-wa-1',
    });
    assert.equal(res.status, 200);
    const body = (await res.json()) as {
      messaging_product: string;
      contacts: { input: string; wa_id: string }[];
      messages: { id: string }[];
    };
    assert.equal(body.messaging_product, 'whatsapp');
    assert.deepEqual(body.contacts, [{ input: '+15557001234', wa_id: '15557001234' }]);
    assert.match(body.messages[0].id, /^wamid\./);

    const tpl = await send({
      messaging_product: 'whatsapp',
      to: '15557001235',
      type: 'template',
      template: {
        name: 'spring_offer',
        language: { code: 'en_US' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ann' }] }],
      },
    });
    const tplBody = (await tpl.json()) as { messages: { id: string; message_status: string }[] };
    assert.equal(tplBody.messages[0].message_status, 'accepted');

    const { body: stored } = await api<{ items: { to: string; body: string; campaignMessageId?: string; providerMessageId: string }[] }>(
      sb.url,
      'GET',
      '/_sandbox/messages?provider=whatsapp',
    );
    assert.equal(stored.items.length, 2);
    assert.equal(stored.items[0].campaignMessageId, 'cm-wa-1');
    assert.equal(stored.items[0].providerMessageId, body.messages[0].id);
    assert.match(stored.items[1].body, /spring_offer\(en_US\) Ann/);
  });

  it('validates like the Graph API (code 100) and answers 401 / 190 for a wrong registered token', async () => {
    const bad = await send({ to: '15557001234', type: 'text', text: { body: 'x' } });
    assert.equal(bad.status, 400);
    const err = (await bad.json()) as { error: { code: number; type: string; message: string; fbtrace_id: string } };
    assert.equal(err.error.code, 100);
    assert.equal(err.error.type, 'OAuthException');
    assert.ok(err.error.fbtrace_id);
    await api(sb.url, 'POST', '/_sandbox/credentials/whatsapp', { phoneNumberId: PHONE_ID, accessToken: 'EAAG-right' });
    const unauth = await send({ messaging_product: 'whatsapp', to: '15557001234', type: 'text', text: { body: 'x' } }, 'EAAG-wrong');
    assert.equal(unauth.status, 401);
    assert.equal(((await unauth.json()) as { error: { code: number } }).error.code, 190);
    assert.equal(
      (await send({ messaging_product: 'whatsapp', to: '15557001234', type: 'text', text: { body: 'x' } }, 'EAAG-right')).status,
      200,
    );
  });

  it('performs the verify handshake and refuses a wrong verify token', async () => {
    const wrong = await api<{ code: string }>(sb.url, 'POST', '/_sandbox/whatsapp/webhook', { url: `${rx.url}/wa`, verifyToken: 'nope' });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.code, 'WEBHOOK_VERIFICATION_FAILED');
    await subscribe();
    const [handshake] = await rx.waitFor((r) => r.method === 'GET');
    assert.equal(handshake.query.get('hub.mode'), 'subscribe');
  });

  it('posts signed status webhooks (sent, delivered, read) and an inbound reply', async () => {
    await subscribe('app-secret-1');
    const res = await send({
      messaging_product: 'whatsapp',
      to: '15557009993',
      type: 'template',
      template: SPRING,
      biz_opaque_callback_data: 'cm-wa-2',
    });
    const id = ((await res.json()) as { messages: { id: string }[] }).messages[0].id;
    const posts = await rx.waitFor((r) => r.method === 'POST' && r.path === '/wa', 4);
    const statuses: string[] = [];
    let inbound: NonNullable<WaChange['entry'][0]['changes'][0]['value']['messages']>[0] | undefined;
    for (const p of posts) {
      assert.ok(validMetaSignature('app-secret-1', p.body, p.headers['x-hub-signature-256'] as string), 'X-Hub-Signature-256 verifies');
      assert.equal(validMetaSignature('other-secret', p.body, p.headers['x-hub-signature-256'] as string), false);
      const change = JSON.parse(p.body) as WaChange;
      const value = change.entry[0].changes[0].value;
      assert.equal(value.metadata.phone_number_id, PHONE_ID);
      for (const s of value.statuses ?? []) {
        assert.equal(s.id, id);
        assert.equal(s.biz_opaque_callback_data, 'cm-wa-2');
        statuses.push(s.status);
      }
      if (value.messages) inbound = value.messages[0];
    }
    assert.deepEqual(statuses.sort(), ['delivered', 'read', 'sent']);
    assert.ok(inbound, 'inbound reply posted');
    assert.equal(inbound.from, '15557009993');
    assert.equal(inbound.context?.id, id);
  });

  it('reports failed with error 131026 for undeliverable recipients and relays control-API inbound messages', async () => {
    await subscribe();
    await send({ messaging_product: 'whatsapp', to: '15557009991', type: 'template', template: SPRING });
    const [failed] = await rx.waitFor((r) => r.method === 'POST' && r.body.includes('"failed"'));
    const change = JSON.parse(failed.body) as WaChange;
    assert.equal(change.entry[0].changes[0].value.statuses![0].errors![0].code, 131026);
    const r = await api<{ id: string }>(sb.url, 'POST', '/_sandbox/whatsapp/inbound', {
      phoneNumberId: PHONE_ID,
      from: '15557000042',
      text: 'Call me back',
    });
    assert.match(r.body.id, /^wamid\./);
    await rx.waitFor((x) => x.body.includes('Call me back'));
  });

  it("free-form text: accepted, then failed 131047 outside the 24-hour window; delivered within 24 hours of the user's message", async () => {
    await subscribe();
    const text = (to: string, body: string) => send({ messaging_product: 'whatsapp', to, type: 'text', text: { body } });
    // Meta answers 200 with a message id either way: the window is judged afterwards, in the status webhook.
    assert.equal((await text('15557000051', 'Out of the blue')).status, 200);
    const [failed] = await rx.waitFor((r) => r.method === 'POST' && r.body.includes('"failed"'));
    const error = (JSON.parse(failed.body) as WaChange).entry[0].changes[0].value.statuses![0].errors![0];
    assert.equal(error.code, 131047);
    rx.requests.length = 0;
    await api(sb.url, 'POST', '/_sandbox/whatsapp/inbound', { phoneNumberId: PHONE_ID, from: '15557000052', text: 'Hi, a question' });
    assert.equal((await text('+1 555 700 0052', 'Happy to help')).status, 200);
    await rx.waitFor((r) => r.method === 'POST' && r.body.includes('"delivered"'));
    assert.equal(rx.requests.filter((r) => r.body.includes('"failed"')).length, 0, 'inside the window nothing fails');
  });

  it('limits msg/s per number (default 80) with error 130429', async () => {
    const limits = await api<{ whatsapp: { mps: number } }>(sb.url, 'GET', '/_sandbox/rate-limits');
    assert.equal(limits.body.whatsapp.mps, 80);
    await api(sb.url, 'PUT', '/_sandbox/rate-limits', { whatsapp: { numbers: { [PHONE_ID]: 5 } } });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        send({ messaging_product: 'whatsapp', to: `1555700${String(i).padStart(4, '0')}`, type: 'text', text: { body: 'burst' } }),
      ),
    );
    const limited = results.filter((r) => r.status === 429);
    assert.ok(limited.length >= 10, `expected >= 10 rate-limited, got ${limited.length}`);
    const err = (await limited[0].json()) as { error: { code: number; message: string; error_data: { details: string } } };
    assert.equal(err.error.code, 130429);
    assert.equal(err.error.message, '(#130429) Rate limit hit');
    assert.ok(limited[0].headers.get('retry-after'));
  });
  it("reports the number's throughput level and messaging limit tier, and holds a HIGH number to 1,000/s", async () => {
    const node = async () =>
      (
        await fetch(`${sb.url}/v21.0/${PHONE_ID}?fields=throughput,messaging_limit_tier`, {
          headers: { authorization: 'Bearer any-token' },
        })
      ).json() as Promise<{ throughput: { level: string }; messaging_limit_tier: string }>;
    const fresh = await node();
    assert.deepEqual([fresh.throughput.level, fresh.messaging_limit_tier], ['STANDARD', 'TIER_1K']);
    const set = await api(sb.url, 'POST', '/_sandbox/credentials/whatsapp', {
      phoneNumberId: PHONE_ID,
      throughputLevel: 'HIGH',
      messagingLimitTier: 'TIER_10K',
    });
    assert.equal(set.status, 200);
    const high = await node();
    assert.deepEqual([high.throughput.level, high.messaging_limit_tier], ['HIGH', 'TIER_10K']);
    // 120 at once: above the default 80/s bucket, within the HIGH level's 1,000.
    const statuses = await Promise.all(
      Array.from({ length: 120 }, (_, i) =>
        send({ messaging_product: 'whatsapp', to: `1555200${String(i).padStart(4, '0')}`, type: 'text', text: { body: 'hi' } }).then(
          (r) => r.status,
        ),
      ),
    );
    assert.equal(statuses.filter((st) => st === 200).length, 120);
    const bad = await api<{ code: string }>(sb.url, 'POST', '/_sandbox/credentials/whatsapp', {
      phoneNumberId: PHONE_ID,
      messagingLimitTier: 'TIER_9',
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'VALIDATION_FAILED');
  });
});
