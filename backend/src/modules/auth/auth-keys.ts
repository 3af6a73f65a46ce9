import { createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { SecretBox } from '../../common/crypto/secret-box';
import { Environment } from '../../config/environment';

/** HMAC keys for OAuth state and CSRF tokens: from SESSION_SECRET, else derived from the encryption key. */
export class AuthKeys {
  private readonly stateKey: Buffer;
  private readonly csrfKey: Buffer;

  constructor(env: Environment, box: SecretBox) {
    const root = env.SESSION_SECRET ? Buffer.from(env.SESSION_SECRET, 'utf8') : box.deriveKey('web-sessions');
    this.stateKey = Buffer.from(hkdfSync('sha256', root, Buffer.alloc(0), 'cadence:oauth-state', 32));
    this.csrfKey = Buffer.from(hkdfSync('sha256', root, Buffer.alloc(0), 'cadence:csrf', 32));
  }

  signState(value: string): string {
    return createHmac('sha256', this.stateKey).update(value).digest('base64url');
  }

  csrfToken(sessionId: string): string {
    return createHmac('sha256', this.csrfKey).update(sessionId).digest('base64url');
  }
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
