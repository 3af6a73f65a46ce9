import type { default as PostalMimeClass } from 'postal-mime' with { 'resolution-mode': 'import' };

// postal-mime ships a CommonJS build next to its ESM entry; its typings are ESM-only, hence the typed require.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const PostalMime = (require('postal-mime') as { default: typeof PostalMimeClass }).default;

export interface ParsedMail {
  from: string;
  fromName?: string;
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string;
  text?: string;
  html?: string;
  /** Header name (as written) -> value; repeated headers keep the first. */
  headers: Record<string, string>;
}

type PostalAddress = { name: string; address?: string; group?: { name: string; address: string }[] };

function flatten(list: PostalAddress[] | undefined): string[] {
  const out: string[] = [];
  for (const a of list ?? []) {
    if (a.group) for (const g of a.group) out.push(g.address);
    else if (a.address) out.push(a.address);
  }
  return out;
}

/** RFC 5322 parsing is delegated to postal-mime: encoded words, folding and MIME trees are its job. */
export async function parseMail(raw: Buffer | string): Promise<ParsedMail> {
  const email = await PostalMime.parse(raw);
  const headers: Record<string, string> = {};
  for (const h of email.headers) {
    const name = h.originalKey ?? h.key;
    if (!(name in headers)) headers[name] = h.value;
  }
  const from = email.from as PostalAddress | undefined;
  const parsed: ParsedMail = {
    from: from?.address ?? from?.group?.[0]?.address ?? '',
    to: flatten(email.to),
    cc: flatten(email.cc),
    bcc: flatten(email.bcc),
    subject: email.subject ?? '',
    headers,
  };
  if (from?.name) parsed.fromName = from.name;
  if (email.messageId) parsed.messageId = email.messageId;
  if (email.inReplyTo) parsed.inReplyTo = email.inReplyTo;
  if (email.references) parsed.references = email.references;
  if (email.text !== undefined) parsed.text = email.text;
  if (email.html !== undefined) parsed.html = email.html;
  return parsed;
}

/** Header lookup ignoring case. */
export function headerValue(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/**
 * Splits a header-style address list ("A <a@x>, \"B, Jr\" <b@x>, c@x") into addresses,
 * ignoring commas inside quotes and angle brackets.
 */
export function splitAddresses(value: string): { address: string; display: string }[] {
  const out: { address: string; display: string }[] = [];
  let cur = '';
  let quoted = false;
  let angle = 0;
  const flush = () => {
    const display = cur.trim();
    if (display) {
      const m = /<([^>]*)>/.exec(display);
      out.push({ address: (m ? m[1] : display).trim(), display });
    }
    cur = '';
  };
  for (const ch of value) {
    if (ch === '"') quoted = !quoted;
    else if (ch === '<' && !quoted) angle++;
    else if (ch === '>' && !quoted) angle = Math.max(0, angle - 1);
    if ((ch === ',' || ch === ';') && !quoted && angle === 0) flush();
    else cur += ch;
  }
  flush();
  return out;
}
