import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { requiredLeadVariables } from './required-variables';

describe('requiredLeadVariables', () => {
  it('lists lead variables printed without a default, outside tags', () => {
    assert.deepEqual(
      requiredLeadVariables({
        channel: 'email',
        subject: 'Hi {{ lead.first_name }}',
        html: '<p>{{ lead.attributes.plan | upcase }} {{ lead.company | default: "you" }} {% if lead.city %}{{ lead.city }}{% endif %} {{ campaign.name }}</p>',
      }),
      ['lead.first_name', 'lead.attributes.plan'],
    );
  });
  it('gives none for a template that does not parse', () => {
    assert.deepEqual(requiredLeadVariables({ channel: 'sms', body: 'Hi {{ lead.first_name' }), []);
  });
});
