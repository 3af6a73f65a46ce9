import { TemplateRenderError } from './errors';
import { insertOpenPixel, rewriteTrackedLinks } from './email-tracking';
import { htmlToText } from './html-to-text';
import { htmlEngine, textEngine } from './liquid-engine';
import type { RenderSession } from './render-session';
import type { MessageTemplate, RenderOptions, RenderedEmail, UnsubscribeOptions } from './types';

export interface NormalizedUnsubscribe {
  url: string;
  mailto?: string;
}

/** Validates unsubscribe targets up front: they end up inside a mail header. */
export function normalizeUnsubscribe(unsubscribe: UnsubscribeOptions): NormalizedUnsubscribe {
  let url: URL;
  try {
    url = new URL(unsubscribe.url);
  } catch {
    throw new TemplateRenderError('invalid_option', `unsubscribe.url is not a valid URL: ${unsubscribe.url}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TemplateRenderError('invalid_option', 'unsubscribe.url must be an https URL');
  }
  const normalized: NormalizedUnsubscribe = { url: url.href };
  if (unsubscribe.mailto) {
    const mailto = /^mailto:/i.test(unsubscribe.mailto) ? unsubscribe.mailto : `mailto:${unsubscribe.mailto}`;
    if (/[\s<>,]/.test(mailto)) {
      throw new TemplateRenderError('invalid_option', 'unsubscribe.mailto cannot contain spaces, commas or angle brackets');
    }
    normalized.mailto = mailto;
  }
  return normalized;
}

/** RFC 2369 List-Unsubscribe plus RFC 8058 one-click POST. */
export function unsubscribeHeaders(unsubscribe: NormalizedUnsubscribe): Record<string, string> {
  const targets = [`<${unsubscribe.url}>`];
  if (unsubscribe.mailto) targets.push(`<${unsubscribe.mailto}>`);
  return {
    'List-Unsubscribe': targets.join(', '),
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}

/** Returns undefined when a variable was missing (the caller reports the skip). */
export function renderEmail(
  template: MessageTemplate,
  session: RenderSession,
  options: RenderOptions,
  unsubscribe: NormalizedUnsubscribe | undefined,
): RenderedEmail | undefined {
  // A subject is a header: a newline from a variable must not start a new header line.
  const subject = session
    .render(textEngine, template.subject ?? '', 'subject')
    .replace(/[\r\n]+\s*/g, ' ')
    .trim();
  const html = template.html?.trim() ? session.render(htmlEngine, template.html, 'html') : undefined;
  const explicitText = template.text?.trim() ? session.render(textEngine, template.text, 'text') : undefined;
  if (session.hasMissing) return undefined;

  if (subject === '') throw new TemplateRenderError('render_invalid_output', 'subject rendered empty', 'subject');
  // Generated from the untracked html: plain-text readers see the real destinations.
  const text = explicitText ?? (html === undefined ? '' : htmlToText(html));
  if ((html === undefined || html.trim() === '') && text.trim() === '') {
    throw new TemplateRenderError('render_invalid_output', 'email rendered without content', html === undefined ? 'text' : 'html');
  }

  let trackedHtml = html;
  if (trackedHtml !== undefined && options.tracking) {
    trackedHtml = rewriteTrackedLinks(trackedHtml, options.tracking, unsubscribe?.url ?? options.unsubscribe?.url);
    if (options.tracking.openPixelUrl) trackedHtml = insertOpenPixel(trackedHtml, options.tracking.openPixelUrl);
  }

  const email: RenderedEmail = {
    status: 'rendered',
    channel: 'email',
    subject,
    text,
    headers: unsubscribe ? unsubscribeHeaders(unsubscribe) : {},
  };
  if (trackedHtml !== undefined) email.html = trackedHtml;
  return email;
}
