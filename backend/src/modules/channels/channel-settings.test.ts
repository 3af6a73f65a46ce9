import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startTestApp, TestApp } from '../../test/test-app';

const twilio = {
  type: 'twilio',
  name: 'Support line',
  config: { accountSid: `AC${'1'.repeat(32)}`, from: '+14155550100', baseUrl: 'http://127.0.0.1:9' },
  secrets: { authToken: 'super-secret-auth-token-1234' },
};

// What the Settings page needs from the channel API: where to point the provider, clearing a setting,
// and a readable refusal to remove a channel a campaign sends with. Deletes differ between drivers.
describe.each([
  ['PostgreSQL', false],
  ['PGlite', true],
])('channels in Settings (%s)', (_name, embedded) => {
  let t: TestApp;
  let key: string;
  const api = (method: string, path: string, body?: unknown) => t.request(method, `/api/v1${path}`, { key, body });

  beforeAll(async () => {
    t = await startTestApp({ embedded, env: { PUBLIC_URL: 'https://cadence.example.com/' } });
    key = (await t.createOrg()).apiKey;
  });
  afterAll(() => t.close());

  it('answers the webhook URLs to paste at each provider, built from PUBLIC_URL', async () => {
    const tw = await api('POST', '/channels', twilio);
    assert.equal(tw.status, 201, JSON.stringify(tw.body));
    assert.deepEqual(tw.body.webhookUrls, {
      inbound: `https://cadence.example.com/webhooks/twilio/${tw.body.id}/inbound`,
      status: `https://cadence.example.com/webhooks/twilio/${tw.body.id}/status`,
      voice: `https://cadence.example.com/webhooks/twilio/${tw.body.id}/voice`,
    });
    const mg = await api('POST', '/channels', {
      type: 'mailgun',
      name: 'Newsletter',
      config: { domain: 'mg.example.com', from: 'Acme <hi@mg.example.com>' },
      secrets: { apiKey: 'key-1234567890abcdef', webhookSigningKey: 'signing-1234567890' },
    });
    assert.equal(mg.status, 201, JSON.stringify(mg.body));
    assert.deepEqual(mg.body.webhookUrls, {
      events: `https://cadence.example.com/webhooks/mailgun/${mg.body.id}`,
      inbound: `https://cadence.example.com/webhooks/mailgun/${mg.body.id}/inbound`,
    });
    const wa = await api('POST', '/channels', {
      type: 'whatsapp',
      name: 'WhatsApp',
      config: { phoneNumberId: '1234567890' },
      secrets: { accessToken: 'EAAB-access-token-123', appSecret: 'app-secret-1234567', verifyToken: 'verify-me-please' },
    });
    assert.equal(wa.status, 201, JSON.stringify(wa.body));
    const listed = (await api('GET', '/channels')).body.items as Array<{ id: string; webhookUrls: Record<string, string> }>;
    assert.deepEqual(listed.find((c) => c.id === wa.body.id)?.webhookUrls, {
      callback: `https://cadence.example.com/webhooks/whatsapp/${wa.body.id}`,
    });
    // The URL answers: Meta's verification handshake with the channel's verify token.
    const verify = await t.request(
      'GET',
      `/webhooks/whatsapp/${wa.body.id}?hub.mode=subscribe&hub.verify_token=verify-me-please&hub.challenge=4242`,
    );
    assert.equal(verify.body, 4242);
  });

  it('a null in an update clears an optional setting back to its default; left-out secrets are kept', async () => {
    const created = (await api('POST', '/channels', { ...twilio, config: { ...twilio.config, dailyCap: 500 } })).body;
    const cleared = await api('PATCH', `/channels/${created.id}`, { config: { dailyCap: null, baseUrl: null }, secrets: {} });
    assert.equal(cleared.status, 200, JSON.stringify(cleared.body));
    assert.equal('dailyCap' in cleared.body.config, false);
    assert.equal('baseUrl' in cleared.body.config, false);
    assert.deepEqual(cleared.body.secrets, { authToken: '…1234' });
  });

  it('refuses to remove a channel a campaign sends with (409 channel_in_use naming it), and removes it once free', async () => {
    const channel = (await api('POST', '/channels', twilio)).body;
    const template = await api('POST', '/templates', { name: 'Hi', channel: 'sms', body: 'Hi {{ lead.first_name }}' });
    assert.equal(template.status, 201, JSON.stringify(template.body));
    const campaign = await api('POST', '/campaigns', {
      name: 'Spring promo',
      type: 'blast',
      sender: { channelId: channel.id },
      audience: { all: true },
      steps: [{ channel: 'sms', templateId: template.body.id }],
    });
    assert.equal(campaign.status, 201, JSON.stringify(campaign.body));
    const refused = await api('DELETE', `/channels/${channel.id}`);
    assert.equal(refused.status, 409, JSON.stringify(refused.body));
    assert.equal(refused.body.code, 'channel_in_use');
    assert.match(refused.body.message, /"Spring promo"/);
    assert.deepEqual(refused.body.details, { campaigns: [{ id: campaign.body.id, name: 'Spring promo' }] });
    assert.equal((await api('GET', `/channels/${channel.id}`)).status, 200);

    assert.equal((await api('DELETE', `/campaigns/${campaign.body.id}`)).status, 204);
    assert.equal((await api('DELETE', `/channels/${channel.id}`)).status, 204);
    assert.equal((await api('GET', `/channels/${channel.id}`)).status, 404);
    assert.equal((await api('DELETE', `/channels/${channel.id}`)).body.code, 'channel_not_found');
  });
});
