import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { TemplateRenderError } from './errors';
import { htmlToText } from './html-to-text';
import { renderTemplate } from './render-template';
import { buildRenderContext, sampleLead } from './render-context';

/**
 * One tenant's template must not keep a core busy: the Liquid render is bounded by time, memory and
 * output length, and every step after it (html -> text, tracking) is linear in that bounded output.
 * The bounds below are 10-20x what the linear code needs on a loaded 2-core machine and a fraction
 * of what the old quadratic html -> text pass took (seconds at 256 KB, 40 s at 1 MB).
 */
describe('post-render work is bounded by the output limit', () => {
  const elapsed = (fn: () => unknown): number => {
    const started = process.hrtime.bigint();
    fn();
    return Number(process.hrtime.bigint() - started) / 1e6;
  };

  it('html -> text of a 1 MB list, of 1 MB of links and of 1 MB of unclosed links each take well under 2 s', () => {
    for (const html of [
      '<li>'.repeat(250_000),
      '<a href="https://x.test/a">y</a>'.repeat(30_000),
      '<a href="https://x.test/">y'.repeat(36_000),
    ]) {
      assert.ok(html.length >= 900_000);
      const ms = elapsed(() => htmlToText(html));
      assert.ok(ms < 2000, `${html.slice(0, 20)}...: ${ms.toFixed(0)} ms`);
    }
  });

  it('a new <a> closes the open one, as browsers parse it: each link keeps its own target', () => {
    assert.equal(
      htmlToText('<a href="https://a.test/">one<a href="https://b.test/">two</a>'),
      'one (https://a.test/)two (https://b.test/)',
    );
  });

  it('a 40-character loop template is refused with a clear error, not rendered for seconds', () => {
    const template = { channel: 'email' as const, subject: 'x', html: '{% for i in (1..1000000) %}<li>{% endfor %}' };
    let error: unknown;
    const ms = elapsed(() => {
      try {
        renderTemplate(template, buildRenderContext({ lead: sampleLead }));
      } catch (caught) {
        error = caught;
      }
    });
    assert.ok(error instanceof TemplateRenderError, String(error));
    assert.match(error.code, /^render_(time_limit|output_too_large|memory_limit)$/);
    assert.ok(ms < 2000, `${ms.toFixed(0)} ms`);
  });
});
