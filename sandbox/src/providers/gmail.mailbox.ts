import type { Resettable } from '../context';
import { hexId } from '../core/ids';
import type { ParsedMail } from '../core/mime';

export interface GmailMessage {
  id: string;
  threadId: string;
  labelIds: string[];
  raw: Buffer;
  mail: ParsedMail;
  headerList: { name: string; value: string }[];
  historyId: number;
  internalDate: number;
}

export interface HistoryRecord {
  id: number;
  messages: { id: string; threadId: string }[];
  messagesAdded?: { message: { id: string; threadId: string; labelIds: string[] } }[];
  labelsAdded?: { message: { id: string; threadId: string; labelIds: string[] }; labelIds: string[] }[];
  labelsRemoved?: { message: { id: string; threadId: string; labelIds: string[] }; labelIds: string[] }[];
}

/** One user's Gmail: messages, threads, and the history log that `history.list` pages through. */
export class Mailbox {
  historyId: number;
  readonly firstHistoryId: number;
  readonly messages = new Map<string, GmailMessage>();
  readonly threads = new Map<string, string[]>();
  readonly history: HistoryRecord[] = [];
  private readonly byRfcId = new Map<string, GmailMessage>();
  /** Told of every new message (users.watch push notifications). */
  onAdded?: (msg: GmailMessage) => void;

  constructor(readonly email: string) {
    // Gmail history ids are large, monotonically increasing integers.
    this.historyId = 100_000 + Math.floor(Math.random() * 1000);
    this.firstHistoryId = this.historyId;
  }

  /** Gmail joins a thread by explicit threadId or by References / In-Reply-To naming a known message. */
  resolveThread(threadId: string | undefined, mail: ParsedMail): string | undefined {
    if (threadId && this.threads.has(threadId)) return threadId;
    const refs = `${mail.inReplyTo ?? ''} ${mail.references ?? ''}`.match(/<[^>]+>/g) ?? [];
    for (const ref of refs) {
      const m = this.byRfcId.get(ref);
      if (m) return m.threadId;
    }
    return undefined;
  }

  add(raw: Buffer, mail: ParsedMail, headerList: { name: string; value: string }[], labelIds: string[], threadId?: string): GmailMessage {
    const id = hexId(16);
    const thread = threadId ?? id;
    this.historyId += 1;
    const msg: GmailMessage = {
      id,
      threadId: thread,
      labelIds,
      raw,
      mail,
      headerList,
      historyId: this.historyId,
      internalDate: Date.now(),
    };
    this.messages.set(id, msg);
    const list = this.threads.get(thread);
    if (list) list.push(id);
    else this.threads.set(thread, [id]);
    if (mail.messageId) this.byRfcId.set(mail.messageId, msg);
    const ref = { id, threadId: thread, labelIds: [...labelIds] };
    this.history.push({ id: this.historyId, messages: [{ id, threadId: thread }], messagesAdded: [{ message: ref }] });
    this.onAdded?.(msg);
    return msg;
  }

  modifyLabels(msg: GmailMessage, add: string[], remove: string[]): void {
    const added = add.filter((l) => !msg.labelIds.includes(l));
    const removed = remove.filter((l) => msg.labelIds.includes(l));
    if (added.length === 0 && removed.length === 0) return;
    msg.labelIds = [...msg.labelIds.filter((l) => !removed.includes(l)), ...added];
    this.historyId += 1;
    msg.historyId = this.historyId;
    const ref = { id: msg.id, threadId: msg.threadId, labelIds: [...msg.labelIds] };
    const rec: HistoryRecord = { id: this.historyId, messages: [{ id: msg.id, threadId: msg.threadId }] };
    if (added.length) rec.labelsAdded = [{ message: ref, labelIds: added }];
    if (removed.length) rec.labelsRemoved = [{ message: ref, labelIds: removed }];
    this.history.push(rec);
  }
}

export interface GmailWatch {
  topicName: string;
  labelIds: string[];
  labelFilterBehavior: 'include' | 'exclude';
  expiration: number;
}

export class GmailState implements Resettable {
  readonly mailboxes = new Map<string, Mailbox>();
  /** users.watch registrations per mailbox. */
  readonly watches = new Map<string, GmailWatch>();
  /** Cloud Pub/Sub push subscriptions: topic -> the endpoint it pushes to. */
  readonly pushEndpoints = new Map<string, string>();
  /** Set by the routes: what happens when a watched mailbox changes. */
  notify?: (mailbox: Mailbox, msg: GmailMessage) => void;

  mailbox(email: string): Mailbox {
    const key = email.toLowerCase();
    let m = this.mailboxes.get(key);
    if (!m) {
      const created = new Mailbox(key);
      created.onAdded = (msg) => this.notify?.(created, msg);
      m = created;
      this.mailboxes.set(key, m);
    }
    return m;
  }

  resetTraffic(): void {
    this.mailboxes.clear();
    this.watches.clear();
  }

  resetConfig(): void {
    this.pushEndpoints.clear();
  }
}

function encodeHeader(value: string): string {
  // RFC 2047 for non-ASCII header text, so generated replies round-trip through MIME parsers.
  return /^[\x20-\x7e]*$/.test(value) ? value : `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

/** A plain-text RFC 2822 message, used for simulated replies and bounce notifications. */
export function buildRawMessage(
  h: {
    from: string;
    to: string;
    subject: string;
    messageId: string;
    inReplyTo?: string;
    references?: string;
    extra?: Record<string, string>;
  },
  text: string,
): Buffer {
  const lines = [
    `From: ${h.from}`,
    `To: ${h.to}`,
    `Subject: ${encodeHeader(h.subject)}`,
    `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: ${h.messageId}`,
  ];
  if (h.inReplyTo) lines.push(`In-Reply-To: ${h.inReplyTo}`);
  if (h.references) lines.push(`References: ${h.references}`);
  for (const [k, v] of Object.entries(h.extra ?? {})) lines.push(`${k}: ${v}`);
  lines.push('MIME-Version: 1.0', 'Content-Type: text/plain; charset="UTF-8"', 'Content-Transfer-Encoding: base64', '');
  const body = Buffer.from(text, 'utf8').toString('base64').replace(/.{76}/g, '$&\r\n');
  return Buffer.from(lines.join('\r\n') + '\r\n' + body + '\r\n', 'utf8');
}
