import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startTestApp, TestApp } from './test-app';

/**
 * DELETE answers 204 once and 404 after, on both databases (PGlite's driver reports no affected count), and 409 for a
 * row still in use (both drivers must report the foreign-key violation's SQLSTATE).
 */
for (const embedded of [false, true]) {
  describe(`DELETE on ${embedded ? 'PGlite' : 'PostgreSQL'}`, () => {
    let t: TestApp;
    let key: string;

    beforeAll(async () => {
      t = await startTestApp({ embedded });
      key = (await t.createOrg()).apiKey;
    });
    afterAll(() => t.close());

    const created = async (path: string, body: unknown): Promise<string> => {
      const res = await t.request('POST', path, { key, body });
      assert.ok(res.status === 201 || res.status === 200, `${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.id as string;
    };

    const cases: Array<[string, string, () => unknown]> = [
      ['lead', '/api/v1/leads', () => ({ email: 'gone@example.com' })],
      ['template', '/api/v1/templates', () => ({ name: 'Bye', channel: 'sms', body: 'bye' })],
      [
        'channel',
        '/api/v1/channels',
        () => ({
          type: 'twilio',
          name: 'Line',
          config: { accountSid: 'AC00000000000000000000000000000001', from: '+14155550100' },
          secrets: { authToken: 'x' },
        }),
      ],
      ['suppression', '/api/v1/suppressions', () => ({ channel: 'email', address: 'gone@example.com', reason: 'manual' })],
    ];
    for (const [what, path, body] of cases) {
      it(`a ${what} is deleted with 204, then answers 404 ${what}_not_found`, async () => {
        const id = await created(path, body());
        const first = await t.request('DELETE', `${path}/${id}`, { key });
        assert.equal(first.status, 204, JSON.stringify(first.body));
        const second = await t.request('DELETE', `${path}/${id}`, { key });
        assert.equal(second.status, 404);
        assert.equal(second.body.code, `${what}_not_found`);
      });
    }

    it('a channel and a template a campaign uses answer 409 (channel_in_use naming the campaign, resource_in_use) and stay', async () => {
      const channelId = await created(cases[2][1], { ...(cases[2][2]() as object), name: 'Used line' });
      const templateId = await created('/api/v1/templates', { name: 'Used', channel: 'sms', body: 'hi' });
      await created('/api/v1/campaigns', {
        name: 'Uses both',
        type: 'blast',
        sender: { channelId },
        audience: { all: true },
        steps: [{ templateId }],
      });
      for (const [path, code] of [
        [`/api/v1/channels/${channelId}`, 'channel_in_use'],
        [`/api/v1/templates/${templateId}`, 'resource_in_use'],
      ]) {
        const refused = await t.request('DELETE', path, { key });
        assert.equal(refused.status, 409, JSON.stringify(refused.body));
        assert.equal(refused.body.code, code);
        assert.equal((await t.request('GET', path, { key })).status, 200);
      }
    });
  });
}
