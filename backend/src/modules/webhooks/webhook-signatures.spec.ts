import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from '@jest/globals';
import { verifyMailgun, verifyMeta, verifyTwilio } from './webhook-signatures';

describe('webhook signatures', () => {
  it('Mailgun: HMAC-SHA256 of timestamp + token, fresh timestamps only', () => {
    const now = String(Math.floor(Date.now() / 1000));
    const sign = (timestamp: string, token = 'abc') => ({
      timestamp,
      token,
      signature: createHmac('sha256', 'key')
        .update(timestamp + token)
        .digest('hex'),
    });
    assert.equal(verifyMailgun('key', sign(now)), true);
    assert.equal(verifyMailgun('other', sign(now)), false);
    assert.equal(verifyMailgun('key', { ...sign(now), token: 'abd' }), false);
    assert.equal(verifyMailgun('key', sign(String(Number(now) - 901))), false, 'older than 15 minutes is a replay');
    assert.equal(verifyMailgun('key', sign(String(Number(now) - 60)), 30), false, 'the window is configurable');
    assert.equal(verifyMailgun('key', undefined), false);
    assert.equal(verifyMailgun('key', { timestamp: Number(now), token: 'abc', signature: 'x' }), false, 'fields must be strings');
    assert.equal(
      verifyMailgun('key', { ...sign(now), signature: 'short' }),
      false,
      'a signature of another length is refused, not thrown on',
    );
  });

  it('Twilio: base64 HMAC-SHA1 of the URL and the sorted parameters', () => {
    const url = 'https://cadence.example.com/webhooks/twilio/x/status?token=1';
    const params = { To: '+15550001111', MessageSid: 'SM1', MessageStatus: 'delivered' };
    const header = createHmac('sha1', 'tok').update(`${url}MessageSidSM1MessageStatusdeliveredTo+15550001111`).digest('base64');
    assert.equal(verifyTwilio('tok', url, params, header), true);
    assert.equal(verifyTwilio('tok', url, { ...params, MessageStatus: 'failed' }, header), false);
    assert.equal(verifyTwilio('tok', url.replace('https', 'http'), params, header), false);
    assert.equal(verifyTwilio('other', url, params, header), false);
    assert.equal(verifyTwilio('tok', url, params, undefined), false);
  });

  it('Meta: sha256= hex HMAC of the raw body', () => {
    const raw = Buffer.from('{"entry":[]}');
    const header = `sha256=${createHmac('sha256', 'app-secret').update(raw).digest('hex')}`;
    assert.equal(verifyMeta('app-secret', raw, header), true);
    assert.equal(verifyMeta('app-secret', Buffer.from('{"entry": []}'), header), false, 'the raw bytes, not the parsed JSON');
    assert.equal(verifyMeta('app-secret', raw, header.replace('sha256=', '')), false);
    assert.equal(verifyMeta('app-secret', undefined, header), false);
    assert.equal(verifyMeta('app-secret', raw, undefined), false);
  });
});
