import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startTestApp, TestApp } from './test-app';

const nested = (depth: number, leaf: unknown = 1): unknown => {
  let value: unknown = leaf;
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
};
/** Built as text: JSON.stringify itself would recurse 10,000 deep. */
const nestedText = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

/**
 * What one tenant can send must never cost another: each malformed request answers 4xx with a stable
 * code (never 500, a hang or an exit), and the backend still answers /health within a second after it.
 * Run on both databases: the embedded one (PGlite, WASM) failed differently from PostgreSQL.
 */
for (const embedded of [false, true]) {
  describe(`pathological requests on ${embedded ? 'PGlite' : 'PostgreSQL'}`, () => {
    let t: TestApp;
    let key: string;

    beforeAll(async () => {
      t = await startTestApp({ embedded });
      key = (await t.createOrg()).apiKey;
    });
    afterAll(() => t.close());

    const expectAnswer = async (res: { status: number; body: any }, status: number, code: string) => {
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.equal(res.body.code, code);
      const started = Date.now();
      const health = await t.request('GET', '/health');
      assert.equal(health.status, 200);
      assert.ok(Date.now() - started < 1000, `/health took ${Date.now() - started} ms`);
    };

    it('a lead whose attributes nest 1,200 levels deep answers 400 body_too_deep', async () => {
      await expectAnswer(
        await t.request('POST', '/api/v1/leads', { key, body: { email: 'deep@example.com', attributes: nested(1200) } }),
        400,
        'body_too_deep',
      );
    });

    for (const path of [
      '/api/v1/api-keys',
      '/api/v1/suppressions',
      '/api/v1/users/invite',
      '/api/v1/leads',
      '/api/v1/templates',
      '/api/v1/campaigns',
    ]) {
      it(`a body nested 10,000 deep on POST ${path} answers 400 body_too_deep`, async () => {
        await expectAnswer(
          await t.request('POST', path, { key, raw: nestedText(10_000), headers: { 'content-type': 'application/json' } }),
          400,
          'body_too_deep',
        );
      });
    }

    it('a body 33 levels deep is refused and 32 levels is accepted past the guard', async () => {
      await expectAnswer(
        await t.request('POST', '/api/v1/leads', { key, body: { email: 'd33@example.com', attributes: nested(32) } }),
        400,
        'body_too_deep',
      );
      const ok = await t.request('POST', '/api/v1/leads', { key, body: { email: 'd32@example.com', attributes: nested(30) } });
      assert.ok(ok.status === 201 || ok.status === 200, JSON.stringify(ok.body));
    });

    for (const type of ['text/plain', 'application/xml', 'multipart/form-data; boundary=x']) {
      for (const path of ['/api/v1/templates', '/api/v1/channels', '/api/v1/campaigns']) {
        it(`JSON sent as ${type.split(';')[0]} to POST ${path} answers 415 unsupported_media_type`, async () => {
          await expectAnswer(
            await t.request('POST', path, { key, raw: '{"name":"x"}', headers: { 'content-type': type } }),
            415,
            'unsupported_media_type',
          );
        });
      }
    }

    it('a bare JSON string answers 400 invalid_json saying an object is expected', async () => {
      const res = await t.request('POST', '/api/v1/templates', { key, raw: '"hello"', headers: { 'content-type': 'application/json' } });
      await expectAnswer(res, 400, 'invalid_json');
      assert.match(res.body.message, /JSON object/);
    });

    it('broken JSON answers 400 invalid_json', async () => {
      await expectAnswer(
        await t.request('POST', '/api/v1/leads', { key, raw: '{"email":', headers: { 'content-type': 'application/json' } }),
        400,
        'invalid_json',
      );
    });
  });
}
