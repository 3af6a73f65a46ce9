#!/usr/bin/env node
// End-to-end sending throughput, unthrottled (SANDBOX_RATE_LIMITS=off):
//  1. a 10,000-message SMS campaign through Cadence (REST launch → backend → n8n with our nodes → sandbox),
//     with Twilio's status callbacks ingested by the backend, as deployed;
//  2. the same again with the sandbox's status callbacks off, and the same 10,000 SMS through a plain n8n
//     workflow of built-in nodes (Loop Over Items + HTTP Request) that asks for none, against the same
//     sandbox, in the same n8n: the ratio compares these two, under the same conditions;
//  3. a 100,000-recipient Mailgun campaign through Cadence (BENCH_MAILGUN=1000000 for a million).
// Prints messages/s, the ratio, CPU per message per process, and the backend's and n8n's resident memory
// before and at the peak of each campaign (sampled every 200 ms). A campaign's time runs from launch to
// `completed`; its CPU and memory until the status callbacks it caused are all applied (callbacksSettled).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startStack, waitFor } from '../e2e/src/stack.mjs';
import { createMemoryCgroup } from './memory-cgroup.mjs';
import { cpuMeter, postgresBackgroundMeter, rssLine, rssMeter } from './proc-stats.mjs';

const SMS_COUNT = Number(process.env.BENCH_SMS ?? 10_000);
const MAILGUN_COUNT = Number(process.env.BENCH_MAILGUN ?? 100_000);
// BENCH_MAILGUN_HTML_KB=20: the Mailgun campaign's email is an HTML newsletter of about that size (a tracked
// link, the open pixel and the unsubscribe link added per recipient) instead of one line of text.
const MAILGUN_HTML_KB = Number(process.env.BENCH_MAILGUN_HTML_KB ?? 0);
// BENCH_SMS_SHARDS=n fixes the SMS campaign's runs (settings.shards) instead of the backlog-sized default.
const SID = `AC${'b'.repeat(32)}`;
const FROM = '+14155550177';

async function addLeads(s, items) {
  const ids = [];
  for (let i = 0; i < items.length; i += 1000) {
    const res = await s.api('POST', '/leads', items.slice(i, i + 1000));
    if (res.body.failed) throw new Error(JSON.stringify(res.body.errors.slice(0, 3)));
    ids.push(...res.body.ids);
  }
  return ids;
}

async function sandboxCount(s, provider, prefix) {
  const { items } = await s.sandboxApi('GET', `/messages?provider=${provider}`);
  return items.filter((m) => m.to.startsWith(prefix)).length;
}

/**
 * Status callbacks keep arriving after a campaign completes (its last sends' `sent` and `delivered`): until the
 * sandbox has none left to post and the backend's inbox is applied, their CPU belongs to that campaign, not to
 * whatever is measured next. Resolves at once when the provider posts none.
 */
async function callbacksSettled(s) {
  await waitFor(
    async () => {
      const { webhooks } = await s.sandboxApi('GET', '/counts');
      if (webhooks.pending > 0) return false;
      const { rows } = await s.db.query('SELECT count(*)::int AS n FROM webhook_inbox');
      return rows[0].n === 0;
    },
    'the status callbacks',
    300_000,
    100,
  );
}

async function runCampaign(s, body) {
  const created = await s.api('POST', '/campaigns', body);
  if (created.status !== 201) throw new Error(JSON.stringify(created.body));
  const meter = cpuMeter({ backend: s.backend.pid, n8n: s.n8n.pid, sandbox: s.sandbox.pid });
  const postgresBackground = postgresBackgroundMeter();
  const rss = rssMeter({ backend: s.backend.pid, n8n: s.n8n.pid });
  const t0 = performance.now();
  await s.api('POST', `/campaigns/${created.body.id}/launch`);
  // The progress endpoint, not the campaign: a 100,000-id audience would make each poll megabytes.
  await waitFor(
    async () => (await s.api('GET', `/campaigns/${created.body.id}/progress`)).body.status === 'completed',
    'the campaign',
    900_000,
    100,
  );
  const seconds = (performance.now() - t0) / 1000;
  await callbacksSettled(s);
  return {
    id: created.body.id,
    seconds,
    cpu: meter(),
    postgresBackground: postgresBackground(),
    rss: rss(),
  };
}

/**
 * Issue 20's verdict on a goal set for `setAt` messages; at another count there is none (at a few hundred,
 * start-up costs dominate; at a million, the memory goal is the 100,000 run's peak, measured by another run).
 */
const verdictAt = (count, setAt) => (met) =>
  count === setAt ? (met ? 'met' : 'NOT met') : `the goal is set at ${setAt.toLocaleString('en-US')}`;
