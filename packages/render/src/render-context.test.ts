import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { buildRenderContext, renderTemplate, sampleLead } from './index';

function sms(body: string, context: ReturnType<typeof buildRenderContext>): string {
  const result = renderTemplate({ channel: 'sms', body }, context);
  assert.ok(result.status === 'rendered' && result.channel === 'sms', JSON.stringify(result));
  return result.body;
}

describe('buildRenderContext', () => {
  const context = buildRenderContext({
    lead: {
      id: 'l1',
      email: 'ada@example.com',
      phone: '+14155550123',
      firstName: 'Ada',
      lastName: 'Lovelace',
      timezone: 'Europe/London',
      attributes: { company: 'Engines', first_name: 'Imposter', email: 'other@example.com', favouriteColor: 'green' },
    },
    sender: { name: 'Bob', companyName: 'Cadence' },
    campaign: { id: 'c1', name: 'Spring' },
    message: { id: 'm1' },
  });

  it('exposes lead fields in camelCase and snake_case', () => {
    assert.equal(
      sms(
        '{{ lead.firstName }}/{{ lead.first_name }} {{ lead.lastName }}/{{ lead.last_name }} {{ lead.fullName }}/{{ lead.full_name }}',
        context,
      ),
      'Ada/Ada Lovelace/Lovelace Ada Lovelace/Ada Lovelace',
    );
    assert.equal(
      sms('{{ lead.email }} {{ lead.phone }} {{ lead.timezone }} {{ lead.id }}', context),
      'ada@example.com +14155550123 Europe/London l1',
    );
  });

  it('exposes attributes both nested and flat, standard fields winning', () => {
    assert.equal(sms('{{ lead.attributes.company }} {{ lead.company }} {{ lead.favouriteColor }}', context), 'Engines Engines green');
    assert.equal(sms('{{ lead.first_name }} {{ lead.email }}', context), 'Ada ada@example.com');
    assert.equal(sms('{{ lead.attributes.first_name }} {{ lead.attributes.email }}', context), 'Imposter other@example.com');
  });

  it('aliases sender, campaign and message keys to snake_case', () => {
    assert.equal(
      sms('{{ sender.companyName }} {{ sender.company_name }} {{ campaign.name }} {{ message.id }}', context),
      'Cadence Cadence Spring m1',
    );
  });

  it('keeps an absent standard field absent even when an attribute has its name', () => {
    const partial = buildRenderContext({ lead: { attributes: { firstName: 'FromAttributes' } } });
    assert.equal(partial.lead.firstName, undefined);
    assert.equal(sms("{{ lead.firstName | default: 'there' }}", partial), 'there');
  });

  it('trims standard fields and treats whitespace-only values as empty', () => {
    const ctx = buildRenderContext({ lead: { firstName: '  Ada ', lastName: '   ', attributes: { city: '  ', team: ' Blue ' } } });
    assert.equal(ctx.lead.first_name, 'Ada');
    assert.equal(ctx.lead.last_name, undefined);
    assert.equal(ctx.lead.full_name, 'Ada');
    assert.equal(sms("{{ lead.city | default: 'your city' }} {{ lead.team }}!", ctx), 'your city  Blue !');
    assert.deepEqual(renderTemplate({ channel: 'sms', body: '{{ lead.city }}' }, ctx), {
      status: 'skipped',
      reason: 'missing_variable',
      variables: ['lead.city'],
    });
  });

  it('tolerates loosely typed input from JSON', () => {
    const ctx = buildRenderContext({ lead: { firstName: 42, attributes: 'oops' } as never });
    assert.equal(ctx.lead.firstName, undefined);
    assert.deepEqual(ctx.lead.attributes, {});
    assert.deepEqual(buildRenderContext({}).lead.attributes, {});
  });

  it('computes fullName from what exists', () => {
    assert.equal(buildRenderContext({ lead: { firstName: 'Ada' } }).lead.fullName, 'Ada');
    assert.equal(buildRenderContext({ lead: {} }).lead.fullName, undefined);
  });

  it('does not let attribute keys reach prototypes', () => {
    const attributes = JSON.parse('{"__proto__": {"polluted": true}, "constructor": "c"}') as Record<string, unknown>;
    const ctx = buildRenderContext({ lead: { attributes } });
    assert.equal(Object.getPrototypeOf(ctx.lead), Object.prototype);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(sms('{{ lead.constructor }}', ctx), 'c');
  });

  it('does not expose inherited properties to templates', () => {
    const ctx = buildRenderContext({ lead: { firstName: 'Ada' } });
    const result = renderTemplate({ channel: 'sms', body: '{{ lead.toString }}{{ lead.hasOwnProperty }}' }, ctx);
    assert.deepEqual(result, { status: 'skipped', reason: 'missing_variable', variables: ['lead.toString', 'lead.hasOwnProperty'] });
  });

  it('provides a sample lead for previews', () => {
    const preview = buildRenderContext({ lead: sampleLead });
    assert.equal(sms('Hi {{ lead.first_name }} from {{ lead.company }}', preview), 'Hi Ada from Analytical Engines Ltd');
  });
});
