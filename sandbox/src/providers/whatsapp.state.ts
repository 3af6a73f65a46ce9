import type { Resettable } from '../context';
import { WhatsappTemplateCatalog } from './whatsapp.templates';

export interface WhatsappWebhookConfig {
  url: string;
  verifyToken: string;
  /** Overrides the registered / default app secret for signing this webhook. */
  appSecret?: string;
  verifiedAt: string;
}

/** The customer-service window: free-form messages only within 24 hours of the user's last message. */
export const WHATSAPP_WINDOW_MS = 24 * 3_600_000;

/** Meta's throughput levels: 80 messages/s by default, up to 1,000 for a number upgraded to high throughput. */
export const WHATSAPP_THROUGHPUT = { STANDARD: 80, HIGH: 1000 } as const;
export type WhatsappThroughputLevel = keyof typeof WHATSAPP_THROUGHPUT;
/** The business portfolio's messaging limit: unique recipients of business-initiated messages per rolling 24 hours. */
export const WHATSAPP_MESSAGING_TIERS = ['TIER_250', 'TIER_1K', 'TIER_2K', 'TIER_10K', 'TIER_100K', 'TIER_UNLIMITED'] as const;
export type WhatsappMessagingTier = (typeof WHATSAPP_MESSAGING_TIERS)[number];

export interface WhatsappNumberInfo {
  displayPhoneNumber?: string;
  wabaId?: string;
  throughputLevel?: WhatsappThroughputLevel;
  messagingLimitTier?: WhatsappMessagingTier;
}

export class WhatsappState implements Resettable {
  /** Keyed by phone number id; `*` applies to every number without its own. */
  readonly webhooks = new Map<string, WhatsappWebhookConfig>();
  readonly numbers = new Map<string, WhatsappNumberInfo>();
  /** Message templates per business account (WABA id). */
  readonly templates = new WhatsappTemplateCatalog();
  /** From the environment, once verified; survives resets like the rest of the startup configuration. */
  defaultWebhook: WhatsappWebhookConfig | undefined;
  /** When each user last wrote to each number (`<phone number id>:<wa id>`): opens the 24-hour window. */
  private readonly lastInbound = new Map<string, number>();

  noteInbound(phoneNumberId: string, waId: string, at = Date.now()): void {
    this.lastInbound.set(`${phoneNumberId}:${waId.replace(/\D/g, '')}`, at);
  }

  /** Whether a free-form (non-template) message may go to this user now: within 24 hours of their last message. */
  windowOpen(phoneNumberId: string, waId: string, now = Date.now()): boolean {
    const last = this.lastInbound.get(`${phoneNumberId}:${waId.replace(/\D/g, '')}`);
    return last !== undefined && now - last < WHATSAPP_WINDOW_MS;
  }

  webhookFor(phoneNumberId: string): WhatsappWebhookConfig | undefined {
    return this.webhooks.get(phoneNumberId) ?? this.webhooks.get('*') ?? this.defaultWebhook;
  }

  displayNumber(phoneNumberId: string): string {
    return this.numbers.get(phoneNumberId)?.displayPhoneNumber ?? `1555${phoneNumberId.replace(/\D/g, '').slice(-7).padStart(7, '0')}`;
  }

  wabaId(phoneNumberId: string): string {
    return this.numbers.get(phoneNumberId)?.wabaId ?? `waba-${phoneNumberId}`;
  }

  resetTraffic(): void {
    this.lastInbound.clear();
  }

  resetConfig(): void {
    this.webhooks.clear();
    this.numbers.clear();
    this.templates.clear();
  }

  /** The numbers registered under one business account. */
  numbersOf(wabaId: string): string[] {
    return [...this.numbers].filter(([id, n]) => (n.wabaId ?? `waba-${id}`) === wabaId).map(([id]) => id);
  }
}
