import type { default as PostalMimeClass } from 'postal-mime' with { 'resolution-mode': 'import' };
import type { ClassifiableMail } from './inbound-classifier';

// postal-mime ships a CommonJS build next to its ESM entry; its typings are ESM-only, hence the typed require
// (the sandbox reads mail the same way).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const PostalMime = (require('postal-mime') as { default: typeof PostalMimeClass }).default;

/** An inbound email as read from its raw RFC 5322 bytes: what the classifier needs plus the threading headers. */
export interface InboundMail extends ClassifiableMail {
  to?: string;
  rfcMessageId?: string;
  inReplyTo?: string;
  references?: string;
  date?: Date;
}

export const MAX_INBOUND_TEXT = 20_000;

/** MIME decoding (encoded words, folding, multipart trees, charsets) is postal-mime's job, not ours. */
export async function parseInboundMime(raw: Buffer | string): Promise<InboundMail> {
  const email = await PostalMime.parse(raw, { attachmentEncoding: 'utf8' });
  const headers = new Map<string, string>();
  for (const h of email.headers) if (!headers.has(h.key.toLowerCase())) headers.set(h.key.toLowerCase(), h.value);
  const report = email.attachments.find((a) => /^message\/(global-)?delivery-status$/i.test(a.mimeType));
  const text = email.text ?? (email.html ? email.html.replace(/<[^>]+>/g, ' ').replace(/[ \t]+/g, ' ') : '');
  const date = email.date ? new Date(email.date) : undefined;
  return {
    from: (email.from?.address ?? '').toLowerCase(),
    ...(email.to?.[0]?.address && { to: email.to[0].address.toLowerCase() }),
    subject: email.subject ?? '',
    text,
    headers,
    ...(report && { deliveryStatus: typeof report.content === 'string' ? report.content : new TextDecoder().decode(report.content) }),
    ...(email.messageId && { rfcMessageId: email.messageId }),
    ...(email.inReplyTo && { inReplyTo: email.inReplyTo }),
    ...(email.references && { references: email.references }),
    ...(date && !Number.isNaN(date.getTime()) && { date }),
  };
}

/**
 * The new part of a reply: the text above the quoted original ("On ... wrote:", "-----Original Message-----",
 * "> " lines), bounded. When nothing is above the quote (a bottom-poster), the whole text is kept.
 */
export function replyText(text: string): string {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const cut = lines.findIndex(
    (l, i) =>
      /^\s*-{2,}\s*(original message|urspr[üu]ngliche nachricht|message d'origine|mensaje original)\s*-{2,}/i.test(l) ||
      /^\s*(on|am|le|el|il|op)\s.{4,200}\s(wrote|schrieb|a écrit|escribió|ha scritto|schreef)\s*:\s*$/i.test(l) ||
      (/^>/.test(l) && lines.slice(i).every((rest) => rest.trim() === '' || /^>/.test(rest))),
  );
  const head = (cut > 0 ? lines.slice(0, cut) : lines).join('\n').trim();
  return (head || text.trim()).slice(0, MAX_INBOUND_TEXT);
}

/** The `<...>` ids named by In-Reply-To and References, the replied-to one first, then the thread newest first. */
export function referencedIds(inReplyTo: string | undefined, references: string | undefined): string[] {
  const ids = (s: string | undefined) => [...(s ?? '').matchAll(/<[^<>\s]{1,500}>/g)].map((m) => m[0]);
  return [...new Set([...ids(inReplyTo), ...ids(references).reverse()])].slice(0, 50);
}
