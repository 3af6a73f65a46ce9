import type { Resettable } from '../context';
import type { MailgunRoute } from './mailgun.inbound';

export const MAILGUN_WEBHOOK_IDS = [
  'accepted',
  'clicked',
  'complained',
  'delivered',
  'opened',
  'permanent_fail',
  'temporary_fail',
  'unsubscribed',
] as const;
export type MailgunWebhookId = (typeof MAILGUN_WEBHOOK_IDS)[number];

export function isWebhookId(id: string): id is MailgunWebhookId {
  return (MAILGUN_WEBHOOK_IDS as readonly string[]).includes(id);
}

export class MailgunState implements Resettable {
  /** domain -> webhook id -> urls (Mailgun allows up to 3 per id). */
  readonly webhooks = new Map<string, Map<MailgunWebhookId, string[]>>();
  /** Receiving routes: account-wide, like Mailgun's. */
  routes: MailgunRoute[] = [];

  /** `defaultUrl` receives every event of domains that configured no webhook at all. */
  constructor(readonly defaultUrl?: string) {}

  urls(domain: string, id: MailgunWebhookId): string[] {
    const own = this.webhooks.get(domain);
    if (own?.size) return own.get(id) ?? [];
    return this.defaultUrl ? [this.defaultUrl] : [];
  }

  /** Whether any event of the domain would be posted somewhere. */
  hasAny(domain: string): boolean {
    return (this.webhooks.get(domain)?.size ?? 0) > 0 || this.defaultUrl !== undefined;
  }

  /** Only the webhooks configured for the domain itself (what Mailgun's API lists). */
  ownUrls(domain: string, id: MailgunWebhookId): string[] {
    return this.webhooks.get(domain)?.get(id) ?? [];
  }

  set(domain: string, id: MailgunWebhookId, urls: string[]): void {
    let m = this.webhooks.get(domain);
    if (!m) {
      m = new Map();
      this.webhooks.set(domain, m);
    }
    m.set(id, urls);
  }

  remove(domain: string, id: MailgunWebhookId): string[] | undefined {
    const m = this.webhooks.get(domain);
    const urls = m?.get(id);
    m?.delete(id);
    return urls;
  }

  resetTraffic(): void {}

  resetConfig(): void {
    this.webhooks.clear();
    this.routes = [];
  }
}
