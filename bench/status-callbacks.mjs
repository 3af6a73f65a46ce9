#!/usr/bin/env node
// Ingesting provider status callbacks: BENCH_CALLBACKS (10,000) signed Twilio status callbacks a round,
// BENCH_CALLBACK_ROUNDS (7) rounds, 16 in flight, posted to the backend's webhook (signature checked, stored in
// the inbox, applied to the message log), after 2,000 to warm it up. Prints the backend's and PostgreSQL's CPU
// per callback, minimum and median over the rounds (a round ends when the inbox is applied). The peer, in the
// same run: a plain n8n workflow that only receives them (one Webhook node answering at once, no signature
// check, nothing stored), BENCH_PEER_CALLBACKS (2,000) of the same requests, n8n's CPU per callback (main and
// task runner, every thread: n8n runs one execution per request).
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startStack, waitFor } from '../e2e/src/stack.mjs';
import { cpuMeter } from './proc-stats.mjs';

const N = Number(process.env.BENCH_CALLBACKS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_CALLBACK_ROUNDS ?? 7);
const PEER_N = Number(process.env.BENCH_PEER_CALLBACKS ?? 2000);
const IN_FLIGHT = 16;
const SID = `AC${'d'.repeat(32)}`;
const TOKEN = 'sandbox-twilio-auth-token';

/** A status callback as Twilio posts it: a form, signed over the URL and the sorted parameters. */
function statusCallback(url, i) {
  const params = {
    AccountSid: SID,
    MessageSid: `SM${String(i).padStart(32, '0')}`,
    MessageStatus: i % 2 ? 'delivered' : 'sent',
    To: '+14155550100',
    From: '+14155550177',
    ApiVersion: '2010-04-01',
  };
  const signed =
    url +
    Object.keys(params)
      .sort()
      .map((k) => k + params[k])
      .join('');
  return {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': createHmac('sha1', TOKEN).update(signed).digest('base64'),
    },
    body: new URLSearchParams(params).toString(),
  };
}

/** Posts `count` callbacks from `first`, IN_FLIGHT at a time; every one must be answered 200. */
async function post(urlOf, first, count) {
  let next = first;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < first + count) {
        const i = next++;
        const url = urlOf(i);
        const res = await fetch(url, statusCallback(url, i));
        if (res.status !== 200) throw new Error(`callback ${i}: ${res.status} ${await res.text()}`);
        await res.arrayBuffer();
      }
    }),
  );
}

const inboxEmpty = async (s) => (await s.db.query('SELECT count(*)::int AS n FROM webhook_inbox')).rows[0].n === 0;
const us = (seconds, count) => (seconds * 1e6) / count;
const sorted = (values) => [...values].sort((a, b) => a - b);

const s = await startStack({ backendEnv: { LOG_LEVEL: 'error' } });
try {
  const channel = (
    await s.api('POST', '/channels', {
      type: 'twilio',
      name: 'Callbacks',
      config: { accountSid: SID, from: '+14155550177', baseUrl: s.sandboxUrl },
      secrets: { authToken: TOKEN },
    })
  ).body.id;
  // Our message id rides in the status callback URL, as the Send node sets it.
  const ours = () => `${s.backendUrl}/webhooks/twilio/${channel}/status?cadenceMessageId=${randomUUID()}`;
  await post(ours, 0, 2000);
  await waitFor(() => inboxEmpty(s), 'the warm-up callbacks', 60_000, 50);
  const backend = [];
  const postgres = [];
  for (let round = 0; round < ROUNDS; round++) {
    const meter = cpuMeter({ backend: s.backend.pid });
    await post(ours, 2000 + round * N, N);
    await waitFor(() => inboxEmpty(s), 'the callbacks applied', 300_000, 50);
    const cpu = meter();
    backend.push(us(cpu.backend, N));
    postgres.push(us(cpu.postgres, N));
  }

  const peer = JSON.parse(readFileSync(join(ROOT, 'bench/workflows/plain-n8n-status.json'), 'utf8'));
  const imported = await s.n8n.importWorkflow(peer);
  await s.n8n.activate(imported.id);
  await s.n8n.webhook('plain-status', statusCallback(`${s.n8n.url}/webhook/plain-status`, 0), 60_000);
  const peerMeter = cpuMeter({ n8n: s.n8n.pid });
  await post(() => `${s.n8n.url}/webhook/plain-status`, 0, PEER_N);
  const peerCpu = peerMeter();

  const b = sorted(backend);
  const p = sorted(postgres);
  const mid = Math.floor(ROUNDS / 2);
  console.log(`\nTwilio status callbacks, ${N.toLocaleString()} a round × ${ROUNDS}, ${IN_FLIGHT} in flight, signed`);
  console.log(`  Cadence backend (checked, stored, applied): ${b[0].toFixed(0)} µs CPU a callback at least, median ${b[mid].toFixed(0)}`);
  console.log(`  PostgreSQL behind it                      : ${p[0].toFixed(0)} µs at least, median ${p[mid].toFixed(0)}`);
  console.log(
    `  plain n8n, a Webhook node that only answers: ${us(peerCpu.n8n, PEER_N).toFixed(0)} µs of n8n CPU a callback (${PEER_N.toLocaleString()} callbacks)`,
  );
} finally {
  await s.stop();
}
