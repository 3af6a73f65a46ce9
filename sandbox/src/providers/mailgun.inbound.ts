import type { SandboxContext } from '../context';
import type { Behaviour } from '../core/behaviour-simulator';
import { hexId } from '../core/ids';
import { mailgunSignature } from '../core/signers';
import type { SandboxMessage } from '../core/store';
import type { MailgunSendInfo } from './mailgun.events';
import type { MailgunState } from './mailgun.state';

/** A receiving route (https://documentation.mailgun.com/docs/mailgun/user-manual/receive-forward-store/routes). */
export interface MailgunRoute {
  id: string;
  priority: number;
  description: string;
  expression: string;
  actions: string[];
  created_at: string;
}

/** Whether a route's filter takes mail for `recipient`: match_recipient("regex") or catch_all(). */
export function routeMatches(expression: string, recipient: string): boolean {
  if (/^\s*catch_all\(\s*\)\s*$/.test(expression)) return true;
  const m = /^\s*match_recipient\(\s*(["'])(.*)\1\s*\)\s*$/.exec(expression);
  if (!m) return false;
  try {
    return new RegExp(`^(?:${m[2]})$`, 'i').test(recipient);
  } catch {
    return false;
  }
}

/** Expressions the sandbox understands; Mailgun knows more (match_header), which are refused here rather than ignored. */
export function validExpression(expression: string): boolean {
  return /^\s*catch_all\(\s*\)\s*$/.test(expression) || /^\s*match_recipient\(\s*(["']).*\1\s*\)\s*$/.test(expression);
}

/** The forward() URLs for mail to `recipient`, by priority, until a stop(). */
export function forwardUrls(routes: MailgunRoute[], recipient: string): string[] {
  const urls: string[] = [];
  for (const r of [...routes].sort((a, b) => a.priority - b.priority)) {
    if (!routeMatches(r.expression, recipient)) continue;
    for (const a of r.actions) {
      const f = /^\s*forward\(\s*(["'])(https?:\/\/[^"']+)\1\s*\)\s*$/.exec(a);
      if (f) urls.push(f[2]);
    }
    if (r.actions.some((a) => /^\s*stop\(\s*\)\s*$/.test(a))) break;
  }
  return urls;
}

/**
 * What the recipient's answer looks like when it reaches the sending domain's reply address: a person's
 * reply quoting the original, or an out-of-office with RFC 3834 headers. Posted, signed with the domain's
 * webhook signing key, as forward() posts a parsed message (form fields, message-headers as JSON pairs).
 */
export function scheduleMailgunReplies(
  ctx: SandboxContext,
  state: MailgunState,
  info: MailgunSendInfo,
  stored: SandboxMessage,
  behaviour: Behaviour,
  afterMs: number,
): void {
  const answers: Array<'replied' | 'auto_replied'> = [];
  if (behaviour.autoReplied) answers.push('auto_replied');
  if (behaviour.replied) answers.push('replied');
  answers.forEach((kind, i) =>
    ctx.schedule(
      () => {
        const urls = forwardUrls(state.routes, info.from);
        ctx.store.recordEvent(stored, kind);
        if (urls.length === 0) return;
        const recipient = stored.to;
        const original = `<${info.messageId}>`;
        const auto = kind === 'auto_replied';
        const subject = auto ? `Automatic reply: ${info.subject}` : `Re: ${info.subject}`;
        const messageId = `<${auto ? 'ooo' : 'reply'}-${hexId(20)}@${recipient.split('@')[1] ?? 'example.com'}>`;
        const text = auto
          ? 'Thank you for your email. I am currently out of the office and will reply when I am back.'
          : behaviour.replyText;
        const plain = auto
          ? text
          : `${text}\n\nOn ${new Date().toUTCString()}, ${info.from} wrote:\n> ${(stored.body ?? '').split('\n').join('\n> ')}\n`;
        const headers: Array<[string, string]> = [
          ['From', recipient],
          ['To', info.from],
          ['Subject', subject],
          ['Message-Id', messageId],
          ['In-Reply-To', original],
          ['References', original],
          ...(auto
            ? ([
                ['Auto-Submitted', 'auto-replied'],
                ['X-Autoreply', 'yes'],
              ] as Array<[string, string]>)
            : []),
        ];
        const timestamp = String(Math.floor(Date.now() / 1000));
        const token = hexId(50);
        const body = new URLSearchParams({
          recipient: info.from,
          sender: recipient,
          from: recipient,
          subject,
          'body-plain': plain,
          'stripped-text': text,
          'message-headers': JSON.stringify(headers),
          'Message-Id': messageId,
          'In-Reply-To': original,
          References: original,
          timestamp,
          token,
          signature: mailgunSignature(ctx.credentials.mailgunSigningKey(info.domain), timestamp, token),
        }).toString();
        for (const url of urls) {
          ctx.webhooks.send({
            provider: 'mailgun',
            event: `route-${kind}`,
            url,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body,
            messageId: stored.id,
          });
        }
      },
      afterMs + i * ctx.settings.timing.eventSpacingMs,
    ),
  );
}
