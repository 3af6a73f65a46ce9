// An SMS reply opens a conversation and is answered from it, end to end: the campaign goes out through
// real n8n, the sandbox's simulated person answers (…9993), Twilio's signed inbound webhook opens the
// conversation, and the answer written in the inbox goes back out through the same n8n path, once.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startStack, waitFor } from './stack.mjs';

const SID = `AC${'c'.repeat(32)}`;
const FROM = '+14155550160';
const LEAD = '+14155559993'; // the sandbox's convention: this number replies to what it receives

describe('conversations end to end with a real n8n', () => {
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
    // The number's inbound SMS URL, as Settings tells the user to configure it.
    await s.sandboxApi('POST', '/twilio/numbers', { number: FROM, smsUrl: channel.body.webhookUrls.inbound, accountSid: SID });
  }, 180_000);
  afterAll(() => s?.stop());

  it('a simulated SMS reply opens a conversation; the answer from the inbox is sent by n8n exactly once', async () => {
    const lead = await s.api('POST', '/leads', { phone: LEAD, firstName: 'Rae', consent: { sms: true } });
    assert.equal(lead.status, 201, JSON.stringify(lead.body));
    const template = await s.api('POST', '/templates', { name: 'Hello', channel: 'sms', body: 'Hi {{ lead.first_name }}, want a demo?' });
    const campaign = await s.api('POST', '/campaigns', {
      name: 'Demo offer',
      type: 'blast',
      sender: { channelId: twilio },
      audience: { leadIds: [lead.body.id] },
      steps: [{ channel: 'sms', templateId: template.body.id }],
    });
    assert.equal(campaign.status, 201, JSON.stringify(campaign.body));
    assert.equal((await s.api('POST', `/campaigns/${campaign.body.id}/launch`)).status, 202);

    // n8n sends, the sandbox's person answers, the inbound webhook opens the conversation.
    const conversation = await waitFor(
      async () => (await s.api('GET', '/conversations?channel=sms')).body.items.find((c) => c.address === LEAD),
      'the conversation opened by the reply',
      90_000,
    );
    assert.equal(conversation.lead.id, lead.body.id);
    assert.equal(conversation.senderId, twilio);
    assert.equal(conversation.unreadCount, 1);
    assert.match(conversation.lastPreview, /tell me more/);

    const answer = 'Great, here is the link: https://cadence.example/demo';
    const headers = { 'idempotency-key': `answer-${conversation.id}` };
    const first = await s.api('POST', `/conversations/${conversation.id}/messages`, { text: answer }, headers);
    assert.equal(first.status, 201, JSON.stringify(first.body));
    const retry = await s.api('POST', `/conversations/${conversation.id}/messages`, { text: answer }, headers);
    assert.equal(retry.body.messageId, first.body.messageId, 'a retried POST is the same reply');

    // The answer goes through lease → n8n → sandbox → report like any campaign message.
    const sent = await waitFor(
      async () => {
        const { rows } = await s.db.query('SELECT status, run_id, provider_message_id FROM messages WHERE id = $1', [first.body.messageId]);
        return ['sent', 'delivered'].includes(rows[0]?.status) && rows[0];
      },
      'the answer sent',
      90_000,
    );
    assert.ok(sent.run_id, 'sent by an n8n run of the reply campaign');
    const received = (await s.sandboxApi('GET', `/messages?provider=twilio&to=${encodeURIComponent(LEAD)}`)).items.filter(
      (m) => m.body === answer,
    );
    assert.equal(received.length, 1, 'the answer arrived at the provider exactly once');
    assert.equal(received[0].to, LEAD);
    assert.equal(received[0].from, FROM, 'from the number the lead wrote to');
    assert.equal(received[0].providerMessageId, sent.provider_message_id);
    assert.equal(received[0].campaignMessageId, first.body.messageId, 'the Send node named our message');
    assert.equal((await s.sandboxApi('GET', '/duplicates')).total, 0);

    const thread = await s.api('GET', `/conversations/${conversation.id}`);
    const outbound = thread.body.entries.filter((e) => e.direction === 'outbound');
    assert.deepEqual(
      outbound.map((e) => [e.isReply, e.campaignName]),
      [
        [false, 'Demo offer'],
        [true, 'Reply'],
      ],
    );
    assert.equal(outbound[1].text, answer);
    const campaigns = (await s.api('GET', '/campaigns')).body.items.map((c) => c.name);
    assert.deepEqual(campaigns, ['Demo offer'], 'the reply campaign stays out of the campaign list');
  }, 240_000);
});
