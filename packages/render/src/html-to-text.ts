import { decodeEntities } from "./html-entities";
import { scanHtml } from "./html-scan";

const PARAGRAPH_TAGS = new Set([
  "p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "blockquote", "pre", "dl", "figure", "address",
]);
const LINE_TAGS = new Set([
  "div", "tr", "li", "dt", "dd", "section", "article", "header", "footer", "main", "nav", "aside", "center",
  "form", "fieldset", "tbody", "thead", "tfoot", "caption", "figcaption", "body",
]);
// Elements whose content is never visible text in a mail client.
const HIDDEN_TAGS = new Set(["head", "template", "noscript", "object", "svg"]);

const WHITESPACE_ONLY = /^[ \t\n\r\f]*$/;
const LINE = 1;
const PARAGRAPH = 2;

/**
 * Accumulates visible text the way a browser lays out inline and block content: whitespace
 * runs collapse to one space, block boundaries become at most one blank line, no line starts or
 * ends with a space. Built in one pass so the cost stays linear in the html size.
 */
class TextWriter {
  out = "";
  private pendingBreak = 0;
  private pendingSpace = false;

  text(raw: string): void {
    // Whitespace-only nodes (indentation between tags) are the most common; skip the work.
    if (WHITESPACE_ONLY.test(raw)) {
      if (raw !== "") this.pendingSpace = true;
      return;
    }
    const text = decodeEntities(raw.replace(/[ \t\n\r\f]+/g, " ")).replace(/\u00a0/g, " ");
    if (text === "") return;
    const trimmed = text.trim();
    if (text[0] === " ") this.pendingSpace = true;
    if (trimmed !== "") {
      this.flush();
      this.out += trimmed;
      this.pendingSpace = text[text.length - 1] === " ";
    }
  }

  /** Text that must appear as written, after any pending break (list bullets, rules). */
  literal(text: string): void {
    this.flush();
    this.out += text;
    this.pendingSpace = false;
  }

  lineBreak(): void {
    this.out += "\n";
    this.pendingSpace = false;
  }

  block(level: number): void {
    if (level > this.pendingBreak) this.pendingBreak = level;
  }

  space(): void {
    this.pendingSpace = true;
  }

  private flush(): void {
    if (this.out === "") {
      this.pendingBreak = 0;
      this.pendingSpace = false;
      return;
    }
    if (this.pendingBreak > 0) {
      let trailing = 0;
      while (trailing < this.out.length && this.out[this.out.length - 1 - trailing] === "\n") trailing++;
      if (this.pendingBreak > trailing) this.out += "\n".repeat(this.pendingBreak - trailing);
    } else if (this.pendingSpace && !this.out.endsWith("\n")) {
      this.out += " ";
    }
    this.pendingBreak = 0;
    this.pendingSpace = false;
  }
}

interface OpenLink {
  href: string;
  labelStart: number;
}

/**
 * Plain-text alternative for an html email: visible text with paragraph and line breaks,
 * list bullets, and link targets in parentheses after their label. Linear time, no DOM.
 */
export function htmlToText(html: string): string {
  const writer = new TextWriter();
  const links: OpenLink[] = [];
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
      if (tag.name === "br") writer.lineBreak();
      else if (tag.name === "hr") {
        writer.block(PARAGRAPH);
        writer.literal("---");
        writer.block(PARAGRAPH);
      } else if (tag.name === "li") {
        writer.block(LINE);
        writer.literal("- ");
      } else if (tag.name === "td" || tag.name === "th") writer.space();
      else if (PARAGRAPH_TAGS.has(tag.name)) writer.block(PARAGRAPH);
      else if (LINE_TAGS.has(tag.name)) writer.block(LINE);
      else if (tag.name === "a") {
        const href = tag.attributes.find((attribute) => attribute.name === "href");
        links.push({ href: href ? decodeEntities(href.value).trim() : "", labelStart: writer.out.length });
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
      else if (name === "a") {
        const link = links.pop();
        if (link) appendLinkTarget(writer, link.href, writer.out.slice(link.labelStart));
      }
    },
  });

  return writer.out.trim();
}

function appendLinkTarget(writer: TextWriter, href: string, label: string): void {
  if (!/^(https?:|mailto:|tel:)/i.test(href)) return;
  const target = href.replace(/^(mailto:|tel:)/i, "");
  const visible = label.trim();
  if (visible === "") writer.text(target);
  else if (!visible.includes(target)) writer.literal(` (${target})`);
}
