import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { buildRenderContext, countSmsSegments, renderTemplate, TemplateRenderError } from './index';

describe('countSmsSegments: GSM-7', () => {
  it('counts a short ASCII text', () => {
    assert.deepEqual(countSmsSegments('Hello world'), { encoding: 'GSM-7', segments: 1, characters: 11, units: 11 });
  });

  it('has 0 segments for an empty text', () => {
    assert.deepEqual(countSmsSegments(''), { encoding: 'GSM-7', segments: 0, characters: 0, units: 0 });
  });

  it('fits 160 characters in one part and splits by 153 beyond', () => {
    assert.equal(countSmsSegments('a'.repeat(160)).segments, 1);
    assert.equal(countSmsSegments('a'.repeat(161)).segments, 2);
    assert.equal(countSmsSegments('a'.repeat(306)).segments, 2);
    assert.equal(countSmsSegments('a'.repeat(307)).segments, 3);
    assert.equal(countSmsSegments('a'.repeat(459)).segments, 3);
    assert.equal(countSmsSegments('a'.repeat(460)).segments, 4);
  });

  it('keeps accented letters of the GSM alphabet in GSM-7', () => {
    const info = countSmsSegments('Ça va? Où êtes-vous... no: Où étiez-vous? ÄÖÜäöüßñÑ£¥@§¿¡ΔΦΓΛΩΠΨΣΘΞ');
    assert.equal(info.encoding, 'UCS-2'); // "ê" is not in GSM 03.38
    assert.equal(countSmsSegments('Où étiez-vous? ÄÖÜäöüßñÑ£¥@§¿¡ΔΦΓΛΩΠΨΣΘΞ\n\r').encoding, 'GSM-7');
  });

  it('counts extension characters as two septets', () => {
    assert.deepEqual(countSmsSegments('€10 [x] {y} ~z | a\\b ^'), {
      encoding: 'GSM-7',
      segments: 1,
      characters: 22,
      units: 31,
    });
    assert.equal(countSmsSegments('€'.repeat(80)).segments, 1); // 160 septets
    assert.equal(countSmsSegments('€'.repeat(81)).segments, 2); // 76 + 5: a part holds 76 pairs
    assert.equal(countSmsSegments('€'.repeat(153)).segments, 3); // 76 + 76 + 1
  });

  it('never splits an escape pair across parts', () => {
    // 306 septets would be 2 parts if the pair could straddle; it cannot, so 3.
    const text = 'a'.repeat(152) + '€' + 'b'.repeat(152);
    assert.equal(countSmsSegments(text).units, 306);
    assert.equal(countSmsSegments(text).segments, 3);
  });
});

describe('countSmsSegments: UCS-2', () => {
  it('switches to UCS-2 for one character outside GSM-7', () => {
    assert.deepEqual(countSmsSegments('Hello 你好'), { encoding: 'UCS-2', segments: 1, characters: 8, units: 8 });
    assert.equal(countSmsSegments('Smart quotes ’').encoding, 'UCS-2');
  });

  it('fits 70 code units in one part and splits by 67 beyond', () => {
    assert.equal(countSmsSegments('你'.repeat(70)).segments, 1);
    assert.equal(countSmsSegments('你'.repeat(71)).segments, 2);
    assert.equal(countSmsSegments('你'.repeat(134)).segments, 2);
    assert.equal(countSmsSegments('你'.repeat(135)).segments, 3);
  });

  it('counts UTF-16 code units: an emoji is 2', () => {
    assert.deepEqual(countSmsSegments('😀'.repeat(35)), { encoding: 'UCS-2', segments: 1, characters: 35, units: 70 });
    assert.deepEqual(countSmsSegments('😀'.repeat(36)), { encoding: 'UCS-2', segments: 2, characters: 36, units: 72 });
    assert.equal(countSmsSegments('😀'.repeat(67)).segments, 3); // 33 pairs per 67-unit part
  });

  it('never splits a surrogate pair across parts', () => {
    const text = 'a'.repeat(66) + '😀' + 'b'.repeat(66);
    assert.equal(countSmsSegments(text).units, 134);
    assert.equal(countSmsSegments(text).segments, 3);
  });
});

describe('renderTemplate: sms', () => {
  const context = buildRenderContext({ lead: { firstName: 'Zoë', attributes: { code: 'SAVE10' } } });

  it('renders the body raw and reports its encoding', () => {
    const result = renderTemplate({ channel: 'sms', body: 'Hi {{ lead.firstName }} & co, code <{{ lead.code }}>\n' }, context);
    assert.deepEqual(result, {
      status: 'rendered',
      channel: 'sms',
      body: 'Hi Zoë & co, code <SAVE10>',
      encoding: 'UCS-2',
      segments: 1,
      characters: 26,
      units: 26,
    });
  });

  it('refuses a body that renders empty', () => {
    assert.throws(
      () => renderTemplate({ channel: 'sms', body: '{% if false %}x{% endif %}' }, context),
      (err: unknown) => err instanceof TemplateRenderError && err.code === 'render_invalid_output' && err.field === 'body',
    );
  });
});
