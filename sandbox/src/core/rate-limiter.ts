interface Bucket {
  tokens: number;
  updatedAt: number;
}

export interface TakeResult {
  ok: boolean;
  /** How long until `cost` tokens are available again (ms); 0 when ok. */
  retryAfterMs: number;
}

/**
 * Token buckets keyed by sender, refilled continuously. Capacity equals one second of rate,
 * the way the providers describe their limits ("N per second", short bursts allowed).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly daily = new Map<string, { day: string; count: number }>();

  take(key: string, ratePerSecond: number, cost = 1, now = Date.now()): TakeResult {
    if (!(ratePerSecond > 0)) return { ok: true, retryAfterMs: 0 };
    const capacity = Math.max(ratePerSecond, cost);
    let b = this.buckets.get(key);
    if (!b) {
      b = { tokens: capacity, updatedAt: now };
      this.buckets.set(key, b);
    } else {
      b.tokens = Math.min(capacity, b.tokens + ((now - b.updatedAt) / 1000) * ratePerSecond);
      b.updatedAt = now;
    }
    if (b.tokens >= cost) {
      b.tokens -= cost;
      return { ok: true, retryAfterMs: 0 };
    }
    return { ok: false, retryAfterMs: Math.ceil(((cost - b.tokens) / ratePerSecond) * 1000) };
  }

  /** Counts against a per-UTC-day cap; the count only moves when the cap allows it. */
  takeDaily(key: string, cap: number, now = new Date()): { ok: boolean; used: number; resetAt: Date } {
    const day = now.toISOString().slice(0, 10);
    const resetAt = new Date(`${day}T00:00:00.000Z`);
    resetAt.setUTCDate(resetAt.getUTCDate() + 1);
    let d = this.daily.get(key);
    if (!d || d.day !== day) {
      d = { day, count: 0 };
      this.daily.set(key, d);
    }
    if (cap > 0 && d.count >= cap) return { ok: false, used: d.count, resetAt };
    d.count += 1;
    return { ok: true, used: d.count, resetAt };
  }

  dailyUsage(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, v] of this.daily) out[k] = v.count;
    return out;
  }

  clear(): void {
    this.buckets.clear();
    this.daily.clear();
  }
}
