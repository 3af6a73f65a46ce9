import type { SandboxContext } from '../context';
import { escapeHtml } from '../http/respond';

function cell(v: unknown): string {
  return `<td>${escapeHtml(v === undefined || v === null ? '' : String(v))}</td>`;
}

/** Server-rendered overview: counts, the latest messages and webhook deliveries. Everything escaped. */
export function renderDashboard(ctx: SandboxContext, filter: { provider?: string }): string {
  const counts = ctx.store.countsSummary();
  const hooks = ctx.webhooks.summary();
  const messages = ctx.store.latest(200, filter.provider);
  const deliveries = ctx.webhooks.latest(50);
  const dups = ctx.store.duplicates().length;
  const chip = (label: string, n: number, href?: string) =>
    `<a class="chip" href="${escapeHtml(href ?? '#')}"><b>${n}</b> ${escapeHtml(label)}</a>`;
  const rows = messages
    .map(
      (m) =>
        `<tr>${cell(m.acceptedAt.slice(11, 23))}${cell(m.provider)}${cell(m.channel)}${cell(m.from)}${cell(m.to)}<td class="text">${escapeHtml((m.subject ? m.subject + ' — ' : '') + (m.body ?? '').slice(0, 140))}</td>${cell(m.status)}${cell(m.campaignMessageId)}</tr>`,
    )
    .join('');
  const hookRows = deliveries
    .map(
      (d) =>
        `<tr>${cell(d.createdAt.slice(11, 23))}${cell(d.provider)}${cell(d.event)}<td class="text">${escapeHtml(d.url)}</td>${cell(d.state)}${cell(d.attempts.map((a) => a.status ?? a.error).join(', '))}</tr>`,
    )
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Cadence provider sandbox</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><meta http-equiv="refresh" content="5">
<style>
body{font-family:system-ui,sans-serif;margin:24px;color:#1f2328;background:#f6f8fa}
h1{font-size:20px}h2{font-size:16px;margin-top:28px}
.chips{display:flex;flex-wrap:wrap;gap:8px}.chip{background:#fff;border:1px solid #d0d7de;border-radius:16px;padding:4px 12px;text-decoration:none;color:inherit}
table{border-collapse:collapse;width:100%;background:#fff;font-size:13px}
th,td{border-bottom:1px solid #eaeef2;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#f0f3f6}td.text{max-width:420px;overflow-wrap:anywhere}
.muted{color:#656d76;font-size:12px}
</style></head><body>
<h1>Cadence provider sandbox</h1>
<p class="muted">Refreshes every 5 s. JSON: <a href="/_sandbox/messages">/_sandbox/messages</a> · <a href="/_sandbox/counts">counts</a> · <a href="/_sandbox/webhooks">webhooks</a> · <a href="/_sandbox/duplicates">duplicates</a> · <a href="/_sandbox/config">config</a>. Rate limits: <b>${ctx.settings.rateLimits.enabled ? 'on' : 'off'}</b>. Seed: <code>${escapeHtml(ctx.behaviour.seed)}</code>.</p>
<div class="chips">${chip('all messages', counts.total, '/_sandbox')}${Object.entries(counts.byProvider)
    .map(([p, n]) => chip(p, n, `/_sandbox?provider=${encodeURIComponent(p)}`))
    .join('')}${chip('duplicates', dups, '/_sandbox/duplicates')}${Object.entries(hooks)
    .map(([s, n]) => chip(`webhooks ${s}`, n, `/_sandbox/webhooks?state=${encodeURIComponent(s)}`))
    .join('')}</div>
<h2>Latest messages${filter.provider ? ` (${escapeHtml(filter.provider)})` : ''}</h2>
<table><thead><tr><th>accepted</th><th>provider</th><th>channel</th><th>from</th><th>to</th><th>subject / body</th><th>status</th><th>campaign msg id</th></tr></thead><tbody>${rows || '<tr><td colspan="8" class="muted">Nothing sent yet.</td></tr>'}</tbody></table>
<h2>Latest webhook deliveries</h2>
<table><thead><tr><th>created</th><th>provider</th><th>event</th><th>url</th><th>state</th><th>attempts</th></tr></thead><tbody>${hookRows || '<tr><td colspan="6" class="muted">No webhooks yet.</td></tr>'}</tbody></table>
</body></html>`;
}
