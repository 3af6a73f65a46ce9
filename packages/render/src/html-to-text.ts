import { decodeEntities } from './html-entities';
import { scanHtml } from './html-scan';

const PARAGRAPH_TAGS = new Set([
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'table',
  'ul',
  'ol',
  'blockquote',
  'pre',
  'dl',
  'figure',
  'address',
]);
const LINE_TAGS = new Set([
  'div',
  'tr',
  'li',
  'dt',
  'dd',
  'section',
  'article',
  'header',
  'footer',
  'main',
  'nav',
  'aside',
  'center',
  'form',
  'fieldset',
  'tbody',
  'thead',
  'tfoot',
  'caption',
  'figcaption',
  'body',
]);
// Elements whose content is never visible text in a mail client.
const HIDDEN_TAGS = new Set(['head', 'template', 'noscript', 'object', 'svg']);

const WHITESPACE_ONLY = /^[ \t\n\r\f]*$/;
const LINE = 1;
const PARAGRAPH = 2;

/**
 * Accumulates visible text the way a browser lays out inline and block content: whitespace
 * runs collapse to one space, block boundaries become at most one blank line, no line starts or
 * ends with a space. Output goes into an array of chunks and the writer remembers what it needs
 * about its end (trailing newlines, last character) instead of reading the output back: indexing or
 * slicing a growing concatenated string makes V8 flatten it, which turned every block break into a
 * copy of everything written so far (quadratic: a 256 KB `<li>` list took seconds).
 */
class TextWriter {
  private readonly chunks: string[] = [];
  private written = 0;
  private trailingNewlines = 0;
  private pendingBreak = 0;
  private pendingSpace = false;

  /** Position of the next chunk, to read a link's label back with `since`. */
  get mark(): number {
    return this.chunks.length;
  }

  /** Text written since `mark` (a link label: only its own chunks are joined). */
  since(mark: number): string {
    return this.chunks.slice(mark).join('');
  }

  toString(): string {
    return this.chunks.join('').trim();
  }

  text(raw: string): void {
    // Whitespace-only nodes (indentation between tags) are the most common; skip the work.
    if (WHITESPACE_ONLY.test(raw)) {
      if (raw !== '') this.pendingSpace = true;
      return;
    }
    const text = decodeEntities(raw.replace(/[ \t\n\r\f]+/g, ' ')).replace(/\u00a0/g, ' ');
    if (text === '') return;
    const trimmed = text.trim();
    if (text[0] === ' ') this.pendingSpace = true;
    if (trimmed !== '') {
      this.flush();
      this.append(trimmed);
      this.pendingSpace = text[text.length - 1] === ' ';
    }
  }

  /** Text that must appear as written, after any pending break (list bullets, rules). */
  literal(text: string): void {
    this.flush();
    this.append(text);
    this.pendingSpace = false;
  }

  lineBreak(): void {
    this.append('\n');
    this.pendingSpace = false;
  }

  block(level: number): void {
    if (level > this.pendingBreak) this.pendingBreak = level;
  }

  space(): void {
    this.pendingSpace = true;
  }

  private append(chunk: string): void {
    if (chunk === '') return;
    this.chunks.push(chunk);
    this.written += chunk.length;
    let newlines = 0;
    while (newlines < chunk.length && chunk[chunk.length - 1 - newlines] === '\n') newlines++;
    this.trailingNewlines = newlines === chunk.length ? this.trailingNewlines + newlines : newlines;
  }

  private flush(): void {
    if (this.written === 0) {
      this.pendingBreak = 0;
      this.pendingSpace = false;
      return;
    }
    if (this.pendingBreak > 0) {
      if (this.pendingBreak > this.trailingNewlines) this.append('\n'.repeat(this.pendingBreak - this.trailingNewlines));
    } else if (this.pendingSpace && this.trailingNewlines === 0) {
      this.append(' ');
    }
    this.pendingBreak = 0;
    this.pendingSpace = false;
  }
}

interface OpenLink {
  href: string;
  labelMark: number;
}

/**
 * Plain-text alternative for an html email: visible text with paragraph and line breaks,
 * list bullets, and link targets in parentheses after their label. Linear time, no DOM.
 */
export function htmlToText(html: string): string {
  const writer = new TextWriter();
  // HTML does not nest links: a new <a> closes the open one (as browsers parse it), so at most one
  // label is being collected and each chunk belongs to at most one label.
  let link: OpenLink | undefined;
  let hiddenDepth = 0;

  scanHtml(html, {
    text(start, end) {
      if (hiddenDepth === 0) writer.text(html.slice(start, end));
    },
    startTag(tag) {
      if (HIDDEN_TAGS.has(tag.name)) {
        hiddenDepth++;
        return;
      }
      if (hiddenDepth > 0) return;
      if (tag.name === 'br') writer.lineBreak();
      else if (tag.name === 'hr') {
        writer.block(PARAGRAPH);
        writer.literal('---');
        writer.block(PARAGRAPH);
      } else if (tag.name === 'li') {
        writer.block(LINE);
        writer.literal('- ');
      } else if (tag.name === 'td' || tag.name === 'th') writer.space();
      else if (PARAGRAPH_TAGS.has(tag.name)) writer.block(PARAGRAPH);
      else if (LINE_TAGS.has(tag.name)) writer.block(LINE);
      else if (tag.name === 'a') {
        if (link) appendLinkTarget(writer, link.href, writer.since(link.labelMark));
        const href = tag.attributes.find((attribute) => attribute.name === 'href');
        link = { href: href ? decodeEntities(href.value).trim() : '', labelMark: writer.mark };
      }
    },
    endTag(name) {
      if (HIDDEN_TAGS.has(name)) {
        hiddenDepth = Math.max(0, hiddenDepth - 1);
        return;
      }
      if (hiddenDepth > 0) return;
      if (PARAGRAPH_TAGS.has(name)) writer.block(PARAGRAPH);
      else if (LINE_TAGS.has(name)) writer.block(LINE);
      else if (name === 'a') {
        if (link) appendLinkTarget(writer, link.href, writer.since(link.labelMark));
        link = undefined;
      }
    },
  });

  if (link) appendLinkTarget(writer, link.href, writer.since(link.labelMark));
  return writer.toString();
}

function appendLinkTarget(writer: TextWriter, href: string, label: string): void {
  if (!/^(https?:|mailto:|tel:)/i.test(href)) return;
  const target = href.replace(/^(mailto:|tel:)/i, '');
  const visible = label.trim();
  if (visible === '') writer.text(target);
  else if (!visible.includes(target)) writer.literal(` (${target})`);
}
