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

  stats(key: string, windowMs = 1000): PacingStats {
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
    };
  }

  clear(): void {
    this.byKey.clear();
  }
}