const smsVerdict = verdictAt(SMS_COUNT, 10_000);
const mailgunVerdict = verdictAt(MAILGUN_COUNT, 100_000);
/** CPU milliseconds a message, all processes together. */
const wholeSystemMs = (cpu, count) => (Object.values(cpu).reduce((a, b) => a + b, 0) * 1000) / count;
const cpuLine = (cpu) =>
  Object.entries(cpu)
    .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
    .join(', ');
/** CPU milliseconds per message of each process, and of the whole system (goal: under 1 ms). */
const perMessageLine = (cpu, count) => {
  const ms = (seconds) => ((seconds * 1000) / count).toFixed(2);
  return `${Object.entries(cpu)
    .map(([k, v]) => `${k} ${ms(v)}`)
    .join(', ')}; whole system ${wholeSystemMs(cpu, count).toFixed(2)} ms`;
};

// BENCH_N8N_MEMORY_MB=1024: n8n (main + task runner) runs in a memory cgroup of that size, as in a container
// with that limit: Node sizes its heap from it, and the kernel kills n8n if the campaign needs more.
const n8nMemory = process.env.BENCH_N8N_MEMORY_MB
  ? createMemoryCgroup(`cadence-bench-n8n-${process.pid}`, Number(process.env.BENCH_N8N_MEMORY_MB))
  : undefined;
