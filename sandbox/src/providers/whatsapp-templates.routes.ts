import type { SandboxContext } from '../context';
import type { Router } from '../http/router';
import { bearerToken } from '../http/request-context';
import { sendJson } from '../http/respond';
import { body, controlRoutes, notFound } from '../control/control-kit';
import { ControlError, optString, reqString } from '../control/validate';
import { whatsappError, whatsappUnauthorized } from './whatsapp.errors';
import type { WhatsappState } from './whatsapp.state';
import { TEMPLATE_STATUSES, type GraphTemplate, type TemplateStatus } from './whatsapp.templates';

const MAX_PAGE = 100;

const cursor = (offset: number) => Buffer.from(`offset:${offset}`).toString('base64url');
function offsetOf(after: string | null): number | undefined {
  if (after === null) return 0;
  const m = /^offset:(\d+)$/.exec(Buffer.from(after, 'base64url').toString());
  return m ? Number(m[1]) : undefined;
}

/** A token is good for an account when it is good for one of its registered numbers (or any, when none is registered). */
function tokenFitsAccount(ctx: SandboxContext, state: WhatsappState, wabaId: string, token: string | undefined): boolean {
  const numbers = state.numbersOf(wabaId);
  if (numbers.length === 0) return token !== undefined && token !== '' && !ctx.credentials.strict;
  return numbers.some((id) => ctx.credentials.checkWhatsapp(id, token));
}

function asTemplates(value: unknown): GraphTemplate[] {
  if (!Array.isArray(value)) throw new ControlError(400, 'VALIDATION_FAILED', 'templates must be an array');
  return value.map((raw, i) => {
    const t = raw as Partial<GraphTemplate>;
    if (!t || typeof t.name !== 'string' || typeof t.language !== 'string' || !Array.isArray(t.components))
      throw new ControlError(400, 'VALIDATION_FAILED', `templates[${i}] needs name, language and components`);
    const status = t.status ?? 'APPROVED';
    if (!TEMPLATE_STATUSES.includes(status)) throw new ControlError(400, 'VALIDATION_FAILED', `templates[${i}].status is not a status`);
    return {
      id: typeof t.id === 'string' ? t.id : String(2000000000000000 + i),
      name: t.name,
      language: t.language,
      status,
      category: t.category ?? 'MARKETING',
      parameter_format: t.parameter_format ?? 'POSITIONAL',
      components: t.components,
    };
  });
}

/** Graph's template listing with its cursor paging, and the sandbox controls that play Meta's review. */
export function registerWhatsappTemplateRoutes(router: Router, ctx: SandboxContext, state: WhatsappState): void {
  router.add('GET', /^\/(v\d+\.\d+)\/([^/]+)\/message_templates$/, (rc) => {
    const wabaId = rc.params[1];
    if (!tokenFitsAccount(ctx, state, wabaId, bearerToken(rc))) return whatsappUnauthorized(rc);
    const offset = offsetOf(rc.query.get('after'));
    if (offset === undefined) return whatsappError(rc, 400, 100, '(#100) Invalid parameter: after is not a valid cursor');
    const limit = Math.min(MAX_PAGE, Math.max(1, Number(rc.query.get('limit') ?? 25) || 25));
    const status = rc.query.get('status');
    const name = rc.query.get('name');
    const all = state.templates
      .templates(wabaId)
      .filter((t) => (status ? t.status === status.toUpperCase() : true) && (name ? t.name.includes(name) : true));
    const data = all.slice(offset, offset + limit);
    const end = offset + data.length;
    const paging: Record<string, unknown> = { cursors: { before: cursor(offset), after: cursor(end) } };
    if (end < all.length) {
      const next = new URL(`http://${rc.req.headers.host ?? 'localhost'}${rc.path}`);
      next.searchParams.set('limit', String(limit));
      next.searchParams.set('after', cursor(end));
      paging.next = next.toString();
    }
    sendJson(rc.res, 200, { data, paging });
  });

  const route = controlRoutes(router);
  route('GET', /^\/_sandbox\/whatsapp\/templates\/([^/]+)$/, (rc) => ({ items: state.templates.templates(rc.params[0]) }));
  // Replaces an account's catalog; from then on an unknown template name is refused with 132001.
  route('PUT', /^\/_sandbox\/whatsapp\/templates\/([^/]+)$/, (rc) => {
    const templates = asTemplates(body(rc).templates);
    state.templates.set(rc.params[0], templates);
    return { items: templates };
  });
  // What Meta's review or quality rating does to one template: approve, pause, reject, disable.
  route('POST', /^\/_sandbox\/whatsapp\/templates\/([^/]+)\/status$/, (rc) => {
    const b = body(rc);
    const name = reqString(b, 'name');
    const status = reqString(b, 'status').toUpperCase() as TemplateStatus;
    if (!TEMPLATE_STATUSES.includes(status))
      throw new ControlError(400, 'VALIDATION_FAILED', `status must be one of ${TEMPLATE_STATUSES.join(', ')}`);
    const changed = state.templates.setStatus(rc.params[0], name, optString(b, 'language'), status);
    if (!changed) throw notFound('template', name);
    return changed;
  });
}
