import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { sendWindowGate } from '../../lease/send-window-gate';
import { horizonMs } from '../../lease/lease-policy.util';
import { reserveSlots, peekSlots, type QuotaKey } from '../../quota/quota-ledger';
import { startTestApp, TestApp } from '../../../test/test-app';
import type { SendWindow } from '../send-window';

const LEADS = 50_000;
const WINDOW: SendWindow = { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' };
const STEP_DELAY_SECONDS = 3600;
/** A lease's batch: what the engine asks for at most; the ledger's horizon cuts it to ~10 s of slots. */
const BATCH = 500;

interface Lead {
  timezone: string | null;
  phone: string | null;
}
interface Msg {
  lead: Lead;
  step: number;
  due: number;
}

/** A binary min-heap on `due` (the lease picks queued messages in due order). */
class DueHeap {
  private items: Msg[] = [];
  get size() {
    return this.items.length;
  }
  peek(): Msg | undefined {
    return this.items[0];
  }
  push(m: Msg) {
    const a = this.items;
    a.push(m);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p].due <= a[i].due) break;
      [a[p], a[i]] = [a[i], a[p]];
      i = p;
    }
  }
  pop(): Msg | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let s = i;
        if (l < a.length && a[l].due < a[s].due) s = l;
        if (r < a.length && a[r].due < a[s].due) s = r;
        if (s === i) break;
        [a[s], a[i]] = [a[i], a[s]];
        i = s;
      }
    }
    return top;
  }
}

/**
 * The ETA against a simulated schedule, on a real PostgreSQL: 50,000 leads in four zone groups (New York,
 * Berlin, Tokyo, and US numbers without a zone, so every US zone), a weekday 09:00–17:00 window, step 1 by
 * SMS on channel A (5/s, 12,000 a day), step 2 an hour later on channel B (2/s, 10,000 a day). The
 * simulation plays the lease's loop with a controllable clock: per lease, the due messages in due order,
 * the lease's own window gate (postponed ones wait for their opening), and slots from the real ledger
 * (`peekSlots` / `reserveSlots` on sender_ledgers and sender_usage, with `atMs` as the clock); the engine
 * uses its slots and leases again, or waits the ledger's retry. The ETA must land within 1 % of the
 * simulated duration.
 */
