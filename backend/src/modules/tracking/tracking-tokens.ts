import { Injectable } from '@nestjs/common';
import { createHmac, createSecretKey, KeyObject, timingSafeEqual } from 'node:crypto';
import { SecretBox } from '../../common/crypto/secret-box';

/**
 * Opaque, unguessable tokens for tracking and unsubscribe links: the message id and a truncated
 * HMAC. They carry no personal data and cannot be forged to unsubscribe someone else.
 */
@Injectable()
export class TrackingTokens {
  // KeyObjects, not Buffers: each lease signs a token per message, and a raw key is re-imported on every HMAC.
  // The first signs; all verify, so links sent before an encryption-key rotation keep working.
  private readonly keys: KeyObject[];

  constructor(box: SecretBox) {
    this.keys = box.deriveKeys('tracking-links').map((key) => createSecretKey(key));
  }

  sign(messageId: string): string {
    const id = Buffer.from(messageId.replace(/-/g, ''), 'hex');
    return `${id.toString('base64url')}.${mac(this.keys[0], id)}`;
  }

  /**
   * The key a campaign's click targets are signed with (handed to n8n in the lease, base64url): per
   * campaign, so a leak of one lease's key re-aims no other campaign's links, and equal for every message
   * of the campaign, so Mailgun batches of one template still render identically.
   */
  clickKey(campaignId: string): string {
    return clickKeyOf(this.keys[0], campaignId);
  }

  /** Every key a click of this campaign may have been signed with (the current first, then before a rotation). */
  clickKeys(campaignId: string): string[] {
    return this.keys.map((key) => clickKeyOf(key, campaignId));
  }

  verify(token: string): string | undefined {
    const [idPart, macPart] = token.split('.');
    if (!idPart || !macPart) return undefined;
    const id = Buffer.from(idPart, 'base64url');
    if (id.length !== 16) return undefined;
    const given = Buffer.from(macPart);
    const valid = this.keys.some((key) => {
      const expected = Buffer.from(mac(key, id));
      return expected.length === given.length && timingSafeEqual(expected, given);
    });
    if (!valid) return undefined;
    const hex = id.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
}

function mac(key: KeyObject, id: Buffer): string {
  return createHmac('sha256', key).update(id).digest().subarray(0, 16).toString('base64url');
}

function clickKeyOf(key: KeyObject, campaignId: string): string {
  return createHmac('sha256', key).update(`click:${campaignId}`).digest().toString('base64url');
}
