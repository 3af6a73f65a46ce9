import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { buildRenderContext, parseClickUrl, renderTemplate, sampleLead, TemplateRenderError } from './index';
import type { MessageTemplate, RenderOptions, RenderedEmail } from './index';

const context = buildRenderContext({
  lead: { ...sampleLead, firstName: `<Ada & "Co">`, attributes: { url: 'https://example.com/?a=1&b=2' } },
  message: { id: 'msg-1' },
});

function email(template: Omit<MessageTemplate, 'channel'>, options: RenderOptions = {}): RenderedEmail {
  const result = renderTemplate({ channel: 'email', subject: 'Hello', ...template }, context, options);
  assert.equal(result.status, 'rendered', JSON.stringify(result));
  assert.ok(result.status === 'rendered' && result.channel === 'email');
  return result;
}

const tracking = { clickBaseUrl: 'https://t.example/c', openPixelUrl: 'https://t.example/o/msg-1.gif?s=x&y=1' };
const unsubscribe = { url: 'https://app.example/u/abc?sig=1&m=2', mailto: 'unsubscribe@app.example' };

describe('email escaping', () => {
  it('escapes outputs in html but not in subject or text', () => {
    const out = email({ subject: 'Hi {{ lead.firstName }}', html: '<p>Hi {{ lead.firstName }}</p>', text: 'Hi {{ lead.firstName }}' });
    assert.equal(out.html, '<p>Hi &lt;Ada &amp; &#34;Co&#34;&gt;</p>');
    assert.equal(out.subject, 'Hi <Ada & "Co">');
    assert.equal(out.text, 'Hi <Ada & "Co">');
  });

  it('escapes inside attributes and lets | raw opt out', () => {
    const out = email({ html: `<a title="{{ lead.firstName }}" href="{{ lead.url }}">x</a>{{ "<b>bold</b>" | raw }}` });
    assert.equal(out.html, `<a title="&lt;Ada &amp; &#34;Co&#34;&gt;" href="https://example.com/?a=1&amp;b=2">x</a><b>bold</b>`);
  });

  it('escapes echo in html too', () => {
    assert.equal(email({ html: '<p>{% echo lead.firstName %}</p>' }).html, '<p>&lt;Ada &amp; &#34;Co&#34;&gt;</p>');
  });

  it('keeps a subject on one header line', () => {
    const out = renderTemplate(
      { channel: 'email', subject: 'Hi {{ lead.company }}', text: 'x' },
      buildRenderContext({ lead: { attributes: { company: 'Evil\r\nBcc: all@example.com' } } }),
    );
    assert.equal(out.status === 'rendered' && out.channel === 'email' && out.subject, 'Hi Evil Bcc: all@example.com');
  });
});

