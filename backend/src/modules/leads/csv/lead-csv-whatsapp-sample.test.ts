import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startTestApp, TestApp } from '../../../test/test-app';

/** The shape of a WhatsApp template's sample CSV (GET /whatsapp/templates/{id}/sample.csv), as a person fills it. */
const SAMPLE = [
  'country_code,phone_number,first_name,whatsapp_opt_in,body_param_1',
  '1,4155550101,Ann,yes,Ann',
  '44,07911 123456,Ben,,Ben',
  '+33,612345678,Cy,no,Cy',
  'abc,4155550102,Bad,yes,x',
  ',+14155550103,Intl,yes,Dee',
].join('\n');

describe('lead import of the WhatsApp sample shape', () => {
  let t: TestApp;
  let key: string;
  let otherKey: string;

  const upload = (csv: string, fields: Record<string, string> = {}, k = key) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append('file', new Blob([csv], { type: 'text/csv' }), 'recipients.csv');
    return t.request('POST', '/api/v1/leads/import', { key: k, raw: form });
  };
  const lead = async (phone: string, k = key) => {
    const res = await t.request('GET', `/api/v1/leads?phone=${encodeURIComponent(phone)}`, { key: k });
    return res.body.items[0] as { phone: string; consent: Record<string, boolean>; attributes: Record<string, unknown> } | undefined;
  };

  beforeAll(async () => {
    t = await startTestApp();
    key = (await t.createOrg('Acme')).apiKey;
    otherKey = (await t.createOrg('Other')).apiKey;
  });
  afterAll(() => t?.close());

  it('joins country_code and phone_number into E.164, keeps body_param_N as attributes, reads the opt-in column', async () => {
    const res = await upload(SAMPLE);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.rows, 5);
    assert.equal(res.body.created, 4);
    assert.deepEqual(
      res.body.errors.map((e: { row: number; code: string }) => [e.row, e.code]),
      [[5, 'invalid_phone']],
    );
    assert.equal(res.body.consentConfirmation, undefined);
    const ann = await lead('+14155550101');
    assert.deepEqual(ann?.consent, { whatsapp: true });
    assert.equal(ann?.attributes.body_param_1, 'Ann');
    const ben = await lead('+447911123456');
    assert.ok(ben, 'the trunk 0 and the space are dropped');
    assert.deepEqual(ben.consent, {}, 'no opt-in value, no statement: no consent');
    assert.deepEqual((await lead('+33612345678'))?.consent, { whatsapp: false });
    assert.ok(await lead('+14155550103'), 'an international number is taken as written');
  });

  it('records an explicit "these recipients opted in" statement with who and when, and applies it only where the row is silent', async () => {
    const before = Date.now();
    const res = await upload(SAMPLE, { consentConfirmed: 'whatsapp' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const confirmation = res.body.consentConfirmation;
    assert.equal(confirmation.channel, 'whatsapp');
    assert.equal(confirmation.rows, 1, 'only Ben had no opt-in value of his own');
    assert.ok(confirmation.confirmedByApiKeyId, 'an API key confirmed');
    assert.equal(confirmation.confirmedByUserId, null);
    assert.ok(Date.parse(confirmation.confirmedAt) >= before - 1000);
    assert.deepEqual((await lead('+447911123456'))?.consent, { whatsapp: true });
    assert.deepEqual((await lead('+33612345678'))?.consent, { whatsapp: false }, "a row's own no stays no");
    const [row] = await t.dataSource.query(
      'SELECT organization_id, rows, confirmed_by_api_key_id FROM consent_confirmations WHERE id = $1',
      [confirmation.id],
    );
    assert.equal(row.rows, 1);
    assert.equal(row.confirmed_by_api_key_id, confirmation.confirmedByApiKeyId);
    // Another organization's import neither sees nor touches these leads.
    assert.equal(await lead('+447911123456', otherKey), undefined);
  });

  it('refuses an unknown consentConfirmed channel and an explicit countryCode mapping works like the guess', async () => {
    const bad = await upload(SAMPLE, { consentConfirmed: 'fax' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'validation_failed');
    const mapped = await upload('cc,number\n49,0151 23456789\n', { mapping: JSON.stringify({ cc: 'countryCode', number: 'phone' }) });
    assert.equal(mapped.body.created, 1, JSON.stringify(mapped.body));
    assert.ok(await lead('+4915123456789'));
  });
});
