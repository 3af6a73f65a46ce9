import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { buildRenderContext, renderTemplate, TemplateRenderError } from './index';

const context = buildRenderContext({ lead: { firstName: 'Ada' } });

function renderError(body: string, limits?: Parameters<typeof renderTemplate>[2]): TemplateRenderError {
  try {
    renderTemplate({ channel: 'sms', body }, context, limits);
  } catch (err) {
    assert.ok(err instanceof TemplateRenderError, String(err));
    return err;
  }
  assert.fail('expected a TemplateRenderError');
}

describe('safety', () => {
  it('never reads files through include, render or layout', () => {
    for (const body of [
      "{% include 'package.json' %}",
      "{% render '/etc/passwd' %}",
      "{% layout 'x' %}body",
      "{% liquid\ninclude 'x'\n%}",
    ]) {
      const err = renderError(body);
      assert.equal(err.code, 'template_syntax', body);
      assert.match(err.message, /is not allowed/);
    }
  });

  it('stops huge ranges through the memory limit', () => {
    const err = renderError('{% for i in (1..100000000) %}x{% endfor %}');
    assert.equal(err.code, 'render_memory_limit');
  });

  it('bounds the output length', () => {
    const err = renderError('{% for i in (1..2000) %}{% for j in (1..2000) %}xxxxxxxxxx{% endfor %}{% endfor %}', {
      limits: { outputLength: 100_000, renderTimeMs: 60_000 },
    });
    assert.equal(err.code, 'render_output_too_large');
    assert.equal(err.field, 'body');
    assert.equal(
      renderError('{% for i in (1..20) %}xxxxxxxxxx{% endfor %}', { limits: { outputLength: 100 } }).code,
      'render_output_too_large',
    );
  });

  it('bounds the render time', () => {
    const err = renderError('{% for i in (1..300) %}{% for j in (1..300) %}{% assign x = j | plus: i %}{% endfor %}{% endfor %}', {
      limits: { renderTimeMs: 1 },
    });
    assert.equal(err.code, 'render_time_limit');
  });

  it('bounds string-building filters through the memory limit', () => {
    const err = renderError("{% assign s = 'x' %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }}");
    assert.equal(err.code, 'render_memory_limit');
  });

  it('is a proper Error with a stable code', () => {
    const err = new TemplateRenderError('render_failed', 'boom', 'body', 1, 2);
    assert.ok(err instanceof Error);
    assert.equal(err.name, 'TemplateRenderError');
    assert.deepEqual([err.code, err.field, err.line, err.column], ['render_failed', 'body', 1, 2]);
  });
});
