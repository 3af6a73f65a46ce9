export interface HtmlAttribute {
  /** Lowercased name. */
  name: string;
  /** Raw value as written (entities not decoded, quotes excluded); "" when absent. */
  value: string;
  /** Offsets of the raw value inside the html (excluding quotes). */
  valueStart: number;
  valueEnd: number;
  quote: '"' | "'" | '';
  hasValue: boolean;
}

export interface HtmlStartTag {
  /** Lowercased tag name. */
  name: string;
  start: number;
  end: number;
  attributes: HtmlAttribute[];
}

// Contents of these elements are text, so a "<a href" inside a <script> string is not a link.
const RAW_TEXT_CLOSERS = new Map(
  ['script', 'style', 'textarea', 'title', 'xmp'].map((name) => [name, new RegExp(`</${name}[\\s/>]`, 'ig')]),
);

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d;
}

function isAsciiAlpha(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

export interface HtmlScanHandlers {
  /** Text between tags (raw: entities not decoded). Not called inside raw-text elements. */
  text?: (start: number, end: number) => void;
  startTag?: (tag: HtmlStartTag) => void;
  /** `name` is lowercased. */
  endTag?: (name: string, start: number, end: number) => void;
}

/**
 * Walks html following the HTML tokenizer closely enough for email markup: comments,
 * doctype/CDATA and raw-text elements (script, style...) are skipped, quoted attribute values may
 * contain `>`, and every start tag comes with exact offsets of its attribute values. A small
 * linear scanner instead of a parser dependency, because link rewriting must splice the original
 * text untouched around the links, and the package is bundled into n8n nodes.
 */
export function scanHtml(html: string, handlers: HtmlScanHandlers): void {
  const n = html.length;
  let i = 0;
  const emitText = (end: number): void => {
    if (end > i && handlers.text) handlers.text(i, end);
  };
  while (i < n) {
    let lt = html.indexOf('<', i);
    while (lt !== -1 && lt + 1 < n && !isTagOpener(html, lt)) lt = html.indexOf('<', lt + 1);
    if (lt === -1 || lt + 1 >= n) {
      emitText(n);
      return;
    }
    emitText(lt);
    const next = html.charCodeAt(lt + 1);
    if (html.startsWith('<!--', lt)) {
      const close = html.indexOf('-->', lt + 4);
      i = close === -1 ? n : close + 3;
      continue;
    }
    if (next === 0x21 /* ! */ || next === 0x3f /* ? */) {
      const close = html.indexOf('>', lt + 2);
      i = close === -1 ? n : close + 1;
      continue;
    }
    if (next === 0x2f /* / */) {
      const close = html.indexOf('>', lt + 2);
      const end = close === -1 ? n : close + 1;
      if (handlers.endTag) {
        let nameEnd = lt + 2;
        while (nameEnd < end && !isSpace(html.charCodeAt(nameEnd)) && html.charCodeAt(nameEnd) !== 0x3e /* > */) nameEnd++;
        handlers.endTag(html.slice(lt + 2, nameEnd).toLowerCase(), lt, end);
      }
      i = end;
      continue;
    }

    const tag = readStartTag(html, lt);
    if (handlers.startTag) handlers.startTag(tag);
    i = tag.end;
    const closer = RAW_TEXT_CLOSERS.get(tag.name);
    if (closer) {
      closer.lastIndex = tag.end;
      const match = closer.exec(html);
      i = match ? match.index : n;
    }
  }
}

/** A "<" only opens markup when followed by a letter, "/", "!" or "?"; otherwise it is text. */
function isTagOpener(html: string, lt: number): boolean {
  const next = html.charCodeAt(lt + 1);
  if (isAsciiAlpha(next) || next === 0x21 || next === 0x3f) return true;
  return next === 0x2f && isAsciiAlpha(html.charCodeAt(lt + 2));
}

function readStartTag(html: string, lt: number): HtmlStartTag {
  const n = html.length;
  let j = lt + 1;
  while (j < n && !isSpace(html.charCodeAt(j)) && html[j] !== '/' && html[j] !== '>') j++;
  const name = html.slice(lt + 1, j).toLowerCase();
  const attributes: HtmlAttribute[] = [];

  while (j < n) {
    while (j < n && (isSpace(html.charCodeAt(j)) || html[j] === '/')) j++;
    if (j >= n) break;
    if (html[j] === '>') {
      j++;
      break;
    }
    const nameStart = j;
    // Per the HTML spec an "=" in first position belongs to the attribute name.
    j++;
    while (j < n && !isSpace(html.charCodeAt(j)) && html[j] !== '/' && html[j] !== '>' && html[j] !== '=') j++;
    const attrName = html.slice(nameStart, j).toLowerCase();
    let k = j;
    while (k < n && isSpace(html.charCodeAt(k))) k++;
    if (html[k] !== '=') {
      attributes.push({ name: attrName, value: '', valueStart: j, valueEnd: j, quote: '', hasValue: false });
      continue;
    }
    k++;
    while (k < n && isSpace(html.charCodeAt(k))) k++;
    const quoteChar = html[k];
    if (quoteChar === '"' || quoteChar === "'") {
      const close = html.indexOf(quoteChar, k + 1);
      const valueEnd = close === -1 ? n : close;
      attributes.push({
        name: attrName,
        value: html.slice(k + 1, valueEnd),
        valueStart: k + 1,
        valueEnd,
        quote: quoteChar,
        hasValue: true,
      });
      j = close === -1 ? n : close + 1;
    } else {
      let end = k;
      while (end < n && !isSpace(html.charCodeAt(end)) && html[end] !== '>') end++;
      attributes.push({ name: attrName, value: html.slice(k, end), valueStart: k, valueEnd: end, quote: '', hasValue: true });
      j = end;
    }
  }
  return { name, start: lt, end: j, attributes };
}
