import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { AppError } from '../errors/app-error';

/**
 * AES-256-GCM envelope: `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url parts).
 * The key id lets old ciphertexts decrypt during a key rotation; the associated data binds a
 * ciphertext to its owner (e.g. the organization), so a row copied to another tenant fails to open.
 */
export const ENVELOPE_PATTERN = '^v1\\.[0-9a-f]{8}\\.[A-Za-z0-9_-]{16}\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]+$';

export class SecretBox {
  private readonly current: { id: string; key: Buffer };
  private readonly keys = new Map<string, Buffer>();

  constructor(currentKey: Buffer, previousKeys: Buffer[] = []) {
    for (const key of [currentKey, ...previousKeys]) {
      if (key.length !== 32) throw new Error('encryption keys must be 32 bytes');
      this.keys.set(keyId(key), key);
    }
    this.current = { id: keyId(currentKey), key: currentKey };
  }

  seal(plaintext: string, associatedData: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', this.current.id, b64(iv), b64(cipher.getAuthTag()), b64(ciphertext)].join('.');
  }

  open(envelope: string, associatedData: string): string {
    const parts = envelope.split('.');
    const key = this.keys.get(parts[1] ?? '');
    if (parts.length !== 5 || parts[0] !== 'v1' || !key) {
      throw new AppError('secret_decryption_failed', 'A stored secret could not be decrypted (unknown format or key)');
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(parts[2], 'base64url'));
      decipher.setAAD(Buffer.from(associatedData, 'utf8'));
      decipher.setAuthTag(Buffer.from(parts[3], 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(parts[4], 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new AppError('secret_decryption_failed', 'A stored secret failed authentication (tampered, or sealed for another owner)');
    }
  }

  /** A key for another purpose (e.g. signing tracking links), derived so there is one secret to manage. */
  deriveKey(purpose: string): Buffer {
    return derive(this.current.key, purpose);
  }

  /**
   * The same key derived from the current and every previous encryption key, current first: what was
   * signed before a rotation (links already in people's inboxes) still verifies while the old key is kept
   * in ENCRYPTION_PREVIOUS_KEYS.
   */
  deriveKeys(purpose: string): Buffer[] {
    return [this.current.key, ...[...this.keys.values()].filter((key) => key !== this.current.key)].map((key) => derive(key, purpose));
  }

  sealJson(value: unknown, associatedData: string): string {
    return this.seal(JSON.stringify(value), associatedData);
  }

  openJson<T>(envelope: string, associatedData: string): T {
    return JSON.parse(this.open(envelope, associatedData)) as T;
  }
}

export function parseKey(text: string): Buffer {
  const trimmed = text.trim();
  return /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
}

function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

function b64(buffer: Buffer): string {
  return buffer.toString('base64url');
}

function derive(key: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), `cadence:${purpose}`, 32));
}
