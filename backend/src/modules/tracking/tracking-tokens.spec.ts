import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { describe, it } from '@jest/globals';
import { SecretBox } from '../../common/crypto/secret-box';
import { TrackingTokens } from './tracking-tokens';

describe('tracking tokens', () => {
  const before = randomBytes(32);
  const after = randomBytes(32);

  it('verify what they signed, and refuse a token with another message id or MAC', () => {
    const tokens = new TrackingTokens(new SecretBox(before));
    const id = randomUUID();
    const token = tokens.sign(id);
    assert.equal(tokens.verify(token), id);
    assert.equal(tokens.verify(`${tokens.sign(randomUUID()).split('.')[0]}.${token.split('.')[1]}`), undefined);
    assert.equal(tokens.verify('not-a-token'), undefined);
  });

  it('links sent before an encryption-key rotation keep working while the old key is a previous key', () => {
    const id = randomUUID();
    const sentBefore = new TrackingTokens(new SecretBox(before)).sign(id);
    const rotated = new TrackingTokens(new SecretBox(after, [before]));
    assert.equal(rotated.verify(sentBefore), id);
    assert.notEqual(rotated.sign(id), sentBefore, 'new links are signed with the new key');
    assert.equal(new TrackingTokens(new SecretBox(after)).verify(sentBefore), undefined, 'and only while the old key is kept');
  });
});
