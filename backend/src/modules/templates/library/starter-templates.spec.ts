import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { LIBRARY_CATEGORIES, STARTER_ID_PATTERN, type MessageTemplate } from '@cadence/contracts';
import { buildRenderContext, renderTemplate, sampleCampaign, validateTemplate } from '@cadence/render';
import { STARTER_TEMPLATES, type StarterTemplate } from './starter-templates';

function asTemplate(s: StarterTemplate): MessageTemplate {
  const { channel, subject, html, text, body, whatsapp, voice } = s;
  return JSON.parse(JSON.stringify({ channel, subject, html, text, body, whatsapp, voice })) as MessageTemplate;
}

// A lead with nothing but a phone and an email: no names, no attributes.
const bareLead = { id: '00000000-0000-4000-8000-0000000000b1', email: 'x@example.com', phone: '+14155550100' };
const fullLead = {
  ...bareLead,
  firstName: 'Grace',
  attributes: { company: 'Navy', appointment_at: 'Tuesday 10:00', plan: 'pro', order_number: 'A-17' },
};

describe('built-in starter templates', () => {
  it('have unique ids in the starter pattern and known categories, and cover every channel', () => {
    const ids = STARTER_TEMPLATES.map((s) => s.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const s of STARTER_TEMPLATES) {
      assert.match(s.id, STARTER_ID_PATTERN);
      assert.ok(LIBRARY_CATEGORIES.includes(s.category), s.id);
    }
    assert.deepEqual([...new Set(STARTER_TEMPLATES.map((s) => s.channel))].sort(), ['email', 'sms', 'voice', 'whatsapp']);
  });

  it.each(STARTER_TEMPLATES.map((s) => [s.id, s] as const))('%s validates and renders for a lead with no name or attributes', (_id, s) => {
    const template = asTemplate(s);
    const validation = validateTemplate(template);
    assert.ok(validation.ok, JSON.stringify(validation));
    for (const lead of [bareLead, fullLead]) {
      const context = buildRenderContext({ lead, campaign: sampleCampaign, tracking: { unsubscribeUrl: 'https://u.example/x' } });
      const result = renderTemplate(template, context, s.channel === 'email' ? { unsubscribe: { url: 'https://u.example/x' } } : {});
      assert.equal(result.status, 'rendered', `${s.id}: ${JSON.stringify(result)}`);
    }
  });

  it('personalise with the lead when it has the data, and fall back politely when not', () => {
    const welcome = asTemplate(STARTER_TEMPLATES.find((s) => s.id === 'starter-welcome-sms')!);
    const render = (lead: object) => JSON.stringify(renderTemplate(welcome, buildRenderContext({ lead, campaign: sampleCampaign })));
    assert.match(render(fullLead), /Hi Grace, thanks/);
    assert.match(render(bareLead), /Hi there, thanks/);
  });
});
