import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { normalizeLead } from './lead-normalizer';

describe('normalizeLead', () => {
  it('lower-cases emails and formats phones as E.164', () => {
    const r = normalizeLead({ email: '  Mixed.Case+tag@Example.ORG ', phone: '+1 (415) 555-0123' });
    assert.ok(r.ok);
    assert.equal(r.lead.email, 'mixed.case+tag@example.org');
    assert.equal(r.lead.phone, '+14155550123');
  });

  it('uses a default country only for national numbers', () => {
    const r = normalizeLead({ phone: '06 12 34 56 78' }, 'FR');
    assert.ok(r.ok && r.lead.phone === '+33612345678');
    assert.equal(normalizeLead({ phone: '06 12 34 56 78' }).ok, false);
  });

  it('names what is wrong with a stable code', () => {
    const cases: Array<[object, string]> = [
      [{}, 'missing_address'],
      [{ email: 'a@b' }, 'invalid_email'],
      [{ email: 'two@@example.com' }, 'invalid_email'],
      [{ phone: '+1 555' }, 'invalid_phone'],
      [{ email: 'a@example.com', timezone: 'Nowhere/Land' }, 'invalid_timezone'],
      [{ email: 'a@example.com', consent: { sms: 'yes' } }, 'invalid_consent'],
      [{ email: 'a@example.com', consent: { fax: true } }, 'invalid_consent'],
      [{ email: 'a@example.com', attributes: [1] }, 'invalid_field'],
      [{ email: 'a@example.com', firstName: 'x'.repeat(501) }, 'invalid_field'],
    ];
    for (const [input, code] of cases) {
      const r = normalizeLead(input);
      assert.equal(r.ok, false, JSON.stringify(input));
      assert.equal(!r.ok && r.code, code, JSON.stringify(input));
    }
  });
});
