import { applyDailyCaps, HOUR_MS, ledgerIntervalMs } from '../../quota/quota-gcra.util';
import { capOnDay, type WarmupRamp } from '../../warmup/warmup-ramp';
import { nextSendTime, type SendWindow } from '../send-window';

/** One quota ledger the lease reserves from (a sender's, or the campaign's own rate / daily cap). */
export interface EtaLedger {
  key: string;
  ratePerSecond: number;
  dailyCap?: number;
  warmup?: Pick<WarmupRamp, 'startPerDay' | 'growthPercent' | 'targetPerDay' | 'startedAt'>;
  /** What sender_usage already counts (hour start → messages): today's sends of any campaign. */
  usage?: Map<number, number>;
  /** Messages of other active campaigns already queued on this sender: they hold its quota first. */
  queuedElsewhere?: number;
}

export interface EtaStep {
  /** The ledger of the step's sender. */
  senderKey: string;
  delaySeconds: number;
  /** Messages of the step that will be sent, per group of recipient zones (`recipientZones` joined by a space). */
  eligibleByZones: Map<string, number>;
}

export interface EtaInput {
  startMs: number;
  /** Leads per group of recipient zones. */
  leadsByZones: Map<string, number>;
  steps: EtaStep[];
  ledgers: EtaLedger[];
  /** The campaign's own ledger (settings.ratePerSecond / dailyCap), reserved from with every sender's. */
  campaign?: EtaLedger;
  window?: SendWindow;
}

export interface EtaSender {
  key: string;
  messages: number;
  /** When this sender's last message goes out (null: nothing to send). */
  lastAtMs: number | null;
  /** The most messages it sends in one continuous run (no pause for a window or a cap): for Twilio's queue. */
  longestRun: number;
}

export interface EtaResult {
  lastAtMs: number;
  senders: EtaSender[];
}

/** Simulation step: short enough that a window closing or a next step becoming due is late by at most this. */
const SLICE_MS = 5 * 60_000;
const EPSILON = 1e-6;
/** A schedule that never ends (a window with no day) stops here; the check reports it. */
const MAX_DAYS = 400;

interface Cohort {
  step: number;
  zones: string;
  count: number;
  readyAtMs: number;
}

interface LedgerState {
  def: EtaLedger;
  tatMs: number;
  usage: Map<number, number>;
}

/**
 * When the last message goes out, simulated per time slice, not per message: each sender sends its due
 * cohorts (leads of one step and one zone group that became due together) at the ledger's interval
 * (`ledgerIntervalMs`, the lease's own pacing), in due order, while their window is open, within the
 * rolling 24-hour caps as the lease counts them (`applyDailyCaps` over hourly buckets, so a full cap waits
 * for its oldest hour to leave the window, as the lease's retry does) and the warm-up's cap of the day.
 *
 * A sender's quota is shared: the other campaigns' queued messages are due first (they were queued before
 * this one launches), and what any campaign already sent today counts against the cap. A next step's
 * leads become due `delaySeconds` after the slice in which their previous message went (skipped ones at
 * once); a step's skips are spread over its zone groups in proportion to its eligible count.
 */
