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

describe('renderTemplate: whatsapp media headers', () => {
  const media = (headerMedia: Record<string, unknown>, lead: Record<string, unknown> = {}) =>
    renderTemplate(
      { channel: 'whatsapp', whatsapp: { name: 'launch_video', language: 'en_US', headerMedia: headerMedia as never, parameters: ['x'] } },
      buildRenderContext({ lead: { firstName: 'Ada', attributes: lead } }),
    );

  it('renders the link into the header parameter of its format (a document keeps its filename)', () => {
    const image = media({ format: 'image', link: 'https://cdn.example.com/{{ lead.sku }}.jpg' }, { sku: 'A 1' });
    assert.equal(image.status, 'rendered');
    assert.deepEqual((image as { components: unknown[] }).components[0], {
      type: 'header',
      parameters: [{ type: 'image', image: { link: 'https://cdn.example.com/A 1.jpg' } }],
    });
    const doc = media({ format: 'document', link: 'https://files.example.com/terms.pdf', filename: 'Terms for {{ lead.firstName }}' });
    assert.deepEqual((doc as { components: unknown[] }).components[0], {
      type: 'header',
      parameters: [{ type: 'document', document: { link: 'https://files.example.com/terms.pdf', filename: 'Terms for Ada' } }],
    });
  });

  it('refuses a link that is not a public https URL, whatever the lead data says', () => {
    for (const link of [
      'http://cdn.example.com/a.jpg',
      'https://127.0.0.1/a.jpg',
      'https://[::1]/a.jpg',
      'https://10.0.0.7/a.jpg',
      'https://localhost/a.jpg',
      'https://metadata.internal/a.jpg',
      'https://user:pw@cdn.example.com/a.jpg',
      'https://cdn.example.com:8443/a.jpg',
      'https://2130706433/a.jpg',
      'not a url',
    ]) {
      assert.throws(
        () => media({ format: 'image', link: '{{ lead.url }}' }, { url: link }),
        (e: unknown) => e instanceof TemplateRenderError && e.code === 'render_invalid_output' && /headerMedia\.link/.test(e.message),
        link,
      );
    }
  });

  it('a missing lead field skips like any other parameter', () => {
    assert.equal(media({ format: 'video', link: '{{ lead.video_url }}' }).status, 'skipped');
  });
});

describe('renderTemplate: whatsapp session text (inbox replies inside the 24-hour window)', () => {
  it('renders a body without an approved template as a text message, line breaks kept', () => {
    const result = renderTemplate({ channel: 'whatsapp', body: 'Hi {{ lead.firstName }},\nthanks for writing.' }, context);
    assert.deepEqual(result, {
      status: 'rendered',
      channel: 'whatsapp',
      name: '',
      language: '',
      components: [],
      text: 'Hi Ada,\nthanks for writing.',
    });
  });

  it('refuses a text that renders empty or longer than WhatsApp takes', () => {
    assert.throws(
      () => renderTemplate({ channel: 'whatsapp', body: '{{ lead.nothing | default: " " }}' }, context),
      (e: unknown) => e instanceof TemplateRenderError && e.code === 'render_invalid_output' && e.field === 'body',
    );
    assert.throws(
      () => renderTemplate({ channel: 'whatsapp', body: 'x'.repeat(4097) }, context),
      (e: unknown) => e instanceof TemplateRenderError && /at most 4096/.test(e.message),
    );
  });

  it('still needs an approved template when there is no body either', () => {
    assert.throws(
      () => renderTemplate({ channel: 'whatsapp' }, context),
      (e: unknown) => e instanceof TemplateRenderError && e.field === 'whatsapp',
    );
  });
});
