import assert from 'node:assert/strict';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startTestApp, TestApp } from '../../test/test-app';

const twilio = (baseUrl?: string) => ({
  type: 'twilio',
  name: 'Line',
  config: { accountSid: `AC${'1'.repeat(32)}`, from: '+14155550100', ...(baseUrl && { baseUrl }) },
  secrets: { authToken: 'secret-token' },
});

async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('channel base URLs: only where they belong', () => {
  describe('custom endpoints on, loopback allowed for the sandbox (127.0.0.1)', () => {
    let t: TestApp;
    let key: string;

    beforeAll(async () => {
      t = await startTestApp();
      key = (await t.createOrg()).apiKey;
    });
    afterAll(() => t.close());

    for (const [label, baseUrl] of [
      ['the cloud metadata address', 'http://169.254.169.254'],
      ['a private network address', 'http://10.0.0.5:8080'],
      ['a name that resolves to loopback', 'http://localhost:5678'],
      ['IPv6 loopback', 'http://[::1]:3000'],
      ['an IPv4-mapped IPv6 loopback', 'http://[::ffff:127.0.0.1]:3000'],
      ['a path the tenant chooses', 'http://127.0.0.1:4010/internal/v1'],
      ['credentials in the URL', 'http://user:pass@127.0.0.1:4010'],
    ]) {
      it(`refuses ${label} with 400 channel_base_url_refused`, async () => {
        const res = await t.request('POST', '/api/v1/channels', { key, body: twilio(baseUrl) });
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.equal(res.body.code, 'channel_base_url_refused');
      });
    }

    it('accepts the allowed loopback host, and refuses moving it to the metadata address later', async () => {
      const created = await t.request('POST', '/api/v1/channels', { key, body: twilio('http://127.0.0.1:4010') });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const moved = await t.request('PATCH', `/api/v1/channels/${created.body.id}`, {
        key,
        body: { config: { baseUrl: 'http://169.254.169.254' } },
      });
      assert.equal(moved.status, 400);
      assert.equal(moved.body.code, 'channel_base_url_refused');
    });

    it('test connection follows no redirect: the credentials never reach the redirect target', async () => {
      let targetHits = 0;
      const target = await listen((_req, res) => {
        targetHits++;
        res.end('{}');
      });
      const redirector = await listen((_req, res) => {
        res.writeHead(302, { location: `${target.url}/steal` });
        res.end();
      });
      try {
        const created = await t.request('POST', '/api/v1/channels', { key, body: twilio(redirector.url) });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        const tested = await t.request('POST', `/api/v1/channels/${created.body.id}/test`, { key });
        assert.equal(tested.body.ok, false);
        assert.match(tested.body.message, /redirect/);
        assert.equal(targetHits, 0);
      } finally {
        redirector.server.close();
        target.server.close();
      }
    });
  });

  describe('custom endpoints off (the production default)', () => {
    let t: TestApp;
    let key: string;

    beforeAll(async () => {
      t = await startTestApp({ env: { CUSTOM_PROVIDER_URLS: 'off', PROVIDER_URL_ALLOWLIST: '' } });
      key = (await t.createOrg()).apiKey;
    });
    afterAll(() => t.close());

    it("accepts no baseUrl, the provider's own host and its regional hosts over https", async () => {
      for (const baseUrl of [undefined, 'https://api.twilio.com', 'https://api.dublin.ie1.twilio.com']) {
        const res = await t.request('POST', '/api/v1/channels', { key, body: twilio(baseUrl) });
        assert.equal(res.status, 201, `${baseUrl}: ${JSON.stringify(res.body)}`);
      }
    });

    it('refuses any other host, plain http to the provider, and the sandbox on loopback', async () => {
      for (const baseUrl of [
        'https://example.com',
        'http://api.twilio.com',
        'http://127.0.0.1:4010',
        'https://api.twilio.com.evil.example',
      ]) {
        const res = await t.request('POST', '/api/v1/channels', { key, body: twilio(baseUrl) });
        assert.equal(res.status, 400, baseUrl);
        assert.equal(res.body.code, 'channel_base_url_refused', baseUrl);
      }
    });
  });
});