describe('pre-launch ETA against a simulated schedule (PostgreSQL)', () => {
  let t: TestApp;
  let key: string;
  let organizationId: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { SCHEDULER_INTERVAL_MS: '0' } });
    ({ apiKey: key, organizationId } = await t.createOrg());
  }, 180_000);
  afterAll(async () => {
    await t.close();
  });

  const post = async (path: string, body: unknown) => {
    const res = await t.request('POST', `/api/v1${path}`, { key, body });
    assert.ok(res.status === 200 || res.status === 201, `${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  it('lands within 1 % of the simulated last message for 50,000 leads across two capped, windowed senders', async () => {
    const channel = (name: string, from: string, ratePerSecond: number, dailyCap: number) =>
      post('/channels', {
        type: 'twilio',
        name,
        config: { accountSid: `AC${'7'.repeat(32)}`, from, ratePerSecond, dailyCap },
        secrets: { authToken: 'tok' },
      });
    const a = await channel('A', '+14155550101', 5, 12_000);
    const b = await channel('B', '+14155550102', 2, 10_000);
    const template = await post('/templates', { name: 'Hi', channel: 'sms', body: 'Hi there' });
    // Set-based: 50,000 leads in one statement.
    await t.dataSource.query(
      `INSERT INTO leads (organization_id, phone, timezone, consent)
       SELECT $1, '+1628' || (2000000 + i)::text,
              (ARRAY['America/New_York', 'America/New_York', 'Europe/Berlin', 'Asia/Tokyo', NULL])[1 + i % 5],
              '{"sms": true}'::jsonb
         FROM generate_series(1, $2) AS i`,
      [organizationId, LEADS],
    );
    const campaign = await post('/campaigns', {
      name: 'Big',
      type: 'sequence',
      sender: { channelId: a.id },
      audience: { all: true },
      steps: [
        { channel: 'sms', templateId: template.id, sender: { channelId: a.id } },
        { channel: 'sms', templateId: template.id, sender: { channelId: b.id }, delaySeconds: STEP_DELAY_SECONDS },
      ],
      settings: { sendWindow: WINDOW },
    });
    const started = Date.now();
    const check = await post(`/campaigns/${campaign.id}/check`, {});
    const checkMs = Date.now() - started;
    assert.equal(check.ok, true, JSON.stringify(check.blocking));
    assert.equal(check.leads, LEADS);
    assert.deepEqual(
      check.steps.map((s: { eligible: number }) => s.eligible),
      [LEADS, LEADS],
    );
    const startMs = Date.parse(check.eta.startAt);
    const etaMs = Date.parse(check.eta.lastMessageAt);

    // The simulated schedule.
    const leads: Lead[] = await t.dataSource.query('SELECT timezone, phone FROM leads WHERE organization_id = $1', [organizationId]);
    const keys: QuotaKey[][] = [
      [{ key: `channel:${a.id}`, organizationId, ratePerSecond: 5, dailyCap: 12_000 }],
      [{ key: `channel:${b.id}`, organizationId, ratePerSecond: 2, dailyCap: 10_000 }],
    ];
    const queues = [new DueHeap(), new DueHeap()];
    for (const lead of leads) queues[0].push({ lead, step: 0, due: startMs });
    const nextAt = [startMs, Infinity];
    const horizon = horizonMs(60);
    let last = startMs;
    let sent = 0;
    let leasesRun = 0;
    const m = t.dataSource.manager;
    while (queues[0].size + queues[1].size > 0) {
      const s = nextAt[0] <= nextAt[1] ? 0 : 1;
      const now = nextAt[s];
      assert.ok(now < startMs + 60 * 86_400_000, 'the simulation runs away');
      leasesRun++;
      const room = await peekSlots(m, keys[s], BATCH, horizon, now);
      if (room.count === 0) {
        nextAt[s] = now + room.retryAfterMs;
        continue;
      }
      const gate = sendWindowGate(WINDOW, new Date(now));
      const picked: Msg[] = [];
      while (picked.length < room.count && queues[s].size && queues[s].peek()!.due <= now) {
        const msg = queues[s].pop()!;
        const opens = gate(msg.lead);
        if (opens) queues[s].push({ ...msg, due: opens.getTime() });
        else picked.push(msg);
      }
      if (picked.length === 0) {
        const top = queues[s].peek();
        nextAt[s] = top ? Math.max(top.due, now + 1) : Infinity;
        continue;
      }
      const grant = await m.transaction((tx) => reserveSlots(tx, keys[s], picked.length, horizon, now));
      for (const msg of picked.slice(grant.count)) queues[s].push(msg);
      for (let i = 0; i < grant.count; i++) {
        const at = grant.startAtMs + i * grant.intervalMs;
        last = Math.max(last, at);
        sent++;
        if (picked[i].step === 0) {
          queues[1].push({ lead: picked[i].lead, step: 1, due: at + STEP_DELAY_SECONDS * 1000 });
          nextAt[1] = Math.min(nextAt[1], at + STEP_DELAY_SECONDS * 1000);
        }
      }
      nextAt[s] = grant.count ? grant.startAtMs + grant.count * grant.intervalMs : now + grant.retryAfterMs;
      if (queues[s].size === 0) nextAt[s] = Infinity;
    }
    assert.equal(sent, 2 * LEADS);
    const simulated = last - startMs;
    const estimated = etaMs - startMs;
    const error = Math.abs(estimated - simulated) / simulated;
    console.log(
      `ETA ${(estimated / 3_600_000).toFixed(3)} h, simulated ${(simulated / 3_600_000).toFixed(3)} h, error ${(error * 100).toFixed(3)} %, ` +
        `check ${checkMs} ms, ${leasesRun} simulated leases`,
    );
    // Days, not minutes: the caps and the window decide it (a cap-free estimate would say under 4 hours).
    assert.ok(simulated > 2 * 86_400_000, `simulated ${simulated} ms`);
    assert.ok(
      error <= 0.01,
      `ETA ${new Date(etaMs).toISOString()} vs simulated ${new Date(last).toISOString()}: ${(error * 100).toFixed(2)} %`,
    );
    assert.equal(
      check.eta.senders.reduce((sum: number, line: { messages: number }) => sum + line.messages, 0),
      2 * LEADS,
    );
  }, 180_000);
});
