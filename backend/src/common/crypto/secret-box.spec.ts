import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from '@jest/globals';
import { ENVELOPE_PATTERN, parseKey, SecretBox } from './secret-box';

describe('SecretBox', () => {
  const key = randomBytes(32);

  it('round-trips and produces a fresh envelope each time', () => {
    const box = new SecretBox(key);
    const a = box.seal('s3cret', 'org:1');
    const b = box.seal('s3cret', 'org:1');
    assert.notEqual(a, b);
    assert.match(a, new RegExp(ENVELOPE_PATTERN));
    assert.equal(box.open(a, 'org:1'), 's3cret');
  });

  it('refuses another owner, a flipped bit, or an unknown key', () => {
    const box = new SecretBox(key);
    const sealed = box.seal('s3cret', 'org:1');
    assert.throws(() => box.open(sealed, 'org:2'), { code: 'secret_decryption_failed' });
    const parts = sealed.split('.');
    const ct = Buffer.from(parts[4], 'base64url');
    ct[0] ^= 1;
    assert.throws(() => box.open([...parts.slice(0, 4), ct.toString('base64url')].join('.'), 'org:1'), {
      code: 'secret_decryption_failed',
    });
    assert.throws(() => new SecretBox(randomBytes(32)).open(sealed, 'org:1'), { code: 'secret_decryption_failed' });
  });

  it('opens envelopes of a previous key during a rotation', () => {
    const old = new SecretBox(key);
    const sealed = old.seal('s3cret', 'org:1');
    const rotated = new SecretBox(randomBytes(32), [key]);
    assert.equal(rotated.open(sealed, 'org:1'), 's3cret');
    assert.notEqual(rotated.seal('x', 'o').split('.')[1], sealed.split('.')[1]);
  });

  it('reads keys as base64 or hex', () => {
    assert.deepEqual(parseKey(key.toString('hex')), key);
    assert.deepEqual(parseKey(key.toString('base64')), key);
  });
});
