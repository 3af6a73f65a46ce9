import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { htmlToText } from './index';

describe('htmlToText', () => {
  it('keeps paragraphs, line breaks and bullets', () => {
    assert.equal(
      htmlToText('<div>Hi   there,</div><p>First<br/>second</p><ol><li>one</li><li>two <b>bold</b></li></ol><hr><p>end</p>'),
      'Hi there,\n\nFirst\nsecond\n\n- one\n- two bold\n\n---\n\nend',
    );
  });

  it('drops head, style, script, comments and hidden markup', () => {
    assert.equal(
      htmlToText('<head><title>T</title><meta charset=utf-8></head><style>.a{}</style><!-- c --><script>x()</script><p>Body</p>'),
      'Body',
    );
  });

  it('decodes entities and keeps lone < as text', () => {
    assert.equal(htmlToText('<p>a &lt; b &amp;&amp; c &gt; d &#8364; &#x1F600; &eacute; 1 < 2</p>'), 'a < b && c > d € 😀 &eacute; 1 < 2');
  });

  it('writes link targets once', () => {
    assert.equal(
      htmlToText(
        `<p><a href="https://a.example/x?y=1&amp;z=2">Read</a>, <a href="https://b.example">https://b.example</a>, ` +
          `<a href="mailto:hi@example.com">hi@example.com</a>, <a href="#x">anchor</a>, <a href="https://c.example"><img src=x></a></p>`,
      ),
      'Read (https://a.example/x?y=1&z=2), https://b.example, hi@example.com, anchor, https://c.example',
    );
  });

  it('is empty for empty html', () => {
    assert.equal(htmlToText(''), '');
    assert.equal(htmlToText('<p> </p>\n<div></div>'), '');
  });
});
