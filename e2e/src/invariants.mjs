// What must hold after any crash: nothing lost, nothing sent twice (shared by the crash tests).
import assert from 'node:assert/strict';
import { waitFor } from './stack.mjs';

export async function statusCounts(s, id) {
  const { rows } = await s.db.query('SELECT status, count(*)::int AS n FROM messages WHERE campaign_id = $1 GROUP BY status', [id]);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

export async function sentSoFar(s, id) {
  const c = await statusCounts(s, id);
  return (c.sent ?? 0) + (c.delivered ?? 0);
}

/**
 * Every recipient has one final status, the sandbox received no one's message twice, what it received
 * lies between what the backend knows was sent and that plus the `unknown` ones, and the live counters
 * agree. `phonePrefix` picks this campaign's recipients among the sandbox's messages.
 */
export async function assertSettled(s, id, { audience, phonePrefix }) {
  // Delivery callbacks may still be on their way; compare once the provider has nothing left to say.
  await waitFor(async () => (await s.sandboxApi('GET', '/counts')).webhooks.pending === 0, 'the sandbox webhooks to drain', 60_000);
  await new Promise((r) => setTimeout(r, 500));
  const counts = await statusCounts(s, id);
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  assert.equal(total, audience, `queued + sent + failed + unknown + skipped = audience: ${JSON.stringify(counts)}`);
  assert.ok(!counts.queued && !counts.leased && !counts.sending, JSON.stringify(counts));
  const { items } = await s.sandboxApi('GET', '/messages?provider=twilio');
  const received = items.filter((m) => m.to.startsWith(phonePrefix));
  assert.equal(new Set(received.map((m) => m.to)).size, received.length, 'no recipient received the message twice');
  const sent = (counts.sent ?? 0) + (counts.delivered ?? 0);
  assert.ok(
    received.length >= sent && received.length <= sent + (counts.unknown ?? 0),
    `sandbox ${received.length}, sent ${sent}, unknown ${counts.unknown ?? 0}`,
  );
  assert.equal((await s.sandboxApi('GET', '/duplicates')).total, 0);
  const live = (await s.api('GET', `/campaigns/${id}`)).body.counts;
  for (const [status, n] of Object.entries(counts)) assert.equal(live[status], n, `live counter for ${status}`);
  return counts;
}