const s = await startStack({
  n8nMemoryCgroup: n8nMemory?.dir,
  // Room for every message of the run: beyond its limit the sandbox drops the oldest.
  sandboxEnv: { SANDBOX_RATE_LIMITS: 'off', SANDBOX_MAX_MESSAGES: String(MAILGUN_COUNT + 3 * SMS_COUNT + 1000) },
  backendEnv: {
    LEASE_TTL_SECONDS: '60',
    LOG_LEVEL: 'error',
    // BENCH_BACKEND_NODE_OPTIONS: the same for the backend.
    ...(process.env.BENCH_BACKEND_NODE_OPTIONS && { NODE_OPTIONS: process.env.BENCH_BACKEND_NODE_OPTIONS }),
  },
  // BENCH_N8N_NODE_OPTIONS: V8 flags for n8n (its heap limits, say), to see what they do to its memory.
  n8nEnv: process.env.BENCH_N8N_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_N8N_NODE_OPTIONS } : {},
});
try {
  const twilio = (
    await s.api('POST', '/channels', {
      type: 'twilio',
      name: 'Bench',
      config: { accountSid: SID, from: FROM, baseUrl: s.sandboxUrl, ratePerSecond: 100_000 },
      secrets: { authToken: 'sandbox-twilio-auth-token' },
    })
  ).body.id;
  const sms = (
    await s.api('POST', '/templates', { name: 'Bench SMS', channel: 'sms', body: 'Hi {{ lead.first_name | default: "there" }}' })
  ).body.id;
  const smsCampaign = async (prefix) => {
    const leads = await addLeads(
      s,
      Array.from({ length: SMS_COUNT }, (_, i) => ({
        phone: `${prefix}${String(i).padStart(4, '0')}`,
        firstName: `Lead${i}`,
        consent: { sms: true },
      })),
    );
    const run = await runCampaign(s, {
      name: `Bench SMS ${prefix}`,
      type: 'blast',
      sender: { channelId: twilio },
      audience: { leadIds: leads },
      steps: [{ channel: 'sms', templateId: sms }],
      settings: { concurrency: 64, ...(process.env.BENCH_SMS_SHARDS && { shards: Number(process.env.BENCH_SMS_SHARDS) }) },
    });
    return { ...run, delivered: await sandboxCount(s, 'twilio', prefix) };
  };
  const ours = await smsCampaign('+1415401');
  // From here on, as the plain workflow asks: no status callbacks, so none to ingest.
  await s.sandboxApi('PUT', '/twilio/status-callbacks', { enabled: false });
  const oursQuiet = await smsCampaign('+1415405');

  const peer = JSON.parse(readFileSync(join(ROOT, 'bench/workflows/plain-n8n-sms.json'), 'utf8'));
  const imported = await s.n8n.importWorkflow(peer);
  await s.n8n.activate(imported.id);
  const peerMeter = cpuMeter({ backend: s.backend.pid, n8n: s.n8n.pid, sandbox: s.sandbox.pid });
  const t0 = performance.now();
  const res = await s.n8n.webhook(
    'plain-sms',
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        count: SMS_COUNT,
        prefix: '+1415402',
        from: FROM,
        url: `${s.sandboxUrl}/2010-04-01/Accounts/${SID}/Messages.json`,
        auth: `Basic ${Buffer.from(`${SID}:sandbox-twilio-auth-token`).toString('base64')}`,
      }),
      signal: AbortSignal.timeout(1_800_000),
    },
    60_000,
  );
  if (!res.ok) throw new Error(`the plain workflow answered ${res.status}: ${await res.text()}`);
  const peerSeconds = (performance.now() - t0) / 1000;
  const peerCpu = peerMeter();
  const peerDelivered = await sandboxCount(s, 'twilio', '+1415402');

  const rate = (seconds) => `${seconds.toFixed(1)} s, ${Math.round(SMS_COUNT / seconds).toLocaleString()} msg/s`;
  console.log(`\nSMS campaign, ${SMS_COUNT.toLocaleString()} messages, sandbox rate limits off, one machine (2 cores)`);
  console.log(`  Cadence, status callbacks ingested  : ${rate(ours.seconds)}, ${ours.delivered.toLocaleString()} accepted by the sandbox`);
  console.log(
    `  Cadence, no status callbacks        : ${rate(oursQuiet.seconds)}, ${oursQuiet.delivered.toLocaleString()} accepted by the sandbox`,
  );
  console.log(`  plain n8n (Loop Over Items + HTTP)  : ${rate(peerSeconds)}, ${peerDelivered.toLocaleString()} accepted by the sandbox`);
  console.log(`  ratio, same conditions (no callbacks): ${(peerSeconds / oursQuiet.seconds).toFixed(1)}x`);
  console.log(`  CPU ms a message, Cadence + callbacks: ${perMessageLine(ours.cpu, SMS_COUNT)}`);
  console.log(`  CPU ms a message, Cadence, none      : ${perMessageLine(oursQuiet.cpu, SMS_COUNT)}`);
  const wholeMs = wholeSystemMs(oursQuiet.cpu, SMS_COUNT);
  console.log(`  goal, whole system < 1 ms a message : ${wholeMs.toFixed(2)} ms without callbacks, ${smsVerdict(wholeMs < 1)}`);
  console.log(`  CPU ms a message, plain n8n          : ${perMessageLine(peerCpu, SMS_COUNT)}`);
  // What ingesting one status callback costs: the two Cadence runs differ only in the callbacks.
  const {
    rows: [{ callbacks }],
  } = await s.db.query(
    `SELECT count(*)::int AS callbacks FROM message_events e JOIN messages m ON m.id = e.message_id WHERE m.campaign_id = $1 AND e.source = 'twilio'`,
    [ours.id],
  );
  const perCallback = (k) => (((ours.cpu[k] - oursQuiet.cpu[k]) * 1e6) / callbacks).toFixed(0);
  if (callbacks > 0)
    console.log(
      `  a status callback (runs' difference) : ${callbacks.toLocaleString()} ingested; CPU µs each: backend ${perCallback('backend')}, postgres ${perCallback('postgres')}, sandbox (posting it) ${perCallback('sandbox')}`,
    );
  const n8nRatio = oursQuiet.cpu.n8n / peerCpu.n8n;
  console.log(
    `  n8n CPU, Cadence / plain n8n         : ${n8nRatio.toFixed(3)} (goal ≤ 0.1: ${smsVerdict(n8nRatio <= 0.1)}), with callbacks ${(ours.cpu.n8n / peerCpu.n8n).toFixed(3)}`,
  );
  console.log(
    `  RSS during the Cadence run          : ${rssLine(ours.rss)} (n8n: main + task runner; idle → peak, and the peak of the run's second half)`,
  );
  console.log(`  duplicates in the sandbox           : ${(await s.sandboxApi('GET', '/duplicates')).total}`);

  // BENCH_WITHOUT_ROLLUPS=1: the Mailgun campaign runs with the analytics rollup triggers disabled, to measure
  // what they cost the send path (the analytics of that run are then wrong; nothing else reads them here).
  if (process.env.BENCH_WITHOUT_ROLLUPS)
    await s.db.query(
      `ALTER TABLE messages DISABLE TRIGGER analytics_messages_insert; ALTER TABLE messages DISABLE TRIGGER analytics_messages_update;
       ALTER TABLE message_events DISABLE TRIGGER analytics_events_insert`,
    );
  // BENCH_JOIN_TRIGGER=1: the Mailgun campaign runs with the analytics trigger on message updates as it was
  // until migration 1797700000000 (a join of old and new rows), to compare what each costs PostgreSQL.
  if (process.env.BENCH_JOIN_TRIGGER) {
    const { ANALYTICS_MESSAGES_ON_UPDATE_V1 } = await import('../backend/dist/database/migrations/1796200000000-campaign-analytics.js');
    await s.db.query(ANALYTICS_MESSAGES_ON_UPDATE_V1);
  }
  if (MAILGUN_COUNT > 0) {
    const mailgun = (
      await s.api('POST', '/channels', {
        type: 'mailgun',
        name: 'Bench MG',
        config: { domain: 'mg.bench.test', from: 'Bench <b@mg.bench.test>', baseUrl: s.sandboxUrl, ratePerSecond: 100_000 },
        secrets: { apiKey: 'k', webhookSigningKey: 'sandbox-mailgun-signing-key' },
      })
    ).body.id;
    const paragraph = '<p>Spring is here, and with it our whole catalogue: page after page of it.</p>\n';
    const content = MAILGUN_HTML_KB
      ? {
          html: `<h1>News</h1><p><a href="https://shop.bench.test/spring">See the offer</a></p>\n${paragraph.repeat(Math.ceil((MAILGUN_HTML_KB * 1024) / paragraph.length))}`,
        }
      : { text: 'Hello, this is the newsletter.' };
    const email = (await s.api('POST', '/templates', { name: 'Bench mail', channel: 'email', subject: 'News', ...content })).body.id;
    await addLeads(
      s,
      Array.from({ length: MAILGUN_COUNT }, (_, i) => ({ email: `reader${i}@bench.test` })),
    );
    const mg = await runCampaign(s, {
      name: 'Bench Mailgun',
      type: 'blast',
      sender: { channelId: mailgun },
      // Every lead with an address: the SMS leads have none (a list of ids stops at 100,000).
      audience: { filter: { hasEmail: true } },
      steps: [{ channel: 'email', templateId: email }],
      // BENCH_MAILGUN_SHARDS=n fixes its runs, as BENCH_SMS_SHARDS does the SMS campaign's.
      settings: {
        batchSize: 1000,
        concurrency: 8,
        ...(process.env.BENCH_MAILGUN_SHARDS && { shards: Number(process.env.BENCH_MAILGUN_SHARDS) }),
      },
    });
    // Only the count (limit=0): a million messages listed would be a response of gigabytes.
    const accepted = (await s.sandboxApi('GET', '/messages?provider=mailgun&limit=0')).total;
    console.log(
      `\nMailgun campaign, ${MAILGUN_COUNT.toLocaleString()} recipients${MAILGUN_HTML_KB ? `, a ${MAILGUN_HTML_KB} KB HTML email` : ''}${process.env.BENCH_WITHOUT_ROLLUPS ? ' (analytics rollup triggers disabled)' : ''}`,
    );
    console.log(
      `  Cadence (launch → completed)        : ${mg.seconds.toFixed(1)} s, ${Math.round(MAILGUN_COUNT / mg.seconds).toLocaleString()} recipients/s, ${accepted.toLocaleString()} accepted by the sandbox`,
    );
    console.log(`  CPU used                            : ${cpuLine(mg.cpu)}`);
    console.log(`  CPU ms a recipient                  : ${perMessageLine(mg.cpu, MAILGUN_COUNT)}`);
    // Statements vs what their writes cost afterwards (WAL flushes, page write-back, checkpoints).
    console.log(
      `  postgres: connections, own workers  : ${(mg.cpu.postgres - mg.postgresBackground).toFixed(1)} s, ${mg.postgresBackground.toFixed(1)} s (WAL writer, background writer, checkpointer)`,
    );
    console.log(`  RSS during the run                  : ${rssLine(mg.rss)}`);
    const pgMs = (mg.cpu.postgres * 1000) / MAILGUN_COUNT;
    const n8nGrowth = mg.rss.n8n.peak - mg.rss.n8n.idle;
    console.log(`  goal, PostgreSQL ≤ 0.082 ms a recipient: ${pgMs.toFixed(3)} ms, ${mailgunVerdict(pgMs <= 0.082)} (0.164 when set)`);
    console.log(`  goal, n8n peak ≤ idle + 150 MB      : +${n8nGrowth.toFixed(0)} MB, ${mailgunVerdict(n8nGrowth <= 150)}`);
    console.log(
      `  goal, backend peak ≤ 250 MB         : ${mg.rss.backend.peak.toFixed(0)} MB, ${mailgunVerdict(mg.rss.backend.peak <= 250)}`,
    );
  }
  if (n8nMemory) {
    const { peakMb, oomKills } = n8nMemory.stats();
    console.log(
      `\nn8n in a ${n8nMemory.limitMb} MB memory cgroup: peak ${Math.round(peakMb)} MB (page cache included), ${oomKills} OOM kill(s)`,
    );
  }
} finally {
  await s.stop();
  n8nMemory?.remove();
}
