import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { AiTemplateDraftSchema } from '@cadence/contracts';
import type { RunningSandbox } from '../sandbox-server';
import { OPENAI_INVALID_KEY } from '../providers/openai.routes';
import { testSandbox } from './helpers';

const system = (channel: string, fields = 'first_name, company') =>
  `You write ${channel} message templates for outbound campaigns.\nUse only these lead fields: ${fields}. Use no other Liquid tags or variables.`;

describe('OpenAI-compatible chat completions stand-in', () => {
  let sb: RunningSandbox;
  const complete = (messages: Array<{ role: string; content: string }>, key: string | null = 'sk-test', model = 'sandbox-model') =>
    fetch(`${sb.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key !== null && { authorization: `Bearer ${key}` }) },
      body: JSON.stringify({ model, messages, response_format: { type: 'json_object' } }),
    });
  const content = async (res: Response) => {
    assert.equal(res.status, 200);
    const body = (await res.json()) as { object: string; model: string; choices: Array<{ message: { role: string; content: string } }> };
    assert.equal(body.object, 'chat.completion');
    assert.equal(body.choices[0].message.role, 'assistant');
    return body.choices[0].message.content;
  };

  beforeAll(async () => {
    sb = await testSandbox();
  });
  afterAll(async () => {
    await sb.close();
  });

  it('answers a deterministic template for the channel, goal and lead fields', async () => {
    const messages = [
      { role: 'system', content: system('email') },
      { role: 'user', content: 'Goal: Invite trial users to an onboarding call' },
    ];
    const first = await content(await complete(messages));
    assert.equal(await content(await complete(messages)), first, 'the same request answers the same template');
    const draft = JSON.parse(first) as { subject: string; html: string; text: string };
    assert.ok(AiTemplateDraftSchema.safeParse(draft).success);
    assert.equal(draft.subject, 'Invite trial users to an onboarding call');
    assert.match(draft.html, /\{\{ lead\.first_name \| default: "there" \}\}/);
    assert.match(draft.html, /\{\{ lead\.company \| default: "-" \}\}/);

    const sms = JSON.parse(
      await content(
        await complete([
          { role: 'system', content: system('sms') },
          { role: 'user', content: 'Goal: Ping' },
        ]),
      ),
    );
    assert.deepEqual(sms, { body: 'Hi {{ lead.first_name | default: "there" }}, Ping.' });
    const wa = JSON.parse(
      await content(
        await complete([
          { role: 'system', content: system('whatsapp') },
          { role: 'user', content: 'Goal: Spring sale, 20% off' },
        ]),
      ),
    );
    assert.equal(wa.whatsapp.name, 'spring_sale_20_off');
    assert.deepEqual(wa.whatsapp.parameters, ['{{ lead.first_name | default: "there" }}', '{{ lead.company | default: "-" }}']);
    const voice = JSON.parse(
      await content(
        await complete([
          { role: 'system', content: system('voice') },
          { role: 'user', content: 'Goal: Reminder' },
        ]),
      ),
    );
    assert.equal(voice.voice.mode, 'say');
    const variant = JSON.parse(
      await content(
        await complete([
          { role: 'system', content: system('sms') },
          { role: 'user', content: 'Write variant B of this template\nTemplate: {"body":"Hi"}' },
        ]),
      ),
    );
    assert.match(variant.body, /^Variant B: /);
  });

  it('refuses a missing or the documented invalid key with 401 invalid_api_key', async () => {
    for (const key of [null, OPENAI_INVALID_KEY]) {
      const res = await complete([{ role: 'user', content: 'Goal: x' }], key);
      assert.equal(res.status, 401);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'invalid_api_key');
    }
  });

  it('answers the prompt markers: 429 with Retry-After, malformed content, a broken template until a retry, 500', async () => {
    const limited = await complete([{ role: 'user', content: 'Goal: x [sandbox:429]' }]);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '1');
    assert.equal(((await limited.json()) as { error: { code: string } }).error.code, 'rate_limit_exceeded');

    const malformed = await content(await complete([{ role: 'user', content: 'Goal: x [sandbox:malformed]' }]));
    assert.throws(() => JSON.parse(malformed));

    const once = [
      { role: 'system', content: system('sms') },
      { role: 'user', content: 'Goal: x [sandbox:invalid-once]' },
    ];
    const broken = JSON.parse(await content(await complete(once)));
    assert.equal(broken.body, 'Hi {{ lead.first_name ');
    const fixed = JSON.parse(
      await content(await complete([...once, { role: 'assistant', content: JSON.stringify(broken) }, { role: 'user', content: 'Fix it' }])),
    );
    assert.equal(fixed.body, 'Hi {{ lead.first_name | default: "there" }}, x.');

    assert.equal((await complete([{ role: 'user', content: 'Goal: x [sandbox:500]' }])).status, 500);
  });

  it('records what it was asked, the key included, for tests to inspect', async () => {
    await fetch(`${sb.url}/_sandbox/openai/requests`, { method: 'DELETE' });
    await complete([{ role: 'user', content: 'Goal: recorded' }], 'sk-recorded', 'm-1');
    const { items } = (await (await fetch(`${sb.url}/_sandbox/openai/requests`)).json()) as {
      items: Array<{ key: string; model: string; messages: Array<{ content: string }> }>;
    };
    assert.equal(items.length, 1);
    assert.equal(items[0].key, 'sk-recorded');
    assert.equal(items[0].model, 'm-1');
    assert.equal(items[0].messages[0].content, 'Goal: recorded');
  });
});
