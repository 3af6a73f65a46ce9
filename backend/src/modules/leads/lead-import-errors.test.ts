import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startTestApp, TestApp } from '../../test/test-app';

/** A malformed import must answer 4xx with a stable code, and the backend must keep serving. */
describe('lead CSV import: malformed requests answer 4xx and never take the backend down', () => {
  let t: TestApp;
  let key: string;
  const csv = 'email,first_name\nada@example.com,Ada\n';

  beforeAll(async () => {
    t = await startTestApp();
    key = (await t.createOrg()).apiKey;
  });
  afterAll(() => t.close());

  const multipart = (fields: Record<string, string>) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append('file', new Blob([csv], { type: 'text/csv' }), 'leads.csv');
    return form;
  };

  const stillServing = async () => {
    const started = Date.now();
    const health = await t.request('GET', '/health');
    assert.equal(health.status, 200);
    assert.ok(Date.now() - started < 1000, `health took ${Date.now() - started} ms`);
  };

  for (const [label, query, fields] of [
    ['mapping query that is not JSON', '?mapping={not-json', {}],
    ['mapping query that is an array', '?mapping=[]', {}],
    ['mapping form field that is not JSON', '', { mapping: '{not-json' }],
  ] as Array<[string, string, Record<string, string>]>) {
    it(`a multipart upload with a ${label} answers 400 invalid_mapping`, async () => {
      const res = await t.request('POST', `/api/v1/leads/import${query}`, { key, raw: multipart(fields) });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.code, 'invalid_mapping');
      await stillServing();
    });
  }

  it('a multipart body cut off in the middle answers 400 invalid_csv', async () => {
    const res = await t.request('POST', '/api/v1/leads/import', {
      key,
      raw: '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nemail\na@b.c',
      headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
    });
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.equal(res.body.code, 'invalid_csv');
    await stillServing();
  });

  it('the same upload with a good mapping still imports', async () => {
    const res = await t.request('POST', '/api/v1/leads/import', {
      key,
      raw: multipart({ mapping: JSON.stringify({ first_name: 'firstName' }) }),
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.created + (res.body.updated ?? 0), 1, JSON.stringify(res.body));
  });
});
