import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { buildRenderContext, renderTemplate, validateTemplate } from './index';

// `campaign.*` is what the lease's campaign carries (@cadence/contracts' LeaseCampaign): a template
// naming another key would validate, then skip every message as missing_variable.
describe('campaign and message roots', () => {
  it("accepts the campaign's id, name and type and the message id", () => {
    assert.deepEqual(
      validateTemplate({
        channel: 'sms',
        body: "{{ campaign.name }} {{ campaign.type }} {{ campaign.id }} {{ message.id }} {{ campaign['name'] }}",
      }),
      { ok: true },
    );
  });

  it('refuses a campaign or message key the lease does not carry, where it is', () => {
    const r = validateTemplate({ channel: 'email', subject: 'ok {{ campaign.name }}', text: 'Hi\n{{ campaign.nmae }}' });
    assert.equal(r.ok, false);
    assert.deepEqual(!r.ok && r.errors.map((e) => [e.field, e.line, e.column, e.code]), [['text', 2, 4, 'template_unknown_variable']]);
    assert.match(!r.ok ? r.errors[0].message : '', /campaign\.nmae.*id, name, type/);
    assert.equal(validateTemplate({ channel: 'sms', body: '{{ message.subject }}' }).ok, false);
  });

  it('renders the campaign the lease carries', () => {
    const r = renderTemplate(
      { channel: 'sms', body: '{{ campaign.name }} ({{ campaign.type }})' },
      buildRenderContext({ campaign: { id: 'c1', name: 'Spring launch', type: 'sequence' } }),
    );
    assert.equal(r.status === 'rendered' && r.channel === 'sms' && r.body, 'Spring launch (sequence)');
  });
});
