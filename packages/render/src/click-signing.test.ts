import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { buildClickUrl, clickSignatureMatches, parseClickUrl } from './click-tracking';

const KEY = Buffer.alloc(32, 3).toString('base64url');

describe('click signatures', () => {
  it('a link built with a key parses back with a signature that matches only its own index and target', () => {
    const target = parseClickUrl(buildClickUrl('https://t.example/t/c/tok', 'https://shop.example/a?b=1', 2, KEY))!;
    assert.deepEqual([target.url, target.linkIndex], ['https://shop.example/a?b=1', 2]);
    assert.ok(clickSignatureMatches(KEY, target));
    assert.equal(clickSignatureMatches(KEY, { ...target, linkIndex: 3 }), false);
    assert.equal(clickSignatureMatches(KEY, { ...target, url: 'https://evil.example/' }), false);
  });

  it('a link built without a key has no signature, and never matches', () => {
    const target = parseClickUrl(buildClickUrl('https://t.example/t/c/tok', 'https://shop.example/', 0))!;
    assert.equal(target.signature, undefined);
    assert.equal(clickSignatureMatches(KEY, target), false);
  });
});
