import type { SandboxContext } from '../context';
import type { SandboxMessage } from '../core/store';
import type { Behaviour } from '../core/behaviour-simulator';
import { hexId } from '../core/ids';
import { headerValue, parseMail } from '../core/mime';
import { buildRawMessage, type GmailMessage, type Mailbox } from './gmail.mailbox';

function headerListOf(raw: Buffer): { name: string; value: string }[] {
  const head = raw.toString('utf8').split(/\r?\n\r?\n/)[0] ?? '';
  const out: { name: string; value: string }[] = [];
  for (const line of head.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && out.length) out[out.length - 1].value += ' ' + line.trim();
    else {
      const i = line.indexOf(':');
      if (i > 0) out.push({ name: line.slice(0, i), value: line.slice(i + 1).trim() });
    }
  }
  return out;
}

export { headerListOf };

/** Adds a message "received" by the mailbox (reply or bounce), visible through history.list. */
export async function receiveIntoMailbox(mailbox: Mailbox, raw: Buffer, threadId: string): Promise<GmailMessage> {
  const mail = await parseMail(raw);
  return mailbox.add(raw, mail, headerListOf(raw), ['INBOX', 'UNREAD', 'CATEGORY_PERSONAL'], threadId);
}

/** `bareHeaders`: a client that drops In-Reply-To / References (Gmail still threads it by thread id). */
export async function deliverReply(
  mailbox: Mailbox,
  original: GmailMessage,
  from: string,
  text: string,
  bareHeaders = false,
): Promise<GmailMessage> {
  const orig = original.mail;
  const domain = from.split('@')[1] ?? 'example.com';
  const refs = [orig.references, orig.messageId].filter(Boolean).join(' ');
  const quoted = (orig.text ?? '')
    .split(/\r?\n/)
    .map((l) => `> ${l}`)
    .join('\n');
  const raw = buildRawMessage(
    {
      from,
      to: mailbox.email,
      subject: /^re:/i.test(orig.subject) ? orig.subject : `Re: ${orig.subject}`,
      messageId: `<reply-${hexId(20)}@${domain}>`,
      ...(orig.messageId && !bareHeaders ? { inReplyTo: orig.messageId } : {}),
      ...(refs && !bareHeaders ? { references: refs } : {}),
    },
    `${text}\n\nOn ${new Date(original.internalDate).toUTCString()}, ${mailbox.email} wrote:\n${quoted}\n`,
  );
  return receiveIntoMailbox(mailbox, raw, original.threadId);
}

/** An out-of-office answer as Exchange / Gmail vacation responders write one: RFC 3834 headers, no quote. */
export async function deliverAutoReply(mailbox: Mailbox, original: GmailMessage, from: string): Promise<GmailMessage> {
  const orig = original.mail;
  const domain = from.split('@')[1] ?? 'example.com';
  const raw = buildRawMessage(
    {
      from,
      to: mailbox.email,
      subject: `Automatic reply: ${orig.subject}`,
      messageId: `<ooo-${hexId(20)}@${domain}>`,
      ...(orig.messageId ? { inReplyTo: orig.messageId, references: orig.messageId } : {}),
      extra: { 'Auto-Submitted': 'auto-replied', 'X-Autoreply': 'yes', 'X-Auto-Response-Suppress': 'All' },
    },
    'Thank you for your email. I am currently out of the office with limited access to email and will reply when I am back.\n',
  );
  return receiveIntoMailbox(mailbox, raw, original.threadId);
}

async function deliverBounce(mailbox: Mailbox, original: GmailMessage, recipient: string): Promise<GmailMessage> {
  const raw = buildRawMessage(
    {
      from: 'Mail Delivery Subsystem <mailer-daemon@googlemail.com>',
      to: mailbox.email,
      subject: 'Delivery Status Notification (Failure)',
      messageId: `<dsn-${hexId(20)}@mx.google.com>`,
      ...(original.mail.messageId ? { inReplyTo: original.mail.messageId, references: original.mail.messageId } : {}),
      extra: { 'X-Failed-Recipients': recipient, 'Auto-Submitted': 'auto-replied' },
    },
    `Address not found\n\nYour message wasn't delivered to ${recipient} because the address couldn't be found, or is unable to receive mail.\n\nThe response was:\n\n550 5.1.1 The email account that you tried to reach does not exist.\n`,
  );
  return receiveIntoMailbox(mailbox, raw, original.threadId);
}

/** What the recipient's mail client does: tracking pixel, link click, RFC 8058 one-click unsubscribe. */
function firstMatch(re: RegExp, s: string | undefined): string | undefined {
  return s ? re.exec(s)?.[1] : undefined;
}

export function scheduleGmailLifecycle(
  ctx: SandboxContext,
  mailbox: Mailbox,
  sent: GmailMessage,
  stored: SandboxMessage,
  b: Behaviour,
): void {
  const recipient = stored.to;
  if (b.delivery !== 'delivered') {
    ctx.schedule(() => {
      ctx.store.recordEvent(stored, 'bounced');
      void deliverBounce(mailbox, sent, recipient);
    }, ctx.eventDelay(0));
    return;
  }
  ctx.schedule(() => ctx.store.recordEvent(stored, 'delivered'), ctx.eventDelay(0));
  let n = 1;
  const html = sent.mail.html;
  const pixel = firstMatch(/<img[^>]+src=["'](https?:\/\/[^"']+)["']/i, html);
  const link = firstMatch(/<a[^>]+href=["'](https?:\/\/[^"']+)["']/i, html) ?? firstMatch(/(https?:\/\/\S+)/, sent.mail.text);
  if (b.opened) {
    ctx.schedule(() => {
      ctx.store.recordEvent(stored, 'opened');
      if (pixel) ctx.webhooks.send({ provider: 'gmail', event: 'open-pixel', url: pixel, method: 'GET', messageId: stored.id });
    }, ctx.eventDelay(n++));
  }
  if (b.clicked) {
    ctx.schedule(() => {
      ctx.store.recordEvent(stored, 'clicked');
      if (link) ctx.webhooks.send({ provider: 'gmail', event: 'click', url: link, method: 'GET', messageId: stored.id });
    }, ctx.eventDelay(n++));
  }
  if (b.unsubscribed) {
    const listUnsub = headerValue(sent.mail.headers, 'List-Unsubscribe');
    const oneClick = /one-click/i.test(headerValue(sent.mail.headers, 'List-Unsubscribe-Post') ?? '');
    const url = firstMatch(/<(https?:\/\/[^>]+)>/i, listUnsub);
    ctx.schedule(() => {
      ctx.store.recordEvent(stored, 'unsubscribed');
      if (url && oneClick) {
        ctx.webhooks.send({
          provider: 'gmail',
          event: 'list-unsubscribe',
          url,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'List-Unsubscribe=One-Click',
          messageId: stored.id,
        });
      }
    }, ctx.eventDelay(n++));
  }
  if (b.autoReplied) {
    ctx.schedule(() => {
      ctx.store.recordEvent(stored, 'auto_replied');
      void deliverAutoReply(mailbox, sent, recipient);
    }, ctx.eventDelay(n++));
  }
  if (b.replied) {
    ctx.schedule(() => {
      ctx.store.recordEvent(stored, 'replied');
      void deliverReply(mailbox, sent, recipient, b.replyText);
    }, ctx.eventDelay(n++));
  }
}
