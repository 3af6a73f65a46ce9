import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { buildRenderContext, renderTemplate, TemplateRenderError } from './index';

const context = buildRenderContext({
  lead: { firstName: 'Ada', attributes: { company: 'Engines\nLtd\t', code: 'A B' } },
  campaign: { name: 'Spring' },
  message: { id: 'm-42' },
});

describe('renderTemplate: whatsapp', () => {
  it('maps parameters positionally to the Cloud API components', () => {
    const result = renderTemplate(
      {
        channel: 'whatsapp',
        whatsapp: {
          name: 'spring_offer',
          language: 'en_US',
          parameters: ['{{ lead.firstName }}', '{{ lead.company }}', "{{ lead.code | default: 'none' }}"],
          headerParameters: ['{{ campaign.name }}'],
          buttonParameters: ['{{ message.id }}', 'track/{{ lead.code | url_encode }}'],
        },
      },
      context,
    );
    assert.deepEqual(result, {
      status: 'rendered',
      channel: 'whatsapp',
      name: 'spring_offer',
      language: 'en_US',
      components: [
        { type: 'header', parameters: [{ type: 'text', text: 'Spring' }] },
        {
          type: 'body',
          parameters: [
            { type: 'text', text: 'Ada' },
            { type: 'text', text: 'Engines Ltd' },
            { type: 'text', text: 'A B' },
          ],
        },
        { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'm-42' }] },
        { type: 'button', sub_type: 'url', index: '1', parameters: [{ type: 'text', text: 'track/A+B' }] },
      ],
    });
  });

  it('names the body values of a named template (parameter_format NAMED) with parameter_name', () => {
    const result = renderTemplate(
      {
        channel: 'whatsapp',
        whatsapp: {
          name: 'order_update',
          language: 'en_US',
          parameters: ['{{ lead.firstName }}', '{{ lead.code }}'],
          parameterNames: ['first_name', 'order_id'],
        },
      },
      context,
    );
    assert.equal(result.status, 'rendered');
    assert.deepEqual(result.status === 'rendered' && result.channel === 'whatsapp' ? result.components : undefined, [
      {
        type: 'body',
        parameters: [
          { type: 'text', text: 'Ada', parameter_name: 'first_name' },
          { type: 'text', text: 'A B', parameter_name: 'order_id' },
        ],
      },
    ]);
  });

  it('omits empty component groups', () => {
    assert.deepEqual(renderTemplate({ channel: 'whatsapp', whatsapp: { name: 'hello_world', language: 'en_US' } }, context), {
      status: 'rendered',
      channel: 'whatsapp',
      name: 'hello_world',
      language: 'en_US',
      components: [],
    });
    const bodyOnly = renderTemplate(
      { channel: 'whatsapp', whatsapp: { name: 't', language: 'en', parameters: ['{{ lead.firstName }}'], headerParameters: [] } },
      context,
    );
    assert.deepEqual(bodyOnly.status === 'rendered' && bodyOnly.channel === 'whatsapp' && bodyOnly.components, [
      { type: 'body', parameters: [{ type: 'text', text: 'Ada' }] },
    ]);
  });

  it('does not HTML-escape and collapses long space runs the API rejects', () => {
    const result = renderTemplate(
      { channel: 'whatsapp', whatsapp: { name: 't', language: 'en', parameters: ['<b>&{{ lead.firstName }}</b>        x'] } },
      context,
    );
    assert.deepEqual(result.status === 'rendered' && result.channel === 'whatsapp' && result.components[0], {
      type: 'body',
      parameters: [{ type: 'text', text: '<b>&Ada</b>    x' }],
    });
  });

  it('refuses a parameter that renders empty', () => {
    assert.throws(
      () =>
        renderTemplate(
          { channel: 'whatsapp', whatsapp: { name: 't', language: 'en', parameters: ['x', "{{ lead.nickname | default: '' }}"] } },
          context,
        ),
      (err: unknown) =>
        err instanceof TemplateRenderError && err.code === 'render_invalid_output' && err.field === 'whatsapp.parameters[1]',
    );
  });
});
