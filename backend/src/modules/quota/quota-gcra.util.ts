/**
 * The arithmetic of the quota ledgers, without SQL: GCRA over the ledgers' theoretical arrival times (TAT),
 * then the rolling 24-hour caps. `quota-ledger.ts` reads and writes the rows; this decides what they allow.
 */
export const HOUR_MS = 3_600_000;
/** When nothing can be granted and no better estimate exists, ask again this much later. */
export const MIN_RETRY_MS = 1000;

/** A message governed by several ledgers goes at the pace of the slowest one. */
export function paceIntervalMs(ratesPerSecond: number[]): number {
  return Math.max(...ratesPerSecond.map((rate) => 1000 / rate));
}

/**
 * How late (ms) n8n may still start a call for its slot. A slot missed by more is not used (not sent,
 * requeued for a new slot): sent later, it would land among the next run's slots. n8n's timers start calls
 * within 1.6 ms of their slot in 99 % of cases, 4.9 ms at worst, also with a busy loop on the other core
 * (2,000 SMS at 50/s, traced per call, 2026-12-05), so 5 ms loses almost no slot.
 */
export const SLOT_LATE_TOLERANCE_MS = 5;

/**
 * Slots are held to the millisecond (a missed one is given back) only up to this rate. There one message
 * too many in a second is a provider error (WhatsApp's 80/s, a short code's 100/s) and n8n keeps every
 * slot easily. Above it, a slot is a "not before" and a late call still goes: the ledger's one-second
 * headroom absorbs the stray, and holding sub-millisecond slots when n8n sends slower than the grant
 * turned most of a fast campaign into `slot_missed` requeues (10,000 SMS at 100,000/s: 9,300 delivered
 * after 6 minutes instead of all in ~10 s).
 */
export const SLOT_HOLD_MAX_RATE = 200;

/** The lateness tolerance a grant carries: holds its slot times at or under SLOT_HOLD_MAX_RATE, none above. */
export function slotLateToleranceMs(intervalMs: number): number | undefined {
  return intervalMs > 0 && 1000 / intervalMs <= SLOT_HOLD_MAX_RATE ? SLOT_LATE_TOLERANCE_MS : undefined;
}

/**
 * How much the time from a call's start to its arrival at the provider varies between calls: n8n's event
 * loop between the slot check and the socket write, the host's scheduler, the provider's own front end.
 * Traced per call at the sandbox (2,000 SMS at 50/s over three runs on two n8n workers, 2026-12-05): 1 ms
 * in 90 % of calls, 4 ms in 99 %, and a lone call now and then held 13-21 ms by a stall of one process
 * (its neighbours 20 ms before and after were not) when a busy loop took the other core. `marginMs` in
 * `/_sandbox/arrivals` (the whole spread, lateness included): 6-9 ms on a quiet machine.
 */
export const ARRIVAL_JITTER_MS = 10;

/**
 * Providers count per second (a sliding or fixed one-second window), not per interval. Slots exactly
 * 1/rate apart put `rate` messages in a second only if every one arrives exactly on time; any jitter (a
 * late call, a slower request) makes it rate + 1. One second's worth of slots is spread over
 * 1,000 ms + the tolerance + the jitter (1,015 ms), so arrivals may stray by that much and no one-second
 * window holds more than the rate. The price is 1.5 % of the configured rate (the goal: within 2 %). A
 * wider budget buys safety against rarer stalls at a steady cost in rate: the 100 ms used before cost 9 %
 * of every campaign to cover a stall that a quiet host does not have; with it, the stall of a loaded host
 * (above) can put rate + 1 in one second: Twilio queues it; WhatsApp may answer 130429, and that message
 * goes back to the queue for a later slot while the run pauses for the Retry-After (1 s).
 */
export const SECOND_WINDOW_HEADROOM = 1000 / (1000 + SLOT_LATE_TOLERANCE_MS + ARRIVAL_JITTER_MS);

/** The ledger's spacing: the slowest ledger's pace, widened by the one-second headroom. */
export function ledgerIntervalMs(ratesPerSecond: number[]): number {
  return paceIntervalMs(ratesPerSecond) / SECOND_WINDOW_HEADROOM;
}

