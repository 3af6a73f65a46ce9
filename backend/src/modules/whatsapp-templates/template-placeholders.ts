import type { TemplatePlaceholder } from './whatsapp-template.entity';

/**
 * What a Graph API template's components ask a send to fill, in the order Meta counts them:
 * the header (text placeholders, or one media), the body, then each URL button's suffix.
 */

interface GraphComponent {
  type?: unknown;
  format?: unknown;
  text?: unknown;
  example?: { header_text?: unknown; body_text?: unknown; body_text_named_params?: unknown; header_text_named_params?: unknown };
  buttons?: { type?: unknown; url?: unknown; example?: unknown }[];
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** Distinct placeholder keys of a text in their first-appearance order: `1`, `2`… or names. */
export function placeholderKeys(text: unknown): string[] {
  if (typeof text !== 'string') return [];
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]))];
}

function examplesFor(keys: string[], positional: unknown, named: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const flat = Array.isArray(positional) ? (Array.isArray(positional[0]) ? (positional[0] as unknown[]) : positional) : [];
  keys.forEach((key, i) => {
    if (typeof flat[i] === 'string') out.set(key, flat[i]);
  });
  if (Array.isArray(named)) {
    for (const n of named as { param_name?: unknown; example?: unknown }[]) {
      if (typeof n.param_name === 'string' && typeof n.example === 'string') out.set(n.param_name, n.example);
    }
  }
  return out;
}

const MEDIA = new Set(['image', 'video', 'document', 'location']);

export function placeholdersOf(components: unknown): TemplatePlaceholder[] {
  if (!Array.isArray(components)) return [];
  const out: TemplatePlaceholder[] = [];
  const list = components as GraphComponent[];
  const ofType = (t: string) => list.find((c) => String(c.type).toUpperCase() === t);

  const header = ofType('HEADER');
  if (header) {
    const format = String(header.format ?? 'TEXT').toLowerCase();
    if (MEDIA.has(format)) {
      out.push({ part: 'header', key: format, type: format as TemplatePlaceholder['type'], column: `header_${format}_url` });
    } else {
      const keys = placeholderKeys(header.text);
      const ex = examplesFor(keys, header.example?.header_text, header.example?.header_text_named_params);
      for (const key of keys) out.push({ part: 'header', key, type: 'text', column: `header_param_${key}`, ...withExample(ex, key) });
    }
  }
  const body = ofType('BODY');
  if (body) {
    const keys = placeholderKeys(body.text);
    const ex = examplesFor(keys, body.example?.body_text, body.example?.body_text_named_params);
    for (const key of keys) out.push({ part: 'body', key, type: 'text', column: `body_param_${key}`, ...withExample(ex, key) });
  }
  const buttons = ofType('BUTTONS')?.buttons ?? [];
  const urlButtons = buttons
    .map((b, index) => ({ b, index }))
    .filter(({ b }) => String(b.type).toUpperCase() === 'URL' && placeholderKeys(b.url).length);
  for (const { b, index } of urlButtons) {
    const example = Array.isArray(b.example) && typeof b.example[0] === 'string' ? { example: b.example[0] } : {};
    out.push({
      part: 'button',
      key: '1',
      buttonIndex: index,
      type: 'text',
      // The seed's sample names the (usual) single URL button `button_url_param`.
      column: urlButtons.length === 1 ? 'button_url_param' : `button_url_param_${index}`,
      ...example,
    });
  }
  return out;
}

function withExample(examples: Map<string, string>, key: string): { example?: string } {
  const e = examples.get(key);
  return e === undefined ? {} : { example: e };
}

/** The template's text with each placeholder replaced by its value (preview of what the recipient reads). */
export function renderTemplateText(
  components: unknown,
  values: (p: TemplatePlaceholder) => string,
): { header?: string; body: string; footer?: string } {
  const list = Array.isArray(components) ? (components as GraphComponent[]) : [];
  const placeholders = placeholdersOf(components);
  const fill = (part: 'header' | 'body', text: unknown) =>
    typeof text === 'string'
      ? text.replace(PLACEHOLDER, (whole: string, key: string) => {
          const p = placeholders.find((x) => x.part === part && x.key === key);
          return p ? values(p) : whole;
        })
      : undefined;
  const header = list.find((c) => String(c.type).toUpperCase() === 'HEADER');
  const footer = list.find((c) => String(c.type).toUpperCase() === 'FOOTER');
  const headerText = header && String(header.format ?? 'TEXT').toUpperCase() === 'TEXT' ? fill('header', header.text) : undefined;
  return {
    ...(headerText !== undefined ? { header: headerText } : {}),
    body: fill('body', list.find((c) => String(c.type).toUpperCase() === 'BODY')?.text) ?? '',
    ...(typeof footer?.text === 'string' ? { footer: footer.text } : {}),
  };
}
