#!/usr/bin/env node
// Time to interactive of the campaign detail page with BENCH_RECIPIENTS messages (default 100,000): the
// built backend on a fresh PostgreSQL database (e2e/src/stack.mjs without n8n), a campaign seeded by SQL,
// Chromium signed in through the sandbox's Google. Each run opens /campaigns/:id in a fresh browser context
// (no HTTP cache) and stops the clock when the counters show the total, the first page of recipients is
// rendered and the chart is drawn. Peers in the same run: the same page with 100 recipients, and the
// campaigns list. Also prints CPU per process and the web bundle's gzip sizes.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { ROOT, startStack } from '../e2e/src/stack.mjs';
import { childrenOf, cpuSeconds, postgresCpuSeconds, peakRssMb } from './proc-stats.mjs';

const RECIPIENTS = Number(process.env.BENCH_RECIPIENTS ?? 100_000);
const PEER_RECIPIENTS = 100;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'];
const ASSETS = join(ROOT, 'web', 'dist', 'assets');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
const descendants = (pid) => childrenOf(pid).flatMap((c) => [c, ...descendants(c)]);

/** Same-origin API call from the page, as the app makes them (session cookie + CSRF double submit). */
async function api(page, method, path, body) {
  const csrf = (await page.context().cookies()).find((c) => c.name === 'cadence_csrf')?.value;
  const res = await page.evaluate(
    async ({ method, path, body, csrf }) => {
      const r = await fetch(`/api/v1${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(csrf ? { 'x-csrf-token': csrf } : {}) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: r.status, body: await r.json().catch(() => null) };
    },
    { method, path, body, csrf: csrf && decodeURIComponent(csrf) },
  );
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A completed campaign of `count` messages, seeded set-based like backend/src/test/seed-messages.ts. */
async function seedCampaign(s, page, name, count, refs) {
  const campaign = await api(page, 'POST', '/campaigns', {
    name,
    type: 'blast',
    sender: { channelId: refs.channelId },
    audience: { leadIds: [refs.leadId] },
    steps: [{ channel: 'sms', templateId: refs.templateId }],
  });
  const { rows } = await s.db.query('SELECT id FROM campaign_steps WHERE campaign_id = $1', [campaign.id]);
  await s.db.query(
    `UPDATE campaigns SET status = 'completed', audience_size = $2, materialized_at = now(),
            launched_at = now() - interval '2 hours', completed_at = now() WHERE id = $1`,
    [campaign.id, count],
  );
  await s.db.query(
    `INSERT INTO messages (organization_id, campaign_id, step_id, lead_id, position, channel, status, skip_reason, to_address,
                           due_at, sent_at, delivered_at, error_code, error_message, attempts, provider_message_id)
     SELECT $1, $2, $3, NULL, 0, 'sms', st, CASE WHEN st = 'skipped' THEN 'missing_address' END,
            '+1415' || lpad(i::text, 7, '0'), now(),
            CASE WHEN st IN ('sent', 'delivered', 'failed', 'unknown') THEN now() - (i % 120) * interval '1 minute' END,
            CASE WHEN st = 'delivered' THEN now() - (i % 120) * interval '1 minute' + interval '5 seconds' END,
            CASE WHEN st = 'failed' THEN 'provider_rejected' END,
            CASE WHEN st = 'failed' THEN 'The number is not reachable' END,
            CASE WHEN st IN ('queued', 'skipped') THEN 0 ELSE 1 END,
            CASE WHEN st IN ('sent', 'delivered') THEN 'SM' || i END
       FROM generate_series(1, $4::int) AS i
       CROSS JOIN LATERAL (SELECT (ARRAY['sent','delivered','delivered','delivered','delivered','delivered','failed','skipped'])[1 + i % 8] AS st) s`,
    [refs.organizationId, campaign.id, rows[0].id, count],
  );
  await s.db.query('ANALYZE messages');
  return campaign.id;
}

/** CPU seconds used since `start()` by the backend, PostgreSQL and every Chromium process (renderers come and go per context). */
function cpuSince(backendPid, browserPids) {
  const chromium = () => new Map(browserPids().map((pid) => [pid, cpuSeconds(pid)]));
  const start = { backend: cpuSeconds(backendPid), postgres: postgresCpuSeconds(), chromium: chromium() };
  return () => {
    let used = 0;
    for (const [pid, cpu] of chromium()) used += cpu - (start.chromium.get(pid) ?? 0);
    return { backend: cpuSeconds(backendPid) - start.backend, postgres: postgresCpuSeconds() - start.postgres, chromium: used };
  };
}

/** One page load in a fresh context: ms from navigation until `ready` resolves, and what the API calls took. */
async function measure(browser, storageState, url, ready, meter = () => () => undefined) {
  const context = await browser.newContext({ storageState, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(120_000);
  const assets = new Set();
  const apiMs = {};
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/assets/')) assets.add(u.pathname.slice('/assets/'.length));
  });
  page.on('requestfinished', (r) => {
    const u = new URL(r.url());
    if (!u.pathname.startsWith('/api/v1/') || u.pathname.endsWith('/events')) return;
    const t = r.timing();
    const key = `${r.method()} ${u.pathname.replace(/[0-9a-f-]{36}/g, ':id')}${u.search.replace(/cursor=[^&]*/, '')}`;
    apiMs[key] = Math.round(t.responseEnd);
  });
  const stop = meter();
  const t0 = performance.now();
  await page.goto(url, { waitUntil: 'commit' });
  await ready(page);
  const ms = performance.now() - t0;
  const cpu = stop();
  // Where the time went in the page: the document, its scripts, and when the first API call left.
  const phases = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const api = performance.getEntriesByType('resource').filter((r) => r.name.includes('/api/v1/'));
    return {
      document: Math.round(nav.responseEnd),
      domContentLoaded: Math.round(nav.domContentLoadedEventEnd),
      firstApiCall: Math.round(Math.min(...api.map((r) => r.startTime))),
      lastApiResponse: Math.round(Math.max(...api.map((r) => r.responseEnd))),
    };
  });
  await context.close();
  return { ms, assets, apiMs, cpu, phases };
}

async function main() {
  const gzip = readdirSync(ASSETS)
    .filter((f) => /\.(js|css)$/.test(f))
    .map((f) => {
      const raw = readFileSync(join(ASSETS, f));
      return { file: f, raw: raw.length, gzip: gzipSync(raw, { level: 9 }).length };
    })
    .sort((a, b) => b.gzip - a.gzip);

  process.stdout.write(`starting the backend and the sandbox (no n8n), seeding ${RECIPIENTS.toLocaleString('en-US')} messages... `);
  const s = await startStack({ google: true, n8n: false });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  try {
    const page = await browser.newPage();
    await page.goto(`${s.backendUrl}/campaigns`);
    await page.getByRole('link', { name: 'Sign in with Google' }).click();
    await page.waitForURL((u) => u.pathname.startsWith('/o/oauth2/'));
    await page.getByLabel('Signed in as').fill('bench@cadence.test');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL((u) => u.pathname === '/campaigns');
    const organizationId = (await api(page, 'GET', '/session')).organization.id;
    const channel = await api(page, 'POST', '/channels', {
      type: 'twilio',
      name: 'Bench line',
      config: { accountSid: `AC${'b'.repeat(32)}`, from: '+14155550190', baseUrl: s.sandboxUrl },
      secrets: { authToken: 'sandbox-twilio-auth-token' },
    });
    const template = await api(page, 'POST', '/templates', { name: 'Bench', channel: 'sms', body: 'Hi {{ lead.first_name }}' });
    const leads = await api(page, 'POST', '/leads', [{ firstName: 'Ada', phone: '+14155550001', consent: { sms: true } }]);
    const refs = { organizationId, channelId: channel.id, templateId: template.id, leadId: leads.ids[0] };
    const seedStart = performance.now();
    const big = await seedCampaign(s, page, 'Big', RECIPIENTS, refs);
    console.log(`seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
    const small = await seedCampaign(s, page, 'Small', PEER_RECIPIENTS, refs);
    const storageState = await page.context().storageState();
    await page.close();

    const detailReady = (total) => async (p) => {
      await Promise.all([
        p
          .locator('[data-testid="counters"] [data-status="total"] dd')
          .filter({ hasText: new RegExp(`^${total.toLocaleString('en-US')}$`) })
          .waitFor(),
        p
          .getByTestId('recipient')
          .nth(Math.min(total, 50) - 1)
          .waitFor(),
        p.locator('.timeline-chart canvas').first().waitFor(),
        p.getByTestId('timeline-totals').waitFor(),
      ]);
    };
    const listReady = (p) => p.getByTestId('campaign').nth(1).waitFor();
    const cases = {
      [`detail, ${RECIPIENTS.toLocaleString('en-US')} recipients`]: [`${s.backendUrl}/campaigns/${big}`, detailReady(RECIPIENTS)],
      [`peer: detail, ${PEER_RECIPIENTS} recipients`]: [`${s.backendUrl}/campaigns/${small}`, detailReady(PEER_RECIPIENTS)],
      'peer: campaigns list': [`${s.backendUrl}/campaigns`, listReady],
    };
    const chromiumPids = () => descendants(process.pid).filter((pid) => pid !== s.backend.pid && pid !== s.sandbox.pid);
    const results = Object.fromEntries(Object.keys(cases).map((k) => [k, { ms: [], cpu: { backend: 0, chromium: 0, postgres: 0 } }]));
    // One warm-up of each (the backend's first queries plan and cache), then interleaved runs.
    for (const [url, ready] of Object.values(cases)) await measure(browser, storageState, url, ready);
    const last = {};
    for (let run = 0; run < RUNS; run++) {
      for (const [name, [url, ready]] of Object.entries(cases)) {
        const r = await measure(browser, storageState, url, ready, () => cpuSince(s.backend.pid, chromiumPids));
        const res = results[name];
        res.ms.push(r.ms);
        for (const k of Object.keys(res.cpu)) res.cpu[k] += r.cpu[k];
        last[name] = r;
      }
    }

    console.log(`\ntime to interactive (navigation → counters show the total, first recipients page and chart drawn), ${RUNS} runs each:`);
    for (const [name, r] of Object.entries(results)) {
      const per = (x) => `${((x / RUNS) * 1000).toFixed(0)} ms`;
      console.log(
        `  ${name.padEnd(34)} median ${median(r.ms).toFixed(0).padStart(5)} ms  min ${Math.min(...r.ms)
          .toFixed(0)
          .padStart(5)} ms  max ${Math.max(...r.ms)
          .toFixed(0)
          .padStart(5)} ms` +
          `   CPU per load: backend ${per(r.cpu.backend)}, postgres ${per(r.cpu.postgres)}, chromium ${per(r.cpu.chromium)}`,
      );
    }
    for (const [name, r] of Object.entries(last)) {
      const p = r.phases;
      console.log(
        `  in the page (last run, ${name}): document ${p.document} ms, DOMContentLoaded ${p.domContentLoaded} ms, first API call sent ${p.firstApiCall} ms, last API response ${p.lastApiResponse} ms`,
      );
      console.log(
        `  API response times (last run, ${name}): ${Object.entries(r.apiMs)
          .map(([k, v]) => `${k} ${v} ms`)
          .join('; ')}`,
      );
    }
    console.log(`backend peak RSS ${peakRssMb(s.backend.pid).toFixed(0)} MB`);

    const byFile = new Map(gzip.map((g) => [g.file, g]));
    const detailAssets = [...last[Object.keys(cases)[0]].assets].map((f) => byFile.get(f)).filter(Boolean);
    const sum = (xs, k) => xs.reduce((a, x) => a + x[k], 0);
    console.log(
      `\nweb bundle (web/dist/assets, gzip -9): ${gzip.length} files, ${kb(sum(gzip, 'gzip'))} gzip (${kb(sum(gzip, 'raw'))} raw)`,
    );
    console.log(
      `  loaded by the detail page: ${detailAssets.length} files, ${kb(sum(detailAssets, 'gzip'))} gzip (${kb(sum(detailAssets, 'raw'))} raw)`,
    );
    for (const g of gzip.slice(0, 8)) console.log(`  ${g.file.padEnd(44)} ${kb(g.gzip).padStart(9)} gzip ${kb(g.raw).padStart(10)} raw`);
  } finally {
    await browser.close();
    await s.stop();
  }
}

await main();
