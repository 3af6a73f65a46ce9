import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startTestApp, TestApp } from '../../test/test-app';

describe('leads API', () => {
  let t: TestApp;
  let key: string;

  beforeAll(async () => {
    t = await startTestApp();
    key = (await t.createOrg()).apiKey;
  });
  afterAll(() => t.close());

  it('creates a lead, normalizing email case and phone to E.164', async () => {
    const res = await t.request('POST', '/api/v1/leads', {
      key,
      body: {
        email: ' Ada@Example.COM ',
        phone: '+44 20 7946 0958',
        firstName: 'Ada',
        attributes: { plan: 'pro' },
        consent: { sms: true },
      },
    });
    assert.equal(res.status, 201);
    assert.equal(res.body.email, 'ada@example.com');
    assert.equal(res.body.phone, '+442079460958');
    assert.deepEqual(res.body.attributes, { plan: 'pro' });
    assert.deepEqual(res.body.consent, { sms: true });
  });

  it('upserts by email: a second create of the same person updates and merges attributes', async () => {
    const res = await t.request('POST', '/api/v1/leads', {
      key,
      body: { email: 'ADA@example.com', lastName: 'Lovelace', attributes: { seats: 3 } },
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.lastName, 'Lovelace');
    assert.equal(res.body.firstName, 'Ada');
    assert.deepEqual(res.body.attributes, { plan: 'pro', seats: 3 });
  });

  it('refuses a lead without an address, with a stable code', async () => {
    const res = await t.request('POST', '/api/v1/leads', { key, body: { firstName: 'Nobody' } });
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 'validation_failed');
    assert.match(res.body.message, /email or a phone/);
  });

  it('takes an array, keeps the valid items and reports each invalid one by index', async () => {
    const res = await t.request('POST', '/api/v1/leads', {
      key,
      body: [
        { email: 'b1@example.com' },
        { email: 'not-an-email' },
        { phone: '12' },
        { email: 'b2@example.com', timezone: 'Mars/Olympus' },
        { email: 'b3@example.com', timezone: 'Europe/Paris' },
      ],
    });
    assert.equal(res.status, 201);
    assert.equal(res.body.created, 2);
    assert.deepEqual(
      res.body.errors.map((e: { index: number; code: string }) => [e.index, e.code]),
      [
        [1, 'invalid_email'],
        [2, 'invalid_phone'],
        [3, 'invalid_timezone'],
      ],
    );
    assert.equal(res.body.ids.filter(Boolean).length, 2);
  });

  it('refuses a lead whose email and phone belong to two different leads', async () => {
    await t.request('POST', '/api/v1/leads', { key, body: { phone: '+14155550100' } });
    const res = await t.request('POST', '/api/v1/leads', { key, body: { email: 'b1@example.com', phone: '+14155550100' } });
    assert.equal(res.status, 409);
    assert.equal(res.body.code, 'lead_conflict');
  });

  it('updates with PATCH (null clears, attributes merge) and deletes', async () => {
    const created = await t.request('POST', '/api/v1/leads', {
      key,
      body: { email: 'patch@example.com', firstName: 'P', attributes: { a: 1, b: 2 } },
    });
    const patched = await t.request('PATCH', `/api/v1/leads/${created.body.id}`, {
      key,
      body: { firstName: null, attributes: { b: null, c: 3 } },
    });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.firstName, null);
    assert.deepEqual(patched.body.attributes, { a: 1, c: 3 });
    const conflict = await t.request('PATCH', `/api/v1/leads/${created.body.id}`, { key, body: { email: 'b1@example.com' } });
    assert.equal(conflict.status, 409);
    assert.equal((await t.request('DELETE', `/api/v1/leads/${created.body.id}`, { key })).status, 204);
    assert.equal((await t.request('GET', `/api/v1/leads/${created.body.id}`, { key })).body.code, 'lead_not_found');
  });

  it('lists with cursor pagination that visits every lead exactly once', async () => {
    await t.request('POST', '/api/v1/leads', {
      key,
      body: Array.from({ length: 25 }, (_, i) => ({ email: `page${i}@example.com`, attributes: { cohort: i % 2 ? 'odd' : 'even' } })),
    });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await t.request(
        'GET',
        `/api/v1/leads?limit=7${cursor ? `&cursor=${cursor}` : ''}`,
        { key },
      );
      seen.push(...res.body.items.map((l) => l.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    const total = (await t.dataSource.query('SELECT count(*)::int AS n FROM leads'))[0].n;
    assert.equal(seen.length, total);
    assert.equal(new Set(seen).size, total);
  });

  it('filters by attribute, search and consent', async () => {
    const odd = await t.request('GET', '/api/v1/leads?attributes.cohort=odd&limit=500', { key });
    assert.equal(odd.body.items.length, 12);
    const search = await t.request('GET', '/api/v1/leads?search=PAGE1', { key });
    assert.ok(search.body.items.length >= 11 && search.body.items.every((l: { email: string }) => l.email.startsWith('page1')));
    const sms = await t.request('GET', '/api/v1/leads?consent.sms=true', { key });
    assert.deepEqual(
      sms.body.items.map((l: { email: string }) => l.email),
      ['ada@example.com'],
    );
    assert.equal((await t.request('GET', '/api/v1/leads?cursor=garbage', { key })).body.code, 'invalid_cursor');
  });
});

describe('lead CSV import', () => {
  let t: TestApp;
  let key: string;
  const csv = (text: string, query = '') =>
    t.request('POST', `/api/v1/leads/import${query}`, { key, raw: text, headers: { 'content-type': 'text/csv' } });

  beforeAll(async () => {
    t = await startTestApp();
    key = (await t.createOrg()).apiKey;
  });
  afterAll(() => t.close());

  it('imports the good rows and reports each bad one with its row number and code', async () => {
    const file = [
      'Email,First Name,Phone,Company Name,SMS Consent',
      'one@example.com,One,,Acme,yes',
      'bad-email,Two,,Acme,',
      ',Three,+14155550111,Initech,no',
      ',Four,,Nobody,',
      'five@example.com,Five,,"Quoted, Inc",maybe',
      'six@example.com,Six,,Acme,1,extra-column',
      'ONE@example.com,Uno,,Acme,',
    ].join('\n');
    const res = await csv(file);
    assert.equal(res.status, 200);
    assert.equal(res.body.rows, 7);
    assert.equal(res.body.created, 2);
    assert.equal(res.body.updated, 0, 'duplicate rows within one file merge into one lead');
    assert.deepEqual(
      res.body.errors.map((e: { row: number; code: string }) => [e.row, e.code]),
      [
        [3, 'invalid_email'],
        [5, 'missing_address'],
        [6, 'invalid_consent'],
        [7, 'csv_malformed_row'],
      ],
    );
    const one = await t.request('GET', '/api/v1/leads?email=one@example.com', { key });
    assert.equal(one.body.items[0].firstName, 'Uno');
    assert.deepEqual(one.body.items[0].attributes, { company_name: 'Acme' });
    assert.deepEqual(one.body.items[0].consent, { sms: true });
  });

  it('handles a UTF-8 BOM, semicolons and non-ASCII names, and upserts on a second import', async () => {
    const file = '\uFEFFemail;firstname;city\nzoe@example.com;Zoë;Zürich\n';
    const first = await csv(file);
    assert.deepEqual([first.body.created, first.body.updated, first.body.failed], [1, 0, 0]);
    const second = await csv('email;firstname;city\nZOE@example.com;Zoé;Genève\n');
    assert.deepEqual([second.body.created, second.body.updated], [0, 1]);
    const zoe = await t.request('GET', '/api/v1/leads?email=zoe@example.com', { key });
    assert.equal(zoe.body.items[0].firstName, 'Zoé');
    assert.deepEqual(zoe.body.items[0].attributes, { city: 'Genève' });
  });

  it('applies a column mapping and a default country for national numbers', async () => {
    const mapping = encodeURIComponent(JSON.stringify({ 'Work Mail': 'email', Mobile: 'phone', Notes: null, Tier: 'attributes.plan' }));
    const res = await csv(
      'Work Mail,Mobile,Notes,Tier\nmap@example.com,(415) 555-0123,skip me,gold\n',
      `?mapping=${mapping}&defaultCountry=US`,
    );
    assert.equal(res.body.created, 1, JSON.stringify(res.body));
    const lead = (await t.request('GET', '/api/v1/leads?email=map@example.com', { key })).body.items[0];
    assert.equal(lead.phone, '+14155550123');
    assert.deepEqual(lead.attributes, { plan: 'gold' });
    const badMapping = await csv('a,b\n1,2\n', `?mapping=${encodeURIComponent('{"a":"nonsense"}')}`);
    assert.equal(badMapping.status, 400);
    assert.equal(badMapping.body.code, 'invalid_mapping');
  });

  it('accepts a multipart upload', async () => {
    const form = new FormData();
    form.append('defaultCountry', 'GB');
    form.append('file', new Blob(['phone,first_name\n020 7946 0000,Multi\n'], { type: 'text/csv' }), 'leads.csv');
    const res = await fetch(`${t.baseUrl}/api/v1/leads/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
      body: form,
    });
    const body = (await res.json()) as { created: number };
    assert.equal(res.status, 200);
    assert.equal(body.created, 1);
  });

  it('refuses what is not CSV with a clear code', async () => {
    const xlsx = await t.request('POST', '/api/v1/leads/import', {
      key,
      raw: Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]),
      headers: { 'content-type': 'application/octet-stream' },
    });
    assert.equal(xlsx.status, 400);
    assert.equal(xlsx.body.code, 'invalid_csv');
    assert.match(xlsx.body.message, /XLSX/);
    const json = await t.request('POST', '/api/v1/leads/import', {
      key,
      raw: '{"email":"x@example.com"}',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(json.status, 415);
    assert.equal(json.body.code, 'unsupported_media_type');
    const noAddress = await csv('name,city\nA,B\n');
    assert.equal(noAddress.body.code, 'invalid_csv');
    assert.match(noAddress.body.message, /No email or phone column/);
    assert.equal((await csv('')).body.code, 'invalid_csv');
  });
});
