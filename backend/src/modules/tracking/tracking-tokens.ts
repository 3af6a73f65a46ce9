import { Injectable } from '@nestjs/common';
import { createHmac, createSecretKey, KeyObject, timingSafeEqual } from 'node:crypto';
import { SecretBox } from '../../common/crypto/secret-box';

/**
 * What a token may be used for: the open pixel, the click redirect, the unsubscribe page and one-click;
 * and a voice agent's outcome report (`agent`: never a link in a message, so never a legacy token).
 */
export type TokenPurpose = 'open' | 'click' | 'unsubscribe' | 'agent';
export const TOKEN_PURPOSES: readonly TokenPurpose[] = ['open', 'click', 'unsubscribe'];

/** A purpose-bound token (not the legacy one-token-for-every-link format). */
export const isBoundToken = (token: string): boolean => BOUND.test(token);

/** Marks the purpose-bound format; a base64url message id never carries a prefix, so legacy tokens stay recognisable. */
const VERSION = '1';
const ID_CHARS = 22; // base64url of the 16-byte message id
const MAC_CHARS = 22; // base64url of the 16-byte truncated HMAC-SHA256

/**
 * Opaque, unguessable tokens for tracking and unsubscribe links: the message id and a truncated
 * HMAC. They carry no personal data and cannot be forged to unsubscribe someone else.
 *
 * Each link has its own token: the MAC covers the purpose (`1<id><mac>`, 45 characters like the
 * earlier format, so SMS links do not grow), so a pixel URL logged by an image proxy or a click URL
 * shared onwards cannot unsubscribe the person.
 *
 * Legacy tokens (`<id>.<mac>`, one token for all three links) are still in people's inboxes, and their
 * unsubscribe links must keep working (a legal requirement). Nothing in a legacy token says which link it
 * came from, so it is accepted on every route as before; only tokens signed since the purpose-bound
 * format are limited to their own route. The two formats cannot be confused: a legacy MAC is over the
 * 16-byte id alone, a purpose-bound one over `v1:<purpose>:` and the id.
 */
@Injectable()
export class TrackingTokens {
  // KeyObjects, not Buffers: each lease signs tokens per message, and a raw key is re-imported on every HMAC.
  // The first signs; all verify, so links sent before an encryption-key rotation keep working.
  private readonly keys: KeyObject[];

  constructor(box: SecretBox) {
    this.keys = box.deriveKeys('tracking-links').map((key) => createSecretKey(key));
  }

  sign(messageId: string, purpose: TokenPurpose): string {
    const id = idBytes(messageId);
    return `${VERSION}${id.toString('base64url')}${mac(this.keys[0], boundInput(purpose, id))}`;
  }

  /** The earlier one-token-for-every-link format; only tests sign it now, to prove old links keep working. */
  signLegacy(messageId: string): string {
    const id = idBytes(messageId);
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

  /** The message id a token of this route names, or undefined for a forged, altered or other-purpose token. */
  verify(token: string, purpose: TokenPurpose): string | undefined {
    const parsed = parse(token);
    if (!parsed) return undefined;
    const input = parsed.legacy ? parsed.id : boundInput(purpose, parsed.id);
    const given = Buffer.from(parsed.mac);
    const valid = this.keys.some((key) => {
      const expected = Buffer.from(mac(key, input));
      return expected.length === given.length && timingSafeEqual(expected, given);
    });
    if (!valid) return undefined;
    const hex = parsed.id.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
}

const LEGACY = new RegExp(`^([\\w-]{${ID_CHARS}})\\.([\\w-]+)$`);
const BOUND = new RegExp(`^${VERSION}([\\w-]{${ID_CHARS}})([\\w-]{${MAC_CHARS}})$`);

function parse(token: string): { id: Buffer; mac: string; legacy: boolean } | undefined {
  const legacy = LEGACY.exec(token);
  const bound = legacy ? undefined : BOUND.exec(token);
  const [, idPart, macPart] = legacy ?? bound ?? [];
  if (idPart === undefined || macPart === undefined) return undefined;
  const id = Buffer.from(idPart, 'base64url');
  // Canonical encodings only: one spelling per token (the per-token rate limit counts spellings).
  if (id.toString('base64url') !== idPart) return undefined;
  return { id, mac: macPart, legacy: legacy !== null };
}

function idBytes(messageId: string): Buffer {
  return Buffer.from(messageId.replace(/-/g, ''), 'hex');
}

function boundInput(purpose: TokenPurpose, id: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`v${VERSION}:${purpose}:`), id]);
}

function mac(key: KeyObject, input: Buffer): string {
  return createHmac('sha256', key).update(input).digest().subarray(0, 16).toString('base64url');
}

function clickKeyOf(key: KeyObject, campaignId: string): string {
  return createHmac('sha256', key).update(`click:${campaignId}`).digest().toString('base64url');
}
