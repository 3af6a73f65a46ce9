/**
 * Remembers signature tokens a provider sent (Mailgun signs `timestamp + token`, with a 15-minute
 * freshness window): a captured callback replayed inside the window is refused. Kept in this process,
 * bounded; behind several instances a replay can reach another one, where the per-organization event
 * id still makes it a no-op.
 */
export class UsedTokens {
  private readonly expiries = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly capacity = 200_000,
  ) {}

  seen(key: string, now = Date.now()): boolean {
    const expiry = this.expiries.get(key);
    return expiry !== undefined && expiry > now;
  }

  /** Called once the callback is stored: a delivery that failed before that may be retried with its token. */
  remember(key: string, now = Date.now()): void {
    this.expiries.set(key, now + this.ttlMs);
    // Map keeps insertion order: the oldest entries go first, whether expired or pushed out by the bound.
    for (const [oldest, expiry] of this.expiries) {
      if (this.expiries.size <= this.capacity && expiry > now) break;
      this.expiries.delete(oldest);
    }
  }
}
