import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startTestApp, TestApp } from '../../test/test-app';

describe('webhook replays and malformed callbacks', () => {
  let t: TestApp;
  let key: string;
  let mailgun: string;
  let twilio: string;
  const signingKey = 'replay-test-signing-key';

  beforeAll(async () => {
    t = await startTestApp();
    key = (await t.createOrg()).apiKey;
    mailgun = (
      await t.request('POST', '/api/v1/channels', {
        key,
        body: {
          type: 'mailgun',
          name: 'MG',
          config: { domain: 'mg.example.com', from: 'team@mg.example.com' },
          secrets: { apiKey: 'key-1', webhookSigningKey: signingKey },
        },
      })
    ).body.id;
    twilio = (
      await t.request('POST', '/api/v1/channels', {
        key,
        body: {
          type: 'twilio',
          name: 'Line',
          config: { accountSid: `AC${'1'.repeat(32)}`, from: '+14155550100' },
          secrets: { authToken: 'tw-token' },
        },
      })
    ).body.id;
  });
  afterAll(() => t.close());

  const signedMailgun = (token: string, eventId: string) => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    return {
      signature: {
        timestamp,
        token,
        signature: createHmac('sha256', signingKey)
          .update(timestamp + token)
          .digest('hex'),
      },
      'event-data': { id: eventId, event: 'delivered', timestamp: Number(timestamp), recipient: 'ada@example.com' },
    };
  };

  it('a Mailgun callback replayed with its signature token inside the window answers 406 webhook_replayed', async () => {
    const body = signedMailgun('token-1', 'event-1');
    assert.equal((await t.request('POST', `/webhooks/mailgun/${mailgun}`, { body })).status, 200);
    const replay = await t.request('POST', `/webhooks/mailgun/${mailgun}`, { body });
    assert.equal(replay.status, 406);
    assert.equal(replay.body.code, 'webhook_replayed');
    // Another token, even for the same event, is a new delivery (the event id de-duplicates it).
    assert.equal((await t.request('POST', `/webhooks/mailgun/${mailgun}`, { body: signedMailgun('token-2', 'event-1') })).status, 200);
  });

  it('a Twilio callback with no body, or a JSON one, answers 403 invalid_signature instead of 500', async () => {
    for (const path of [`/webhooks/twilio/${twilio}/status`, `/webhooks/twilio/${twilio}/inbound`]) {
      const empty = await t.request('POST', path, { headers: { 'x-twilio-signature': 'abc' } });
      assert.equal(empty.status, 403, `${path}: ${JSON.stringify(empty.body)}`);
      assert.equal(empty.body.code, 'invalid_signature');
      const json = await t.request('POST', path, { body: ['x'], headers: { 'x-twilio-signature': 'abc' } });
      assert.equal(json.status, 403, `${path}: ${JSON.stringify(json.body)}`);
    }
  });
});
