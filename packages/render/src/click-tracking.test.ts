import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { buildClickUrl, parseClickUrl } from './index';
import { LruCache } from './lru-cache';
import { htmlEngine, textEngine } from './liquid-engine';

describe('click URL scheme', () => {
  it('round-trips the original URL and link index', () => {
    const original = 'https://example.com/path?q=a b&x=é#frag';
    const tracked = buildClickUrl('https://t.example/c', original, 3);
    assert.match(tracked, /^https:\/\/t\.example\/c\?u=[A-Za-z0-9_-]+&i=3$/);
    assert.deepEqual(parseClickUrl(tracked), { url: original, linkIndex: 3 });
  });

  it('appends to a base URL that already has a query', () => {
    const tracked = buildClickUrl('https://t.example/c?m=msg-1&sig=abc', 'https://example.com', 0);
    assert.equal(tracked, 'https://t.example/c?m=msg-1&sig=abc&u=aHR0cHM6Ly9leGFtcGxlLmNvbQ&i=0');
    assert.deepEqual(parseClickUrl(new URL(tracked)), { url: 'https://example.com', linkIndex: 0 });
  });

  it('refuses targets that are not http(s), and malformed input', () => {
    const evil = `https://t.example/c?u=${Buffer.from('javascript:alert(1)').toString('base64url')}&i=0`;
    assert.equal(parseClickUrl(evil), undefined);
    assert.equal(parseClickUrl('https://t.example/c?i=0'), undefined);
    assert.equal(parseClickUrl('https://t.example/c?u=aHR0cHM6Ly9leGFtcGxlLmNvbQ&i=x'), undefined);
    assert.equal(parseClickUrl('not a url'), undefined);
  });
});

describe('parse cache', () => {
  it('parses a template source once', () => {
    const source = `<p>{{ lead.first_name | default: "cache-test" }}</p>`;
    assert.equal(htmlEngine.parseCached(source), htmlEngine.parseCached(source));
    assert.equal(textEngine.parseCached(source), textEngine.parseCached(source));
    assert.notEqual(htmlEngine.parseCached(source), textEngine.parseCached(source));
  });

  it('evicts the least recently used entry', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    assert.equal(cache.get('a'), 1);
    cache.set('c', 3);
    assert.equal(cache.get('b'), undefined);
    assert.equal(cache.get('a'), 1);
    assert.equal(cache.get('c'), 3);
    assert.equal(cache.size, 2);
  });
});
