import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { describe, it } from '@jest/globals';
import { SecretBox } from '../../common/crypto/secret-box';
import { TOKEN_PURPOSES, TrackingTokens } from './tracking-tokens';

describe('tracking tokens', () => {
  const before = randomBytes(32);
  const after = randomBytes(32);

  it('verify what they signed, and refuse a token with another message id or MAC', () => {
    const tokens = new TrackingTokens(new SecretBox(before));
    const id = randomUUID();
    const token = tokens.sign(id, 'unsubscribe');
    assert.equal(tokens.verify(token, 'unsubscribe'), id);
    const other = tokens.sign(randomUUID(), 'unsubscribe');
    assert.equal(tokens.verify(`${other.slice(0, 23)}${token.slice(23)}`, 'unsubscribe'), undefined, "another id with this token's MAC");
    const flipped = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    assert.equal(tokens.verify(flipped, 'unsubscribe'), undefined, 'an altered MAC');
    for (const bad of ['not-a-token', '', token.slice(1), `2${token.slice(1)}`, `${token}x`, `${token.slice(0, 23)}.${token.slice(23)}`])
      assert.equal(tokens.verify(bad, 'unsubscribe'), undefined, bad);
  });

  it('a token is valid only for its own purpose: a pixel or click token cannot unsubscribe', () => {
    const tokens = new TrackingTokens(new SecretBox(before));
    const id = randomUUID();
    for (const signed of TOKEN_PURPOSES) {
      const token = tokens.sign(id, signed);
      for (const used of TOKEN_PURPOSES)
        assert.equal(tokens.verify(token, used), signed === used ? id : undefined, `${signed} token on ${used}`);
    }
    const all = TOKEN_PURPOSES.map((p) => tokens.sign(id, p));
    assert.equal(new Set(all).size, 3, 'three different tokens');
  });

  it('stay as short as the one-token format (45 characters, URL-safe)', () => {
    const tokens = new TrackingTokens(new SecretBox(before));
    const id = randomUUID();
    for (const p of TOKEN_PURPOSES) assert.match(tokens.sign(id, p), /^1[\w-]{44}$/);
    assert.equal(tokens.signLegacy(id).length, 45);
  });

  it('links sent before purpose-bound tokens (one token for every link) keep working on every route', () => {
    const tokens = new TrackingTokens(new SecretBox(before));
    const id = randomUUID();
    const legacy = tokens.signLegacy(id);
    assert.match(legacy, /^[\w-]{22}\.[\w-]{22}$/);
    for (const p of TOKEN_PURPOSES) assert.equal(tokens.verify(legacy, p), id, `legacy token on ${p}`);
    const [idPart, macPart] = legacy.split('.');
    assert.equal(tokens.verify(`${tokens.signLegacy(randomUUID()).split('.')[0]}.${macPart}`, 'unsubscribe'), undefined);
    assert.equal(tokens.verify(`1${idPart}${macPart}`, 'unsubscribe'), undefined, 'a legacy MAC does not make a purpose-bound token');
  });

  it('links sent before an encryption-key rotation keep working while the old key is a previous key', () => {
    const id = randomUUID();
    const old = new TrackingTokens(new SecretBox(before));
    const rotated = new TrackingTokens(new SecretBox(after, [before]));
    for (const p of TOKEN_PURPOSES) {
      const sentBefore = old.sign(id, p);
      assert.equal(rotated.verify(sentBefore, p), id);
      assert.notEqual(rotated.sign(id, p), sentBefore, 'new links are signed with the new key');
      assert.equal(new TrackingTokens(new SecretBox(after)).verify(sentBefore, p), undefined, 'and only while the old key is kept');
    }
    assert.equal(rotated.verify(old.signLegacy(id), 'unsubscribe'), id, 'a legacy link across the rotation too');
    assert.equal(rotated.verify(old.sign(id, 'open'), 'unsubscribe'), undefined, 'purpose still bound across the rotation');
  });
});
