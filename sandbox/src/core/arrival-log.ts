/** At most this many arrivals are kept per sending account (a 1,000,000-message campaign stays measurable). */
const MAX_PER_KEY = 1_000_000;

export interface PacingStats {
  key: string;
  /** Send requests that reached the provider's limiter: accepted plus rate-limited. */
  arrivals: number;
  accepted: number;
  rateLimited: number;
  firstAt: string | null;
  lastAt: string | null;
  /** Accepted per second between the first and the last accepted arrival. */
  averagePerSecond: number;
  windowMs: number;
  /** Most accepted arrivals in any sliding window of `windowMs` (what a per-second limit counts). */
  maxInWindow: number;
  /** Where that window starts. */
  maxWindowStartAt: string | null;
  /** Most arrivals, accepted or refused, in any sliding window of `windowMs`. */
  maxRequestsInWindow: number;
  /** True when more arrivals came than are kept. */
  truncated: boolean;
  /** The limit asked about (`limit` query), if any. */
  limit: number | null;
  /**
   * With a limit: the shortest time any `limit + 1` consecutive accepted arrivals spanned, minus the window.
   * Positive: how much closer together they could have come before a window held more than the limit
   * (the pacing's margin); zero or below: some window held more than the limit.
   */
  marginMs: number | null;
}

/** Most timestamps of a sorted list inside any half-open window [t, t + windowMs), and where it starts. */
export function maxInSlidingWindow(sorted: number[], windowMs: number): { max: number; startAt: number | null } {
  let max = 0;
  let startAt: number | null = null;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[j] >= windowMs) j++;
    if (i - j + 1 > max) {
      max = i - j + 1;
      startAt = sorted[j];
    }
  }
  return { max, startAt };
}

/** The shortest time spanned by any `n` consecutive timestamps of a sorted list (null when fewer). */
export function tightestSpanMs(sorted: number[], n: number): number | null {
  if (n < 1 || sorted.length < n) return null;
  let min = Infinity;
  for (let i = 0; i + n - 1 < sorted.length; i++) min = Math.min(min, sorted[i + n - 1] - sorted[i]);
  return min;
}

/**
 * When each send request arrived, per sending account (Twilio sender, WhatsApp phone number id, Mailgun
 * domain), so a test can check a rate held in every second and not only on average: a token bucket with
 * one second of burst, like the providers' own, lets twice the rate through in a second without a 429.
 */
export class ArrivalLog {
  private readonly byKey = new Map<string, { accepted: number[]; limited: number[]; truncated: boolean }>();

  record(key: string, rateLimited: boolean, now = Date.now()): void {
    let entry = this.byKey.get(key);
    if (!entry) {
      entry = { accepted: [], limited: [], truncated: false };
      this.byKey.set(key, entry);
    }
    const list = rateLimited ? entry.limited : entry.accepted;
    if (entry.accepted.length + entry.limited.length >= MAX_PER_KEY) entry.truncated = true;
    else list.push(now);
  }

  keys(): string[] {
    return [...this.byKey.keys()];
  }

  stats(key: string, windowMs = 1000, limit?: number): PacingStats {
    const entry = this.byKey.get(key) ?? { accepted: [], limited: [], truncated: false };
    // Arrivals are appended in clock order, but the clock may step: sort to be sure.
    const accepted = [...entry.accepted].sort((a, b) => a - b);
    const all = [...accepted, ...entry.limited].sort((a, b) => a - b);
    const best = maxInSlidingWindow(accepted, windowMs);
    const first = accepted[0];
    const last = accepted[accepted.length - 1];
    const spanMs = accepted.length > 1 ? last - first : 0;
    return {
      key,
      arrivals: all.length,
      accepted: accepted.length,
      rateLimited: entry.limited.length,
      firstAt: first !== undefined ? new Date(first).toISOString() : null,
      lastAt: last !== undefined ? new Date(last).toISOString() : null,
      averagePerSecond: spanMs > 0 ? Math.round(((accepted.length - 1) / spanMs) * 1000 * 100) / 100 : 0,
      windowMs,
      maxInWindow: best.max,
      maxWindowStartAt: best.startAt !== null ? new Date(best.startAt).toISOString() : null,
      maxRequestsInWindow: maxInSlidingWindow(all, windowMs).max,
      truncated: entry.truncated,
      limit: limit ?? null,
      marginMs: limit === undefined ? null : marginOf(tightestSpanMs(accepted, limit + 1), windowMs),
    };
  }

  clear(): void {
    this.byKey.clear();
  }
}

function marginOf(span: number | null, windowMs: number): number | null {
  return span === null ? null : span - windowMs;
}
