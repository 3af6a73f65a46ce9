import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { validateTemplate } from './index';
import type { MessageTemplate, TemplateFieldError } from './index';

function errorsOf(template: MessageTemplate): TemplateFieldError[] {
  const result = validateTemplate(template);
  return result.ok ? [] : result.errors;
}

describe('validateTemplate: Liquid positions', () => {
  it('reports an unknown filter on line 3 of a multi-line html body, pointing at the filter name', () => {
    const html = '<html>\n  <body>\n    <p>Hi {{ lead.firstName | shout }}</p>\n  </body>\n</html>';
    assert.deepEqual(errorsOf({ channel: 'email', subject: 'Hi', html }), [
      { field: 'html', line: 3, column: 31, code: 'template_unknown_filter', message: 'undefined filter: shout' },
    ]);
    assert.equal(html.split('\n')[2].slice(30, 35), 'shout');
  });

  it('reports an unclosed output with its opening position', () => {
    const errors = errorsOf({ channel: 'email', subject: 'Hi', html: '<p>one</p>\n<p>two</p>\n<p>{{ lead.firstName </p>' });
    assert.equal(errors.length, 1);
    assert.deepEqual(
      { field: errors[0].field, line: errors[0].line, column: errors[0].column, code: errors[0].code },
      { field: 'html', line: 3, column: 4, code: 'template_syntax' },
    );
    assert.doesNotMatch(errors[0].message, /line:\d/);
  });

  it('reports an unclosed block tag where it opens', () => {
    const errors = errorsOf({ channel: 'sms', body: 'Hello\n\n  {% if lead.vip %}VIP' });
    assert.equal(errors[0].code, 'template_syntax');
    assert.equal(errors[0].field, 'body');
    assert.equal(errors[0].line, 3);
    assert.equal(errors[0].column, 3);
  });

  it('reports unknown tags', () => {
    const errors = errorsOf({ channel: 'email', subject: '{% shout %}', text: 'x' });
    assert.deepEqual(
      errors.map((e) => [e.field, e.code, e.line, e.column]),
      [['subject', 'template_unknown_tag', 1, 1]],
    );
  });

  it('counts columns from 1 after Windows line endings too', () => {
    const errors = errorsOf({ channel: 'sms', body: 'a\r\nb\r\n{{ x | nope }}' });
    assert.equal(errors[0].line, 3);
    assert.equal(errors[0].column, 8);
  });

  it('names the whatsapp parameter that is broken', () => {
    const errors = errorsOf({
      channel: 'whatsapp',
      whatsapp: { name: 'promo', language: 'en_US', parameters: ['{{ lead.firstName }}', '{{ lead.company | nope }}'] },
    });
    assert.deepEqual(
      errors.map((e) => [e.field, e.code, e.line, e.column]),
      [['whatsapp.parameters[1]', 'template_unknown_filter', 1, 19]],
    );
  });

  it('flags variables outside the render context, with their position', () => {
    const errors = errorsOf({ channel: 'email', subject: 'Hi', html: '<p>\n  {{ leed.firstName }}</p>' });
    assert.deepEqual(
      errors.map((e) => [e.field, e.code, e.line, e.column]),
      [['html', 'template_unknown_variable', 2, 6]],
    );
  });

  it('accepts locals, loops and every context root', () => {
    const html =
      "{% assign greeting = 'Hi' %}{% capture who %}{{ lead.first_name | default: 'there' }}{% endcapture %}" +
      '{{ greeting }} {{ who }}{% for tag in lead.tags %}{{ forloop.index }}:{{ tag }}{% endfor %}' +
      '{{ sender.name }} {{ campaign.name }} {{ message.id }} <a href="{{ unsubscribe_url }}">x</a> {{ unsubscribeUrl }}';
    assert.deepEqual(validateTemplate({ channel: 'email', subject: "Hi {{ lead.firstName | default: 'you' }}", html }), {
      ok: true,
    });
  });

  it('refuses include, render and layout (no file access)', () => {
    for (const tag of ["{% include 'secrets' %}", "{% render '/etc/passwd' %}", "{% layout 'base' %}"]) {
      const errors = errorsOf({ channel: 'sms', body: `Hello\n{% if true %}${tag}{% endif %}` });
      assert.equal(errors.length, 1, tag);
      assert.equal(errors[0].code, 'template_forbidden_tag');
      assert.equal(errors[0].line, 2);
      assert.equal(errors[0].column, 14);
    }
  });

  it('refuses templates over the size limit', () => {
    const errors = errorsOf({ channel: 'sms', body: 'x'.repeat(300 * 1024) });
    assert.equal(errors[0].code, 'template_too_large');
  });
});

