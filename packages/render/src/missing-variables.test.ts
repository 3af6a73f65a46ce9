import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { buildRenderContext, renderTemplate } from './index';
import type { LeadInput, RenderResult } from './index';

const lead: LeadInput = {
  email: 'ada@example.com',
  firstName: 'Ada',
  lastName: null,
  phone: '',
  attributes: { company: 'Engines', vip: false, score: 0, nested: { city: 'London', zip: '' }, empty: '', tags: ['a', 'b'] },
};

function sms(body: string, input: LeadInput = lead): RenderResult {
  return renderTemplate({ channel: 'sms', body }, buildRenderContext({ lead: input }));
}

function body(result: RenderResult): string {
  assert.equal(result.status, 'rendered', JSON.stringify(result));
  return result.status === 'rendered' && result.channel === 'sms' ? result.body : '';
}

function skipped(result: RenderResult): string[] {
  assert.equal(result.status, 'skipped', JSON.stringify(result));
  return result.status === 'skipped' ? result.variables : [];
}

describe('missing variables', () => {
  it('skips the message when an output is undefined, null or empty', () => {
    assert.deepEqual(skipped(sms('Hi {{ lead.nickname }}')), ['lead.nickname']);
    assert.deepEqual(skipped(sms('Hi {{ lead.last_name }}')), ['lead.last_name']);
    assert.deepEqual(skipped(sms('Call {{ lead.phone }}')), ['lead.phone']);
    assert.deepEqual(skipped(sms('{{ lead.empty }}!')), ['lead.empty']);
  });

  it('renders zero and false, which are values', () => {
    assert.equal(body(sms('{{ lead.score }} {{ lead.vip }}')), '0 false');
  });

  it('lists every missing variable once, in order of use, across the template', () => {
    assert.deepEqual(skipped(sms('{{ lead.a }} {{ lead.b }} {{ lead.a }} {{ sender.name }}')), ['lead.a', 'lead.b', 'sender.name']);
  });

  it('renders the default when the variable is missing', () => {
    assert.equal(body(sms('Hi {{ lead.nickname | default: "there" }}')), 'Hi there');
    assert.equal(body(sms('Hi {{ lead.first_name | default: "there" }}')), 'Hi Ada');
    assert.equal(body(sms("Hi {{ lead.last_name | default: 'friend' }}")), 'Hi friend');
  });

  it('treats a default later in the filter chain as covering the variable', () => {
    assert.equal(body(sms('{{ lead.nickname | upcase | default: "THERE" }}')), 'THERE');
    assert.equal(body(sms('{{ lead.nickname | default: "there" | capitalize }}')), 'There');
  });

  it('checks filters after the default, and variable filter arguments', () => {
    assert.deepEqual(skipped(sms('{{ lead.nickname | default: "x" | append: lead.suffix }}')), ['lead.suffix']);
    assert.deepEqual(skipped(sms('{{ "Hi " | append: lead.nickname }}')), ['lead.nickname']);
    assert.equal(body(sms('{{ "Hi " | append: lead.first_name }}')), 'Hi Ada');
  });

  it('allows an explicit empty default but not a default that is itself missing', () => {
    assert.equal(body(sms('Hi{{ lead.nickname | default: "" }}!')), 'Hi!');
    assert.deepEqual(skipped(sms('{{ lead.nickname | default: lead.alias }}')), ['lead.alias']);
    assert.equal(body(sms('{{ lead.nickname | default: lead.first_name }}')), 'Ada');
  });

  it("follows default's allow_false", () => {
    assert.equal(body(sms('{{ lead.vip | default: "no" }}')), 'no');
    assert.equal(body(sms('{{ lead.vip | default: "no", allow_false: true }}')), 'false');
    assert.equal(body(sms('{{ lead.missing | default: "no", allow_false: true }}')), 'no');
  });

  it('never skips because of conditions, which legitimately test for absence', () => {
    assert.equal(body(sms('{% if lead.nickname %}Hi {{ lead.nickname }}{% else %}Hello{% endif %}')), 'Hello');
    assert.equal(body(sms('{% unless lead.last_name %}No last name{% endunless %}')), 'No last name');
    assert.equal(body(sms('{% if lead.nested.zip == blank %}no zip{% endif %}')), 'no zip');
    assert.equal(body(sms("{% case lead.plan %}{% when 'pro' %}Pro{% else %}Free{% endcase %}")), 'Free');
    assert.equal(body(sms('{% for t in lead.none %}{{ t }}{% endfor %}ok')), 'ok');
  });

  it('follows nested paths and bracket access', () => {
    assert.equal(body(sms("{{ lead.nested.city }} {{ lead['company'] }} {{ lead.tags[1] }} {{ lead.tags.size }}")), 'London Engines b 2');
    assert.deepEqual(skipped(sms('{{ lead.nested.zip }}')), ['lead.nested.zip']);
    assert.deepEqual(skipped(sms('{{ lead.nested.street.name }}')), ['lead.nested.street.name']);
    assert.deepEqual(skipped(sms('{{ lead.tags[5] }}')), ['lead.tags[5]']);
  });

  it('applies to echo, including inside {% liquid %}', () => {
    assert.deepEqual(skipped(sms('{% echo lead.nickname %}')), ['lead.nickname']);
    assert.equal(body(sms("{% liquid\n  echo lead.nickname | default: 'x'\n%}")), 'x');
    assert.deepEqual(skipped(sms('{% liquid\n  if true\n    echo lead.alias\n  endif\n%}')), ['lead.alias']);
  });

  it('reports an assigned variable by its own name when it ends up empty', () => {
    assert.deepEqual(skipped(sms('{% assign nick = lead.nickname %}{{ nick }}')), ['nick']);
    assert.equal(body(sms("{% assign nick = lead.nickname | default: 'pal' %}{{ nick }}")), 'pal');
  });

  it('does not flag literals', () => {
    assert.equal(body(sms('x{{ "" }}{{ nil }}y')), 'xy');
  });

  it('skips across every field of an email', () => {
    const result = renderTemplate(
      { channel: 'email', subject: 'Hi {{ lead.nickname }}', html: '<p>{{ lead.alias }}</p>', text: '{{ lead.first_name }}' },
      buildRenderContext({ lead }),
    );
    assert.deepEqual(result, { status: 'skipped', reason: 'missing_variable', variables: ['lead.nickname', 'lead.alias'] });
  });

  it('skips whatsapp parameters and voice scripts the same way', () => {
    const context = buildRenderContext({ lead });
    assert.deepEqual(
      renderTemplate({ channel: 'whatsapp', whatsapp: { name: 't', language: 'en', parameters: ['{{ lead.nickname }}'] } }, context),
      { status: 'skipped', reason: 'missing_variable', variables: ['lead.nickname'] },
    );
    assert.deepEqual(renderTemplate({ channel: 'voice', voice: { script: 'Hi {{ lead.last_name }}' } }, context), {
      status: 'skipped',
      reason: 'missing_variable',
      variables: ['lead.last_name'],
    });
  });

  it('keeps renders independent: a skip never leaks into the next message', () => {
    assert.equal(skipped(sms('{{ lead.nickname }}')).length, 1);
    assert.equal(body(sms('{{ lead.nickname }}', { ...lead, attributes: { nickname: 'Addy' } })), 'Addy');
  });
});