describe('email click tracking', () => {
  const html = [
    '<html><body>',
    `<a href="https://example.com/one">double</a>`,
    `<a class='btn' href='http://example.com/two?x=1&amp;y=2#frag'>single</a>`,
    `<a href=https://example.com/three>unquoted</a>`,
    `<A HREF = "HTTPS://EXAMPLE.COM/four" target="_blank">upper</A>`,
    `<a href="mailto:ada@example.com">mail</a><a href="tel:+14155550123">call</a><a href="#top">top</a>`,
    `<a href="/relative">relative</a><a name="anchor">no href</a>`,
    `<a href="{{ unsubscribe_url }}">unsubscribe</a>`,
    `<a data-no-track href="https://example.com/private">private</a>`,
    `<!-- <a href="https://example.com/commented">x</a> -->`,
    `<script>var s = '<a href="https://example.com/script">';</script>`,
    `<a title="a > b" href="https://example.com/five">gt in attribute</a>`,
    '</body></html>',
  ].join('\n');

  it('rewrites every http(s) link, in order, and nothing else', () => {
    const out = email({ html }, { tracking, unsubscribe });
    const hrefs = [...out.html!.matchAll(/href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi)].map((m) => m[1] ?? m[2] ?? m[3]);
    const decoded = hrefs.map((href) => {
      const target = href.startsWith('https://t.example/c?') ? parseClickUrl(href.replace(/&amp;/g, '&')) : undefined;
      return target ? `${target.linkIndex}:${target.url}` : href;
    });
    assert.deepEqual(decoded, [
      '0:https://example.com/one',
      '1:http://example.com/two?x=1&y=2#frag',
      '2:https://example.com/three',
      '3:HTTPS://EXAMPLE.COM/four',
      'mailto:ada@example.com',
      'tel:+14155550123',
      '#top',
      '/relative',
      'https://app.example/u/abc?sig=1&amp;m=2',
      'https://example.com/private',
      'https://example.com/commented',
      'https://example.com/script',
      '4:https://example.com/five',
    ]);
  });

  it('keeps quote styles and the rest of the markup byte for byte', () => {
    const out = email({ html }, { tracking: { clickUrl: (url, i) => `https://t.example/${i}?u=${encodeURIComponent(url)}` }, unsubscribe });
    assert.match(
      out.html!,
      /<a class='btn' href='https:\/\/t\.example\/1\?u=http%3A%2F%2Fexample\.com%2Ftwo%3Fx%3D1%26y%3D2%23frag'>single<\/a>/,
    );
    assert.match(out.html!, /<a href="https:\/\/t\.example\/2\?u=https%3A%2F%2Fexample\.com%2Fthree">unquoted<\/a>/);
    assert.match(out.html!, /<A HREF = "https:\/\/t\.example\/3\?u=HTTPS%3A%2F%2FEXAMPLE\.COM%2Ffour" target="_blank">upper<\/A>/);
    const untracked = out.html!.replace(/https:\/\/t\.example\/\d\?u=[^"'\s>]*/g, 'URL');
    const original = html
      .replace(/https:\/\/example\.com\/(one|three|five)/g, 'URL')
      .replace('http://example.com/two?x=1&amp;y=2#frag', 'URL')
      .replace('HTTPS://EXAMPLE.COM/four', 'URL')
      .replace('href=URL', 'href="URL"')
      .replace('{{ unsubscribe_url }}', 'https://app.example/u/abc?sig=1&amp;m=2');
    assert.equal(untracked, original);
  });

  it('passes the decoded URL and a 0-based index to clickUrl', () => {
    const seen: Array<[string, number]> = [];
    email(
      { html: `<a href="https://a.example/?x=1&amp;y=2">a</a> <a href="https://b.example/{{ lead.first_name | url_encode }}">b</a>` },
      { tracking: { clickUrl: (url, i) => (seen.push([url, i]), 'https://t.example/x') } },
    );
    assert.deepEqual(seen, [
      ['https://a.example/?x=1&y=2', 0],
      ['https://b.example/%3CAda+%26+%22Co%22%3E', 1],
    ]);
  });

  it('escapes the tracking URL for the attribute', () => {
    const out = email({ html: `<a href="https://a.example">a</a>` }, { tracking: { clickUrl: () => `https://t.example/?a=1&b="2"` } });
    assert.equal(out.html, `<a href="https://t.example/?a=1&amp;b=&quot;2&quot;">a</a>`);
  });

  it('leaves html alone without click options', () => {
    const source = `<a href="https://a.example">a</a>`;
    assert.equal(email({ html: source }).html, source);
    assert.equal(email({ html: source }, { tracking: {} }).html, source);
  });
});

describe('email open pixel', () => {
  it('goes just before </body>', () => {
    const out = email({ html: '<html><body><p>x</p></BODY></html>' }, { tracking });
    assert.equal(
      out.html,
      `<html><body><p>x</p><img src="https://t.example/o/msg-1.gif?s=x&amp;y=1" width="1" height="1" alt="" ` +
        `style="display:block;width:1px;height:1px;border:0;margin:0;padding:0;" /></BODY></html>`,
    );
  });

  it('goes at the end of a fragment without </body>', () => {
    const out = email({ html: '<p>x</p>' }, { tracking: { openPixelUrl: 'https://t.example/o' } });
    assert.match(out.html!, /^<p>x<\/p><img src="https:\/\/t\.example\/o" width="1" height="1"[^>]*\/>$/);
  });

  it('is not added to text-only email', () => {
    const out = email({ text: 'plain' }, { tracking });
    assert.equal(out.html, undefined);
    assert.equal(out.text, 'plain');
  });
});

describe('email unsubscribe', () => {
  it('adds RFC 8058 headers and exposes {{ unsubscribe_url }}', () => {
    const out = email({ html: `<a href="{{ unsubscribe_url }}">Unsubscribe</a>`, text: 'Leave: {{ unsubscribe_url }}' }, { unsubscribe });
    assert.deepEqual(out.headers, {
      'List-Unsubscribe': '<https://app.example/u/abc?sig=1&m=2>, <mailto:unsubscribe@app.example>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    assert.equal(out.html, `<a href="https://app.example/u/abc?sig=1&amp;m=2">Unsubscribe</a>`);
    assert.equal(out.text, 'Leave: https://app.example/u/abc?sig=1&m=2');
  });

  it('works with only a URL, and with a mailto: URI', () => {
    assert.deepEqual(email({ text: 'x' }, { unsubscribe: { url: 'https://app.example/u/1' } }).headers, {
      'List-Unsubscribe': '<https://app.example/u/1>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    assert.equal(
      email({ text: 'x' }, { unsubscribe: { url: 'https://app.example/u/1', mailto: 'mailto:u@app.example?subject=stop' } }).headers[
        'List-Unsubscribe'
      ],
      '<https://app.example/u/1>, <mailto:u@app.example?subject=stop>',
    );
  });

  it('has no headers without the option, and a missing unsubscribe_url skips', () => {
    assert.deepEqual(email({ text: 'x' }).headers, {});
    const result = renderTemplate({ channel: 'email', subject: 's', html: `<a href="{{ unsubscribe_url }}">u</a>` }, context);
    assert.deepEqual(result, { status: 'skipped', reason: 'missing_variable', variables: ['unsubscribe_url'] });
  });

  it('takes unsubscribe_url from buildRenderContext for previews', () => {
    const previewContext = buildRenderContext({ lead: sampleLead, tracking: { unsubscribeUrl: 'https://app.example/preview' } });
    const result = renderTemplate({ channel: 'email', subject: 's', text: '{{ unsubscribe_url }}' }, previewContext);
    assert.equal(result.status === 'rendered' && result.channel === 'email' && result.text, 'https://app.example/preview');
  });

  it('rejects header injection through the options', () => {
    assert.throws(
      () => email({ text: 'x' }, { unsubscribe: { url: 'https://a.example/', mailto: 'a@b.c>\r\nBcc: x@y.z' } }),
      (err: unknown) => err instanceof TemplateRenderError && err.code === 'invalid_option',
    );
    assert.throws(
      () => email({ text: 'x' }, { unsubscribe: { url: 'javascript:alert(1)' } }),
      (err: unknown) => err instanceof TemplateRenderError && err.code === 'invalid_option',
    );
    // The URL parser percent-encodes what would break out of <...>.
    assert.equal(
      email({ text: 'x' }, { unsubscribe: { url: 'https://a.example/u?x=<y> z' } }).headers['List-Unsubscribe'],
      '<https://a.example/u?x=%3Cy%3E%20z>',
    );
  });
});

describe('email text part', () => {
  it('is generated from the untracked html when text is absent', () => {
    const html = [
      '<html><head><title>T</title><style>p { color: red }</style></head><body>',
      '<h1>Hello   {{ lead.first_name }}</h1>',
      '<p>Line one<br>Line two &amp; more&nbsp;text</p>',
      `<p>Visit <a href="https://example.com/x">our site</a> or <a href="https://example.com/y">https://example.com/y</a>.</p>`,
      '<ul><li>First</li><li>Second</li></ul>',
      '<table><tr><td>A</td><td>B</td></tr></table>',
      '<script>ignored()</script><!-- hidden -->',
      '</body></html>',
    ].join('\n');
    const out = email({ html }, { tracking });
    assert.equal(
      out.text,
      [
        'Hello <Ada & "Co">',
        '',
        'Line one',
        'Line two & more text',
        '',
        'Visit our site (https://example.com/x) or https://example.com/y.',
        '',
        '- First',
        '- Second',
        '',
        'A B',
      ].join('\n'),
    );
  });

  it('uses the explicit text part when given', () => {
    assert.equal(email({ html: '<p>html</p>', text: 'Text for {{ lead.first_name }}' }).text, 'Text for <Ada & "Co">');
  });
});

describe('email output checks', () => {
  it('refuses a subject that renders empty', () => {
    assert.throws(
      () => email({ subject: '{% if false %}x{% endif %}', text: 't' }),
      (err: unknown) => err instanceof TemplateRenderError && err.code === 'render_invalid_output' && err.field === 'subject',
    );
  });

  it('refuses an invalid template with template_invalid', () => {
    assert.throws(
      () => renderTemplate({ channel: 'email', subject: 's' }, context),
      (err: unknown) => err instanceof TemplateRenderError && err.code === 'template_invalid' && err.field === 'html',
    );
  });

  it('reports syntax errors with field and position', () => {
    assert.throws(
      () => renderTemplate({ channel: 'email', subject: 's', html: '<p>\n{{ x | nope }}</p>' }, context),
      (err: unknown) =>
        err instanceof TemplateRenderError && err.code === 'template_syntax' && err.field === 'html' && err.line === 2 && err.column === 8,
    );
  });
});
