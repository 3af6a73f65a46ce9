#!/usr/bin/env node
// Analytics at scale, on the built backend and a fresh PostgreSQL database (e2e/src/stack.mjs without n8n):
//  1. GET /campaigns/:id/analytics of a BENCH_MESSAGES (default 1,000,000) message email campaign sent over 30 days,
//     with 300,000 opens, 100,000 clicks, 20,000 replies and bounces seeded set-based (the triggers keep the rollups);
//     median and p95 of BENCH_RUNS requests per bucket, and once more after the tracked events of step 2.
//  2. Recording BENCH_EVENTS (default 100,000) tracked opens through the real path (GET /t/o/<token>.gif: token check,
//     machine rule, one transaction per open), with the rollup trigger on message_events, and its peer in the same
//     run: the same requests on other messages with that trigger disabled. Interleaved halves (off, on, on, off) so
//     drift in a shared machine lands on both. Prints wall time, opens/s, CPU per process and peak memory.
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ROOT, startStack } from '../e2e/src/stack.mjs';
import { cpuMeter, peakRssMb } from './proc-stats.mjs';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 1_000_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const SAFARI = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15';

const require = createRequire(import.meta.url);
const { SecretBox } = require(join(ROOT, 'backend/dist/common/crypto/secret-box.js'));
const { TrackingTokens } = require(join(ROOT, 'backend/dist/modules/tracking/tracking-tokens.js'));

const encryptionKey = randomBytes(32);
const tokens = new TrackingTokens(new SecretBox(encryptionKey));
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))];

async function must(res, what) {
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Message i: delivered but every 20th failed (a bounce) and every 20th skipped; sent i % 720 hours ago. */
async function seed(s, campaignId, stepIds) {
  const [{ organization_id: org }] = (await s.db.query('SELECT organization_id FROM campaigns WHERE id = $1', [campaignId])).rows;
  const t0 = performance.now();
  await s.db.query(
    `INSERT INTO messages (organization_id, campaign_id, step_id, position, channel, status, skip_reason, to_address, sent_at, delivered_at, attempts)
     SELECT $1, $2, CASE WHEN i % 2 = 0 THEN $3::uuid ELSE $4::uuid END, i % 2, 'email', st, CASE WHEN st = 'skipped' THEN 'suppressed' END,
            'user' || i || '@example.com',
            CASE WHEN st <> 'skipped' THEN now() - (i % 720) * interval '1 hour' - interval '1 minute' END,
            CASE WHEN st = 'delivered' THEN now() - (i % 720) * interval '1 hour' END, 1
       FROM generate_series(1, $5::int) AS i
       CROSS JOIN LATERAL (SELECT CASE WHEN i % 20 = 7 THEN 'failed' WHEN i % 20 = 11 THEN 'skipped' ELSE 'delivered' END AS st) s`,
    [org, campaignId, stepIds[0], stepIds[1], MESSAGES],
  );
  const seeded = performance.now() - t0;
  // Engagement, set-based: opens on i % 10 < 3, clicks on i % 10 = 0, replies on i % 50 = 0, a bounce per failed message.
  const t1 = performance.now();
  await s.db.query(
    `INSERT INTO message_events (organization_id, message_id, source, event_id, type, occurred_at, payload)
     SELECT m.organization_id, m.id, 'bench', k.type || ':' || m.id, k.type, m.sent_at + interval '10 minutes', '{}'::jsonb
       FROM (SELECT id, organization_id, sent_at, status, substring(to_address from 5 for position('@' in to_address) - 5)::int AS i
               FROM messages WHERE campaign_id = $1) m
       CROSS JOIN LATERAL (VALUES ('opened', m.i % 10 < 3 AND m.status = 'delivered'), ('clicked', m.i % 10 = 0 AND m.status = 'delivered'),
                                  ('replied', m.i % 50 = 0 AND m.status = 'delivered'), ('failed', m.status = 'failed')) AS k(type, wanted)
      WHERE k.wanted`,
    [campaignId],
  );
  const events = performance.now() - t1;
  await s.db.query('ANALYZE');
  console.log(
    `seeded ${MESSAGES.toLocaleString('en')} messages in ${(seeded / 1000).toFixed(1)} s, their events in ${(events / 1000).toFixed(1)} s`,
  );
}

async function latency(s, campaignId, label) {
  for (const bucket of ['day', 'hour']) {
    const path = `/campaigns/${campaignId}/analytics?bucket=${bucket}`;
    await must(await s.api('GET', path), 'warm-up');
    const ms = [];
    let body;
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const res = await s.api('GET', path);
      ms.push(performance.now() - t0);
      body = await must(res, 'analytics');
    }
    const rows = (await s.db.query('SELECT count(*)::int AS n FROM campaign_analytics_deltas WHERE campaign_id = $1', [campaignId])).rows[0]
      .n;
    console.log(
      `${label}, bucket=${bucket}: median ${quantile(ms, 0.5).toFixed(1)} ms, p95 ${quantile(ms, 0.95).toFixed(1)} ms over ${RUNS} requests ` +
        `(${rows.toLocaleString('en')} rollup rows; sent ${body.totals.sent}, delivered ${body.totals.delivered}, opened ${body.totals.opened}, ` +
        `clicked ${body.totals.clicked}, replied ${body.totals.replied}, bounced ${body.totals.bounced}; ${body.series.length} points)`,
    );
  }
}

