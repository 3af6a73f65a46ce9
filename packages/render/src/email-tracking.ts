import { buildClickUrl } from './click-tracking';
import { decodeEntities, escapeHtml } from './html-entities';
import { scanHtml } from './html-scan';
import type { ClickTrackingOptions } from './types';

/** Attributes that keep a link out of click tracking. */
const NO_TRACK_ATTRIBUTES = ['data-no-track', 'data-unsubscribe'];

function normalizeUrl(url: string): string | undefined {
  try {
    return new URL(url).href;
  } catch {
    return undefined;
  }
}

/** Matches links to the unsubscribe endpoint, however the template spelled the URL. */
function unsubscribeMatcher(unsubscribeUrl: string | undefined): (url: string) => boolean {
  if (!unsubscribeUrl) return () => false;
  const normalized = normalizeUrl(unsubscribeUrl) ?? unsubscribeUrl;
  const host = normalizeUrl(normalized) ? new URL(normalized).host : '';
  return (url) => {
    if (url === unsubscribeUrl || url === normalized) return true;
    // Parsing every link is the costly part of rewriting; only same-host links can match.
    return host !== '' && url.toLowerCase().includes(host) && normalizeUrl(url) === normalized;
  };
}

/**
 * Points every http(s) `<a href>`/`<area href>` at the click-tracking URL. Left alone: other
 * schemes (mailto:, tel:, #anchors, relative), the unsubscribe link (tracking it would add a
 * redirect where mailbox providers expect the real endpoint), and links marked `data-no-track`
 * or `data-unsubscribe`. Returns the html with only those attribute values replaced.
 */
export function rewriteTrackedLinks(html: string, tracking: ClickTrackingOptions, unsubscribeUrl: string | undefined): string {
  const { clickUrl, clickBaseUrl } = tracking;
  if (!clickUrl && !clickBaseUrl) return html;
  const isUnsubscribe = unsubscribeMatcher(unsubscribeUrl);
  const chunks: string[] = [];
  let copied = 0;
  let linkIndex = 0;

  scanHtml(html, {
    startTag(tag) {
      if (tag.name !== 'a' && tag.name !== 'area') return;
      const href = tag.attributes.find((attribute) => attribute.name === 'href');
      if (!href || !href.hasValue) return;
      if (tag.attributes.some((attribute) => NO_TRACK_ATTRIBUTES.includes(attribute.name))) return;
      const url = decodeEntities(href.value).trim();
      if (!/^https?:\/\/[^/]/i.test(url)) return;
      if (isUnsubscribe(url)) return;
      const tracked = clickUrl ? clickUrl(url, linkIndex) : buildClickUrl(clickBaseUrl!, url, linkIndex, tracking.clickSigningKey);
      linkIndex++;
      const escaped = escapeHtml(tracked);
      chunks.push(html.slice(copied, href.valueStart), href.quote === '' ? `"${escaped}"` : escaped);
      copied = href.valueEnd;
    },
  });

  if (copied === 0) return html;
  chunks.push(html.slice(copied));
  return chunks.join('');
}

/** Adds the 1x1 open-tracking image just before the last `</body>`, or at the end. */
export function insertOpenPixel(html: string, pixelUrl: string): string {
  const pixel =
    `<img src="${escapeHtml(pixelUrl)}" width="1" height="1" alt="" ` +
    `style="display:block;width:1px;height:1px;border:0;margin:0;padding:0;" />`;
  let lastBodyClose = -1;
  const closer = /<\/body\s*>/gi;
  for (let match = closer.exec(html); match; match = closer.exec(html)) lastBodyClose = match.index;
  if (lastBodyClose === -1) return html + pixel;
  return html.slice(0, lastBodyClose) + pixel + html.slice(lastBodyClose);
}