export function estimateEta(input: EtaInput): EtaResult | null {
  const ledgers = new Map<string, LedgerState>();
  for (const def of input.ledgers) ledgers.set(def.key, { def, tatMs: -Infinity, usage: new Map(def.usage ?? []) });
  const campaign = input.campaign ? { def: input.campaign, tatMs: -Infinity, usage: new Map(input.campaign.usage ?? []) } : undefined;
  const queues = new Map<string, Cohort[]>();
  for (const key of ledgers.keys()) queues.set(key, []);
  const senders = new Map<string, EtaSender>();
  const runs = new Map<string, number>();
  const elsewhere = new Map<string, number>();
  for (const def of input.ledgers) if (def.queuedElsewhere) elsewhere.set(def.key, def.queuedElsewhere);

  const arrive = (step: number, zones: string, count: number, atMs: number) => {
    if (count < EPSILON) return;
    const s = input.steps[step];
    if (!s) return;
    const total = input.leadsByZones.get(zones) ?? 0;
    const fraction = total > 0 ? Math.min(1, (s.eligibleByZones.get(zones) ?? 0) / total) : 0;
    const readyAtMs = atMs + s.delaySeconds * 1000;
    if (count * fraction >= EPSILON) queues.get(s.senderKey)!.push({ step, zones, count: count * fraction, readyAtMs });
    // Skipped leads reach their next step at once.
    if (count * (1 - fraction) >= EPSILON) arrive(step + 1, zones, count * (1 - fraction), readyAtMs);
  };
  for (const [zones, count] of input.leadsByZones) arrive(0, zones, count, input.startMs);

  /** When the window next opens for a zone group at or after `t` (t itself when open); asked once per group and slice. */
  let openCache = new Map<string, number>();
  const opensAt = (zones: string, t: number): number => {
    if (!input.window) return t;
    let at = openCache.get(zones);
    if (at === undefined) {
      at = nextSendTime(input.window, zones.split(' '), new Date(t)).getTime();
      openCache.set(zones, at);
    }
    return at;
  };

  let t = input.startMs;
  const endMs = input.startMs + MAX_DAYS * 24 * HOUR_MS;
  while (t < endMs) {
    let pending = false;
    let nextEvent = Infinity;
    openCache = new Map();
    const sliceEnd = Math.min(Math.floor(t / SLICE_MS) * SLICE_MS + SLICE_MS, Math.floor(t / HOUR_MS) * HOUR_MS + HOUR_MS);
    for (const [key, queue] of queues) {
      const ledger = ledgers.get(key)!;
      const other = elsewhere.get(key) ?? 0;
      if (queue.length === 0 && other < EPSILON) continue;
      pending = true;
      mergeDue(queue, t);
      const open: Cohort[] = [];
      for (const c of queue) {
        if (c.readyAtMs > t) nextEvent = Math.min(nextEvent, c.readyAtMs);
        else {
          const at = opensAt(c.zones, t);
          if (at > t) nextEvent = Math.min(nextEvent, at);
          else open.push(c);
        }
      }
      if (open.length === 0 && other < EPSILON) {
        runs.set(key, 0);
        continue;
      }
      const keys = campaign ? [ledger, campaign] : [ledger];
      const interval = ledgerIntervalMs(keys.map((k) => k.def.ratePerSecond));
      const first = Math.max(t, ...keys.map((k) => k.tatMs));
      if (first >= sliceEnd) {
        nextEvent = Math.min(nextEvent, first);
        continue;
      }
      let slots = Math.floor((sliceEnd - first) / interval) + 1;
      const caps = keys.filter((k) => capNow(k.def, t) !== undefined);
      const capped = applyDailyCaps(
        slots,
        caps.map((k) => dailyUsage(k, capNow(k.def, t)!, t)),
        t,
      );
      slots = capped.count;
      if (slots <= 0) {
        runs.set(key, 0);
        nextEvent = Math.min(nextEvent, t + capped.retryAfterMs);
        continue;
      }
      // The other campaigns' queued messages first, then this campaign's cohorts in due order.
      let sent = 0;
      const fromOther = Math.min(other, slots);
      elsewhere.set(key, other - fromOther);
      sent += fromOther;
      const sender = senders.get(key) ?? { key, messages: 0, lastAtMs: null, longestRun: 0 };
      senders.set(key, sender);
      for (const group of byReadiness(open)) {
        if (sent >= slots - EPSILON) break;
        // Messages that became due together are one run of the due index: their zones are interleaved in it
        // (ids, and so due times, are in no zone's order), so the lease takes each group's share of the slots,
        // not one zone's messages before the next's. Draining one zone first sent a Friday evening's slots to
        // the zone still open and left the next step of the others for Monday in the estimate only.
        const total = group.reduce((sum, c) => sum + c.count, 0);
        const share = Math.min(1, (slots - sent) / total);
        sent += total * share;
        const lastAt = first + (sent - 1) * interval;
        for (const c of group) {
          const n = c.count * share;
          c.count -= n;
          sender.messages += n;
          arrive(c.step + 1, c.zones, n, lastAt);
        }
        sender.lastAtMs = Math.max(sender.lastAtMs ?? 0, lastAt);
      }
      for (let i = queue.length - 1; i >= 0; i--) if (queue[i].count < EPSILON) queue.splice(i, 1);
      const run = (runs.get(key) ?? 0) + sent;
      runs.set(key, run);
      sender.longestRun = Math.max(sender.longestRun, run);
      for (const k of keys) {
        k.tatMs = first + sent * interval;
        const hour = Math.floor(t / HOUR_MS) * HOUR_MS;
        k.usage.set(hour, (k.usage.get(hour) ?? 0) + sent);
      }
      nextEvent = Math.min(nextEvent, Math.max(sliceEnd, ledger.tatMs));
    }
    if (!pending) break;
    if (nextEvent === Infinity) return null;
    t = Math.max(nextEvent, t + 1);
  }
  if (t >= endMs) return null;
  const list = [...senders.values()];
  const lastAtMs = Math.max(input.startMs, ...list.map((s) => s.lastAtMs ?? input.startMs));
  return { lastAtMs, senders: list };
}

/** Open cohorts grouped by when they became due, oldest first (the lease's due order). */
function byReadiness(open: Cohort[]): Cohort[][] {
  const groups = new Map<number, Cohort[]>();
  for (const c of open) groups.set(c.readyAtMs, [...(groups.get(c.readyAtMs) ?? []), c]);
  return [...groups.entries()].sort(([a], [b]) => a - b).map(([, group]) => group);
}

/** Due cohorts of one step and zone group wait together: one entry (the earliest due) keeps the scan short. */
function mergeDue(queue: Cohort[], t: number): void {
  const due = new Map<string, Cohort>();
  for (let i = 0; i < queue.length; i++) {
    const c = queue[i];
    if (c.readyAtMs > t) continue;
    const key = `${c.step} ${c.zones}`;
    const kept = due.get(key);
    if (!kept) {
      due.set(key, c);
      continue;
    }
    kept.count += c.count;
    kept.readyAtMs = Math.min(kept.readyAtMs, c.readyAtMs);
    queue.splice(i--, 1);
  }
}

/** The ledger's daily cap at `t`: its own, lowered by the warm-up's cap of that day. */
function capNow(def: EtaLedger, t: number): number | undefined {
  const caps = [def.dailyCap];
  if (def.warmup) caps.push(capOnDay(def.warmup, Math.max(0, Math.floor((t - def.warmup.startedAt.getTime()) / (24 * HOUR_MS)))));
  const set = caps.filter((c): c is number => typeof c === 'number');
  return set.length ? Math.min(...set) : undefined;
}

/** What the lease's usage query returns at `t`: the hours after t − 24 h, and the oldest of them. */
function dailyUsage(ledger: { usage: Map<number, number> }, cap: number, t: number) {
  let used = 0;
  let oldest: number | null = null;
  for (const [hour, count] of ledger.usage) {
    if (hour <= t - 24 * HOUR_MS) continue;
    used += count;
    if (oldest === null || hour < oldest) oldest = hour;
  }
  return { cap, used: Math.ceil(used - EPSILON), oldestHourMs: oldest };
}
