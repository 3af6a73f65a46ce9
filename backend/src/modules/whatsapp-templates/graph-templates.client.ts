import { AppError } from '../../common/errors/app-error';
import { graphGet } from './graph-request';

/** One template as `GET /{waba-id}/message_templates` lists it. */
export interface GraphTemplate {
  id: string;
  name: string;
  language: string;
  status: string;
  category: string;
  parameter_format?: string;
  components: Record<string, unknown>[];
}

const FIELDS = 'id,name,language,status,category,parameter_format,components';
const PAGE_SIZE = 100;
// 5,000 templates: far above Meta's per-account cap (250 on most tiers), so a loop never runs unbounded.
const MAX_PAGES = 50;

function isTemplate(t: unknown): t is GraphTemplate {
  const o = t as Record<string, unknown>;
  return (
    !!o &&
    typeof o.id === 'string' &&
    typeof o.name === 'string' &&
    typeof o.language === 'string' &&
    typeof o.status === 'string' &&
    typeof o.category === 'string' &&
    Array.isArray(o.components)
  );
}

/**
 * Every template of one business account, following `paging.next`. A next link is only followed on
 * the origin the channel is configured with: the access token goes nowhere else.
 */
export async function listGraphTemplates(
  baseUrl: string,
  apiVersion: string,
  wabaId: string,
  accessToken: string,
): Promise<GraphTemplate[]> {
  const origin = new URL(baseUrl).origin;
  let url: string | undefined =
    `${baseUrl}/${apiVersion}/${encodeURIComponent(wabaId)}/message_templates?limit=${PAGE_SIZE}&fields=${FIELDS}`;
  const out: GraphTemplate[] = [];
  for (let page = 0; url && page < MAX_PAGES; page++) {
    const res = await graphGet(url, accessToken);
    const body = (await res.json().catch(() => ({}))) as {
      data?: unknown;
      paging?: { next?: unknown };
      error?: { code?: unknown; message?: unknown };
    };
    if (!res.ok) {
      const graph = body.error ? ` (Graph error ${String(body.error.code)}: ${String(body.error.message).slice(0, 200)})` : '';
      throw new AppError('whatsapp_sync_failed', `Meta answered HTTP ${res.status} listing the templates${graph}`, {
        httpStatus: res.status,
      });
    }
    if (!Array.isArray(body.data)) throw new AppError('whatsapp_sync_failed', 'Meta answered a template listing without data');
    out.push(...body.data.filter(isTemplate));
    const next = typeof body.paging?.next === 'string' ? body.paging.next : undefined;
    url = next && new URL(next).origin === origin ? next : undefined;
  }
  return out;
}