/**
 * A free ledger's first slot lies this far ahead of the lease: n8n renders the batch and marks it
 * `sending` before the first call, and a slot that passed meanwhile would be lost. A busy ledger's slots
 * already lie ahead (other runs reserved them), so this costs nothing while a campaign is in full flow.
 */
export const SLOT_LEAD_MS = 400;

/**
 * The first free slot: now (plus `leadMs`), or the latest TAT of the ledgers if later. A never-used ledger
 * ('-infinity') counts as free.
 */
export function firstSlotMs(nowMs: number, tats: Array<Date | string | number>, leadMs = 0): number {
  return Math.max(nowMs + leadMs, ...tats.map((tat) => (Number.isFinite(new Date(tat).getTime()) ? new Date(tat).getTime() : -Infinity)));
}

/**
 * How near the ledger's first free slot must lie for a lease to get slots: half the horizon (never less than
 * the lead a free ledger's first slot needs). A lease waits until the backlog other runs reserved is down to
 * that, then takes slots up to the horizon. Granting as soon as a single slot fitted handed each waiting run
 * one or two slots: the ledger then ran dry between two full leases and the next one started `SLOT_LEAD_MS`
 * ahead, a 400 ms hole every horizon (2,000 SMS at 50/s over three runs: 43.5/s where the slots allow 45.5).
 * Waiting runs now come back while the ledger still holds half a horizon of slots.
 */
export function refillWithinMs(horizonMs: number): number {
  return Math.max(SLOT_LEAD_MS, horizonMs / 2);
}

/**
 * GCRA: how many of `requested` slots, `intervalMs` apart from `startMs`, fall before now + `horizonMs`.
 * None when the first slot lies further than `refillMs` ahead (by default the horizon itself);
 * `retryAfterMs` then says when it will be that near (> 0 only then).
 */
export function gcraWindow(
  nowMs: number,
  startMs: number,
  intervalMs: number,
  requested: number,
  horizonMs: number,
  refillMs = horizonMs,
): { count: number; retryAfterMs: number } {
  const refillEnd = nowMs + Math.min(refillMs, horizonMs);
  if (startMs > refillEnd) return { count: 0, retryAfterMs: Math.ceil(startMs - refillEnd) };
  return { count: Math.min(requested, Math.floor((nowMs + horizonMs - startMs) / intervalMs) + 1), retryAfterMs: 0 };
}

export interface DailyUsage {
  /** Messages allowed per rolling 24 hours. */
  cap: number;
  /** Messages counted in the last 24 hours. */
  used: number;
  /** Start of the oldest hour still in the window, if any. */
  oldestHourMs: number | null;
}

/**
 * Lowers `count` to the room every daily cap has left. A cap with no room left frees slots when its oldest
 * hour leaves the 24-hour window; `retryAfterMs` is the latest of those (0 if every cap has room).
 */
export function applyDailyCaps(count: number, usages: DailyUsage[], nowMs: number): { count: number; retryAfterMs: number } {
  let retryAfterMs = 0;
  for (const u of usages) {
    const remaining = u.cap - u.used;
    if (remaining <= 0) {
      const frees = u.oldestHourMs !== null ? u.oldestHourMs + 24 * HOUR_MS + HOUR_MS - nowMs : HOUR_MS;
      retryAfterMs = Math.max(retryAfterMs, frees);
    }
    count = Math.min(count, Math.max(0, remaining));
  }
  return { count, retryAfterMs };
}

/** The grant: `count` slots from `startMs`, or none with a retry of at least MIN_RETRY_MS. */
export function settleGrant(
  nowMs: number,
  startMs: number,
  intervalMs: number,
  count: number,
  retryAfterMs: number,
): { count: number; startInMs: number; intervalMs: number; retryAfterMs: number } {
  if (count <= 0) return { count: 0, startInMs: 0, intervalMs, retryAfterMs: Math.max(retryAfterMs, MIN_RETRY_MS) };
  return { count, startInMs: Math.max(0, Math.round(startMs - nowMs)), intervalMs, retryAfterMs: 0 };
}