describe('validateTemplate: required fields per channel', () => {
  it('email needs a subject and html or text', () => {
    assert.deepEqual(
      errorsOf({ channel: 'email' }).map((e) => [e.field, e.code, e.line, e.column]),
      [
        ['subject', 'template_missing_field', 0, 0],
        ['html', 'template_missing_field', 0, 0],
      ],
    );
    assert.deepEqual(validateTemplate({ channel: 'email', subject: 's', text: 't' }), { ok: true });
    assert.deepEqual(validateTemplate({ channel: 'email', subject: 's', html: '<p>h</p>' }), { ok: true });
    assert.equal(errorsOf({ channel: 'email', subject: '  ', html: 'x' })[0].field, 'subject');
  });

  it('sms needs a body', () => {
    assert.deepEqual(
      errorsOf({ channel: 'sms', subject: 'ignored' }).map((e) => [e.field, e.code]),
      [['body', 'template_missing_field']],
    );
  });

  it("whatsapp needs name and language, in WhatsApp's format", () => {
    assert.deepEqual(
      errorsOf({ channel: 'whatsapp' }).map((e) => [e.field, e.code]),
      [['whatsapp', 'template_missing_field']],
    );
    assert.deepEqual(
      errorsOf({ channel: 'whatsapp', whatsapp: { name: '', language: '' } }).map((e) => [e.field, e.code]),
      [
        ['whatsapp.name', 'template_missing_field'],
        ['whatsapp.language', 'template_missing_field'],
      ],
    );
    assert.deepEqual(
      errorsOf({ channel: 'whatsapp', whatsapp: { name: 'Spring Promo', language: 'en_US' } }).map((e) => [e.field, e.code]),
      [['whatsapp.name', 'template_invalid_field']],
    );
    assert.deepEqual(validateTemplate({ channel: 'whatsapp', whatsapp: { name: 'spring_promo', language: 'en_US' } }), {
      ok: true,
    });
  });

  it('voice needs a script, or a wss streamUrl in agent mode', () => {
    assert.deepEqual(
      errorsOf({ channel: 'voice', voice: {} }).map((e) => [e.field, e.code]),
      [['voice.script', 'template_missing_field']],
    );
    assert.deepEqual(
      errorsOf({ channel: 'voice', voice: { mode: 'agent' } }).map((e) => [e.field, e.code]),
      [['voice.streamUrl', 'template_missing_field']],
    );
    assert.deepEqual(
      errorsOf({ channel: 'voice', voice: { mode: 'agent', streamUrl: 'https://agent.example/stream' } }).map((e) => [e.field, e.code]),
      [['voice.streamUrl', 'template_invalid_field']],
    );
    assert.deepEqual(validateTemplate({ channel: 'voice', voice: { mode: 'agent', streamUrl: 'wss://agent.example/s' } }), { ok: true });
    assert.deepEqual(validateTemplate({ channel: 'voice', voice: { script: "Hello {{ lead.firstName | default: 'there' }}" } }), {
      ok: true,
    });
  });

  it('rejects an unknown channel', () => {
    const errors = errorsOf({ channel: 'fax' } as unknown as MessageTemplate);
    assert.deepEqual(
      errors.map((e) => [e.field, e.code]),
      [['channel', 'template_invalid_field']],
    );
  });

  it('reports every broken field, not only the first', () => {
    const errors = errorsOf({ channel: 'email', subject: '{{ a | nope }}', html: '{% if %}', text: '{{ lead.x ' });
    assert.deepEqual(
      errors.map((e) => e.field),
      ['subject', 'html', 'text'],
    );
  });
});

describe('validateTemplate: whatsapp media headers', () => {
  const check = (headerMedia: unknown) =>
    errorsOf({ channel: 'whatsapp', whatsapp: { name: 'launch_video', language: 'en_US', headerMedia: headerMedia as never } });

  it('accepts Liquid or a public https URL, refuses a plain link to a private host and a bad format', () => {
    assert.deepEqual(check({ format: 'image', link: '{{ lead.header_image_url }}' }), []);
    assert.deepEqual(check({ format: 'document', link: 'https://files.example.com/a.pdf', filename: 'a.pdf' }), []);
    assert.deepEqual(
      check({ format: 'image', link: 'https://192.168.1.10/a.jpg' }).map((e) => [e.field, e.code]),
      [['whatsapp.headerMedia.link', 'template_invalid_field']],
    );
    assert.deepEqual(
      check({ format: 'gif', link: '' }).map((e) => e.field),
      ['whatsapp.headerMedia.format', 'whatsapp.headerMedia.link'],
    );
    assert.notDeepEqual(check({ format: 'image', link: '{{ lead.url ' }), [], 'Liquid is parsed too');
  });
});
