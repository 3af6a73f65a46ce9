import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startTestApp, TestApp } from '../../test/test-app';

/** Files as people really export them: each damaged row is reported on its own line, the rest is kept. */
describe('lead CSV import: row numbers, damaged rows, encodings, duplicate headers', () => {
  let t: TestApp;
  let key: string;

  beforeAll(async () => {
    t = await startTestApp();
    key = (await t.createOrg()).apiKey;
  });
  afterAll(() => t.close());

  const upload = (body: Buffer | string, as = key) =>
    t.request('POST', '/api/v1/leads/import', {
      key: as,
      raw: typeof body === 'string' ? body : new Uint8Array(body),
      headers: { 'content-type': 'text/csv' },
    });
  const errors = (body: { errors: Array<{ row: number; code: string }> }) => body.errors.map((e) => [e.row, e.code]);

  it("numbers rows by the file's lines, across blank lines and quoted line breaks", async () => {
    const file = ['email,first_name,notes', '', 'a1@example.com,A,"two', 'lines"', '', 'not-an-email,B,', 'a3@example.com,C,'].join('\n');
    const res = await upload(file);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(errors(res.body), [[6, 'invalid_email']]);
    assert.equal(res.body.created, 2);
  });

  it('reports a row with a NUL byte on its line and keeps the others', async () => {
    const file = Buffer.concat([
      Buffer.from('email,first_name\nn1@example.com,One\nn2@example.com,T'),
      Buffer.from([0]),
      Buffer.from('wo\nn3@example.com,Three\n'),
    ]);
    const res = await upload(file);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(errors(res.body), [[3, 'csv_nul_byte']]);
    assert.equal(res.body.created, 2);
  });

  it('reports a line that is not UTF-8 in a UTF-8 file and keeps the others', async () => {
    const good = Array.from({ length: 200 }, (_, i) => `u${i}@example.com,Person ${i}`).join('\n');
    const file = Buffer.concat([
      Buffer.from(`email,first_name\n${good}\nbad@example.com,Zo`),
      Buffer.from([0xeb]),
      Buffer.from('\nlast@example.com,Last\n'),
    ]);
    const res = await upload(file);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(errors(res.body), [[202, 'csv_invalid_utf8']]);
    assert.equal(res.body.created, 201);
  });

  it('reads a Windows-1252 export (Excel on Windows) as such: names keep their accents', async () => {
    const file = Buffer.concat([
      Buffer.from('email,first_name\nzoe@example.com,Zo'),
      Buffer.from([0xeb]),
      Buffer.from('\nrene@example.com,Ren'),
      Buffer.from([0xe9]),
      Buffer.from('\n'),
    ]);
    const own = (await t.createOrg('Windows')).apiKey;
    const res = await upload(file, own);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.created, 2);
    const listed = await t.request('GET', '/api/v1/leads?limit=100', { key: own });
    const leads = listed.body.items as Array<{ email: string; firstName: string }>;
    assert.equal(leads.find((l) => l.email === 'zoe@example.com')?.firstName, 'Zoë');
    assert.equal(leads.find((l) => l.email === 'rene@example.com')?.firstName, 'René');
  });

  it('refuses a header that names a column twice, instead of letting the last one win', async () => {
    const res = await upload('email,first_name,Email\ndup@example.com,Dup,other@example.com\n');
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 'invalid_csv');
    assert.match(res.body.message, /"Email" twice \(columns 1 and 3\)/);
  });

  it('still refuses a file that is mostly NUL bytes (UTF-16, binary) as a whole', async () => {
    const res = await upload(Buffer.from('email,first_name\nx@example.com,X\n', 'utf16le'));
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 'invalid_csv');
  });
});
