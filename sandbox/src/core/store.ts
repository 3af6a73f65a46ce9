import type { Channel } from '@cadence/contracts';
import { createHash } from 'node:crypto';
import type { Provider } from '../config';
import { sequenceId } from './ids';

/** The channels Cadence sends on (the wire contract's). */
export type { Channel };

export interface MessageEvent {
  type: string;
  at: string;
  detail?: Record<string, unknown>;
}

/** One accepted (message, recipient) pair: a Mailgun batch of N recipients yields N items. */
export interface SandboxMessage {
  id: string;
  provider: Exclude<Provider, 'google-oauth'>;
  channel: Channel;
  /** The id the provider answered with (Mailgun id, Twilio SID, wamid, Gmail message id). */
  providerMessageId: string;
  /** Sending account: Mailgun domain, Twilio account SID, WhatsApp phone number id, Gmail mailbox. */
  account: string;
  from: string;
  to: string;
  subject?: string;
  body?: string;
  html?: string;
  acceptedAt: string;
  campaignMessageId?: string;
  /** Latest lifecycle state: accepted, sent, delivered, bounced, failed, opened, ... */
  status: string;
  events: MessageEvent[];
  threadId?: string;
  headers?: Record<string, string>;
  variables?: Record<string, string>;
  tags?: string[];
  template?: unknown;
  meta?: Record<string, unknown>;
}

interface PlannedEvent {
  type: string;
  due: number;
  status: string;
  detail?: Record<string, unknown>;
}

export type NewMessage = Omit<SandboxMessage, 'id' | 'acceptedAt' | 'status' | 'events'>;

export interface MessageFilter {
  provider?: string;
  to?: string;
  channel?: string;
  campaignMessageId?: string;
  providerMessageId?: string;
  status?: string;
}

export interface DuplicateGroup {
  kind: 'campaignMessageId' | 'content';
  provider: string;
  to: string;
  campaignMessageId?: string;
  count: number;
  messageIds: string[];
}

/**
 * In-memory log of accepted messages. Appends are O(1); lookups by provider id and by the
 * duplicate keys go through maps kept in step with the array so the dashboard and the
 * duplicate detector never scan under load.
 */
export class MessageStore {
  private items: SandboxMessage[] = [];
  private head = 0;
  private readonly byId = new Map<string, SandboxMessage>();
  private readonly byProviderId = new Map<string, SandboxMessage[]>();
  private readonly dupKeys = new Map<string, string[]>();
  private readonly dupGroups = new Map<string, DuplicateGroup>();
  private readonly counts = new Map<string, number>();
  /** Events nobody needs to be told about in real time, applied when the message is read. */
  private readonly planned = new Map<SandboxMessage, PlannedEvent[]>();
  private total = 0;

  constructor(private readonly maxMessages = 1_000_000) {}

