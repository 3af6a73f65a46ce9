#!/usr/bin/env node
// Checking the wire contract on the send path (@cadence/contracts): a lease answer of 1,000 SMS items, as n8n
// checks each one, and a report of 1,000 results, as the backend checks each one. `parseContract` parses with
// zod's compiled parser (made once per schema); the peer in the same run is zod/mini's interpreted parser
// (`schema.safeParse`), which it used before. Rounds alternate the two; prints the CPU of this one process per
// item (median of BENCH_ROUNDS, 7) and its peak RSS.
import { createRequire } from 'node:module';
import { peakRssMb } from './proc-stats.mjs';

const require = createRequire(import.meta.url);
const { LeaseResponseSchema, ResultsRequestSchema, parseContract } = require('../packages/contracts/dist/index.js');

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const PARSES = 20;
const ITEMS = 1000;
const ID = (n) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const lease = {
  leaseId: ID(1),
  leaseExpiresAt: '2026-12-05T10:00:30.000Z',
  done: false,
  retryAfterMs: 0,
  grant: { count: ITEMS, startInMs: 0, intervalMs: 1, ratePerSecond: 1000, concurrency: 64 },
  sender: { kind: 'twilio', channelId: ID(2), config: { from: '+14155550100' }, secrets: {} },
  templates: { 'step-1': { channel: 'sms', body: 'Hi {{ lead.first_name }}' } },
  items: Array.from({ length: ITEMS }, (_, i) => ({
    messageId: ID(10_000 + i),
    channel: 'sms',
    to: '+14155550123',
    lead: {
      id: ID(100_000 + i),
      email: null,
      phone: '+14155550123',
      firstName: 'Ada',
      lastName: null,
      timezone: null,
      attributes: { plan: 'pro' },
    },
    campaign: { id: ID(900), name: 'Spring', type: 'blast' },
    templateKey: 'step-1',
    tracking: {
      tokens: { open: 'o'.repeat(40), click: 'c'.repeat(40), unsubscribe: 'u'.repeat(40) },
      clickBaseUrl: 'http://127.0.0.1:3000/t/c',
      openPixelUrl: 'http://127.0.0.1:3000/t/o/o.gif',
      unsubscribeUrl: 'http://127.0.0.1:3000/u/u',
    },
    callbacks: { statusCallbackUrl: `http://127.0.0.1:3000/webhooks/twilio/status?m=${ID(10_000 + i)}` },
    threading: { inReplyTo: null, references: [], threadId: null },
  })),
};
const report = {
  leaseId: ID(1),
  results: lease.items.map((item, i) => ({
    messageId: item.messageId,
    outcome: 'sent',
    providerMessageId: `SM${i}`,
    sentAt: '2026-12-05T10:00:01.000Z',
  })),
};

/** CPU µs of this process per item over PARSES parses. */
function perItem(parse, body) {
  const start = process.cpuUsage();
  for (let k = 0; k < PARSES; k++) if (!parse(body)) throw new Error('a valid body was refused');
  const used = process.cpuUsage(start);
  return (used.user + used.system) / (PARSES * ITEMS);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (const [name, schema, body] of [
  ['lease answer, 1,000 SMS items (n8n)', LeaseResponseSchema, lease],
  ['report, 1,000 results (backend)', ResultsRequestSchema, report],
]) {
  const compiled = [];
  const interpreted = [];
  for (let r = 0; r < ROUNDS; r++) {
    interpreted.push(perItem((b) => schema.safeParse(b).success, body));
    compiled.push(perItem((b) => parseContract(schema, b).ok, body));
  }
  console.log(
    `${name.padEnd(38)}: parseContract (compiled) ${median(compiled).toFixed(2)} µs an item; interpreted (zod/mini) ${median(interpreted).toFixed(2)} µs; median of ${ROUNDS}`,
  );
}
console.log(`peak RSS of this process: ${Math.round(peakRssMb(process.pid))} MB`);