/** GET /t/o/<token>.gif for each message, CONCURRENCY at a time. */
async function openAll(s, ids) {
  let next = 0;
  let failed = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++];
      const res = await fetch(`${s.backendUrl}/t/o/${tokens.sign(id, 'open')}.gif`, { headers: { 'user-agent': SAFARI } });
      await res.arrayBuffer();
      if (res.status !== 200) failed++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  if (failed) throw new Error(`${failed} opens failed`);
}

async function ingest(s, ids, withTriggers) {
  await s.db.query(`ALTER TABLE message_events ${withTriggers ? 'ENABLE' : 'DISABLE'} TRIGGER analytics_events_insert`);
  const meter = cpuMeter({ backend: s.backend.pid });
  const t0 = performance.now();
  await openAll(s, ids);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = meter();
  await s.db.query('ALTER TABLE message_events ENABLE TRIGGER analytics_events_insert');
  return { seconds, backend: cpu.backend, postgres: cpu.postgres };
}

const s = await startStack({
  n8n: false,
  backendEnv: { ENCRYPTION_KEY: encryptionKey.toString('base64'), LOG_LEVEL: 'error', SCHEDULER_INTERVAL_MS: '1000' },
});
try {
  const channel = await must(
    await s.api('POST', '/channels', {
      type: 'mailgun',
      name: 'Bench',
      config: { domain: 'mg.example.com', from: 'Bench <bench@mg.example.com>' },
      secrets: { apiKey: 'key-1234567890abcdef', webhookSigningKey: 'signing-1234567890' },
    }),
    'channel',
  );
  const template = await must(
    await s.api('POST', '/templates', { name: 'Bench', channel: 'email', subject: 'Hi', html: '<p>Hi</p>' }),
    'template',
  );
  const lead = await must(await s.api('POST', '/leads', { email: 'bench@example.com' }), 'lead');
  const campaign = await must(
    await s.api('POST', '/campaigns', {
      name: 'A million',
      type: 'sequence',
      sender: { channelId: channel.id },
      audience: { leadIds: [lead.id] },
      steps: [
        { channel: 'email', templateId: template.id },
        { channel: 'email', templateId: template.id, delaySeconds: 86_400 },
      ],
    }),
    'campaign',
  );
  await seed(
    s,
    campaign.id,
    campaign.steps.map((st) => st.id),
  );
  await latency(s, campaign.id, `analytics of ${MESSAGES.toLocaleString('en')} messages`);

  // Unopened delivered messages (i % 10 in 5..8), split between the two variants.
  const { rows } = await s.db.query(
    `SELECT id FROM messages WHERE campaign_id = $1 AND status = 'delivered'
        AND substring(to_address from 5 for position('@' in to_address) - 5)::int % 10 BETWEEN 5 AND 8 ORDER BY id LIMIT $2`,
    [campaign.id, EVENTS * 2 + 2000],
  );
  const ids = rows.map((r) => r.id);
  if (ids.length < EVENTS * 2 + 2000) throw new Error(`only ${ids.length} unopened messages; raise BENCH_MESSAGES`);
  await openAll(s, ids.slice(0, 2000)); // warm-up
  const half = EVENTS / 2;
  const on = { seconds: 0, backend: 0, postgres: 0 };
  const off = { seconds: 0, backend: 0, postgres: 0 };
  const add = (sum, r) => Object.keys(sum).forEach((k) => (sum[k] += r[k]));
  let at = 2000;
  for (const withTriggers of [false, true, true, false]) {
    add(withTriggers ? on : off, await ingest(s, ids.slice(at, at + half), withTriggers));
    at += half;
  }
  const line = (name, r) =>
    `${name}: ${r.seconds.toFixed(1)} s (${Math.round(EVENTS / r.seconds)} opens/s), CPU backend ${r.backend.toFixed(1)} s, postgres ${r.postgres.toFixed(1)} s`;
  console.log(`recording ${EVENTS.toLocaleString('en')} tracked opens (GET /t/o/<token>.gif, ${CONCURRENCY} at a time):`);
  console.log(`  ${line('with the rollup trigger   ', on)}`);
  console.log(`  ${line('peer, trigger disabled    ', off)}`);
  const cost = (r) => r.backend + r.postgres;
  console.log(
    `  the rollups add ${(((on.seconds - off.seconds) / off.seconds) * 100).toFixed(1)} % wall time, ` +
      `${(((cost(on) - cost(off)) / cost(off)) * 100).toFixed(1)} % CPU (backend + postgres)`,
  );
  // The opens of the trigger-less half are not in the rollups: that is the point of the peer. Let compaction fold
  // the per-open rows (every 10 s with this scheduler interval), then read again.
  await new Promise((r) => setTimeout(r, 11_000));
  await latency(s, campaign.id, `after ${EVENTS.toLocaleString('en')} tracked opens and a compaction pass`);
  console.log(`peak RSS: backend ${peakRssMb(s.backend.pid).toFixed(0)} MB, sandbox ${peakRssMb(s.sandbox.pid).toFixed(0)} MB`);
} finally {
  await s.stop();
}