  add(input: NewMessage, now = new Date()): SandboxMessage {
    const at = now.toISOString();
    // Every field assigned in one fixed order keeps all messages on one hidden class;
    // undefined fields vanish from the JSON anyway.
    const msg: SandboxMessage = {
      id: sequenceId('msg'),
      provider: input.provider,
      channel: input.channel,
      providerMessageId: input.providerMessageId,
      account: input.account,
      from: input.from,
      to: input.to,
      subject: input.subject,
      body: input.body,
      html: input.html,
      acceptedAt: at,
      campaignMessageId: input.campaignMessageId,
      status: 'accepted',
      events: [{ type: 'accepted', at }],
      threadId: input.threadId,
      headers: input.headers,
      variables: input.variables,
      tags: input.tags,
      template: input.template,
      meta: input.meta,
    };
    this.items.push(msg);
    this.byId.set(msg.id, msg);
    const list = this.byProviderId.get(msg.providerMessageId);
    if (list) list.push(msg);
    else this.byProviderId.set(msg.providerMessageId, [msg]);
    this.total += 1;
    const key = `${msg.provider}/${msg.channel}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.indexDuplicates(msg);
    if (this.items.length - this.head > this.maxMessages) this.evictOldest();
    return msg;
  }

  get(id: string): SandboxMessage | undefined {
    const m = this.byId.get(id);
    if (m) this.materialize(m);
    return m;
  }

  byProviderMessageId(providerMessageId: string): SandboxMessage[] {
    const list = this.byProviderId.get(providerMessageId) ?? [];
    for (const m of list) this.materialize(m);
    return list;
  }

  /**
   * Records a future event without a timer: when no webhook or side effect depends on it,
   * the lifecycle only has to be right when someone looks. Must be called in due order.
   */
  plan(msg: SandboxMessage, type: string, delayMs: number, status = type, detail?: Record<string, unknown>): void {
    const e: PlannedEvent = detail ? { type, due: Date.now() + delayMs, status, detail } : { type, due: Date.now() + delayMs, status };
    const list = this.planned.get(msg);
    if (list) list.push(e);
    else this.planned.set(msg, [e]);
  }

  private materialize(msg: SandboxMessage): void {
    const list = this.planned.get(msg);
    if (!list) return;
    const now = Date.now();
    let i = 0;
    for (; i < list.length && list[i].due <= now; i++) {
      const e = list[i];
      msg.events.push(
        e.detail
          ? { type: e.type, at: new Date(e.due).toISOString(), detail: e.detail }
          : { type: e.type, at: new Date(e.due).toISOString() },
      );
      msg.status = e.status;
    }
    if (i === list.length) this.planned.delete(msg);
    else if (i > 0) list.splice(0, i);
  }

  recordEvent(msg: SandboxMessage, type: string, detail?: Record<string, unknown>, status = type): void {
    msg.events.push(detail ? { type, at: new Date().toISOString(), detail } : { type, at: new Date().toISOString() });
    msg.status = status;
  }

  list(filter: MessageFilter, offset = 0, limit = 100): { items: SandboxMessage[]; total: number } {
    const out: SandboxMessage[] = [];
    let matched = 0;
    const toNeedle = filter.to?.toLowerCase();
    for (let i = this.head; i < this.items.length; i++) {
      const m = this.items[i];
      if (this.planned.size) this.materialize(m);
      if (filter.provider && m.provider !== filter.provider) continue;
      if (filter.channel && m.channel !== filter.channel) continue;
      if (toNeedle && m.to.toLowerCase() !== toNeedle) continue;
      if (filter.campaignMessageId && m.campaignMessageId !== filter.campaignMessageId) continue;
      if (filter.providerMessageId && m.providerMessageId !== filter.providerMessageId) continue;
      if (filter.status && m.status !== filter.status) continue;
      if (matched >= offset && out.length < limit) out.push(m);
      matched += 1;
    }
    return { items: out, total: matched };
  }

  /** Newest first, for the dashboard. */
  latest(limit: number, provider?: string): SandboxMessage[] {
    const out: SandboxMessage[] = [];
    for (let i = this.items.length - 1; i >= this.head && out.length < limit; i--) {
      const m = this.items[i];
      this.materialize(m);
      if (!provider || m.provider === provider) out.push(m);
    }
    return out;
  }

  countsSummary(): {
    total: number;
    retained: number;
    byProvider: Record<string, number>;
    byChannel: Record<string, number>;
    byStatus: Record<string, number>;
  } {
    const byProvider: Record<string, number> = {};
    const byChannel: Record<string, number> = {};
    for (const [key, n] of this.counts) {
      const [provider, channel] = key.split('/') as [string, string];
      byProvider[provider] = (byProvider[provider] ?? 0) + n;
      byChannel[channel] = (byChannel[channel] ?? 0) + n;
    }
    const byStatus: Record<string, number> = {};
    for (let i = this.head; i < this.items.length; i++) {
      if (this.planned.size) this.materialize(this.items[i]);
      const s = this.items[i].status;
      byStatus[s] = (byStatus[s] ?? 0) + 1;
    }
    return { total: this.total, retained: this.items.length - this.head, byProvider, byChannel, byStatus };
  }

  duplicates(): DuplicateGroup[] {
    return [...this.dupGroups.values()];
  }

  clear(): void {
    this.items = [];
    this.head = 0;
    this.byId.clear();
    this.byProviderId.clear();
    this.dupKeys.clear();
    this.dupGroups.clear();
    this.counts.clear();
    this.planned.clear();
    this.total = 0;
  }

  private indexDuplicates(msg: SandboxMessage): void {
    const to = msg.to.toLowerCase();
    if (msg.campaignMessageId) {
      this.addDupKey(`c\u0000${msg.provider}\u0000${msg.campaignMessageId}\u0000${to}`, msg, 'campaignMessageId');
    }
    const content =
      msg.subject !== undefined || msg.body !== undefined || msg.html !== undefined
        ? `${msg.subject ?? ''}\u0000${msg.body ?? ''}\u0000${msg.html ?? ''}`
        : msg.template !== undefined
          ? JSON.stringify(msg.template)
          : '';
    if (content) {
      // Short texts (SMS, WhatsApp) key by themselves; only long bodies are worth a hash.
      const digest = content.length <= 200 ? content : createHash('sha1').update(content).digest('base64');
      this.addDupKey(`b\u0000${msg.channel}\u0000${to}\u0000${digest}`, msg, 'content');
    }
  }

  private addDupKey(key: string, msg: SandboxMessage, kind: DuplicateGroup['kind']): void {
    const ids = this.dupKeys.get(key);
    if (!ids) {
      this.dupKeys.set(key, [msg.id]);
      return;
    }
    ids.push(msg.id);
    // The group shares the id array with the index: appending stays O(1) however many copies.
    const group = this.dupGroups.get(key);
    if (group) {
      group.count = ids.length;
    } else {
      const g: DuplicateGroup = { kind, provider: msg.provider, to: msg.to, count: ids.length, messageIds: ids };
      if (kind === 'campaignMessageId' && msg.campaignMessageId) g.campaignMessageId = msg.campaignMessageId;
      this.dupGroups.set(key, g);
    }
  }

  // Evict in chunks so the array is compacted rarely; duplicate keys are kept on purpose,
  // a duplicate remains a duplicate even after its first copy scrolled out of memory.
  private evictOldest(): void {
    const drop = Math.max(1, Math.floor(this.maxMessages / 10));
    for (let i = this.head; i < this.head + drop && i < this.items.length; i++) {
      const m = this.items[i];
      this.byId.delete(m.id);
      this.planned.delete(m);
      const list = this.byProviderId.get(m.providerMessageId);
      if (list) {
        const idx = list.indexOf(m);
        if (idx >= 0) list.splice(idx, 1);
        if (list.length === 0) this.byProviderId.delete(m.providerMessageId);
      }
    }
    this.head += drop;
    if (this.head > 100_000 || this.head > this.items.length / 2) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
