/**
 * Slots are never reserved further ahead than this; n8n leases again when it has used them. The last
 * slot must leave the sender time to call the provider (up to ~17 s) before the lease expires.
 */
export function horizonMs(leaseTtlSeconds: number): number {
  return Math.max(1000, Math.min(10_000, leaseTtlSeconds * 1000 - 20_000));
}

/** A run that has not leased for this long is presumed dead and replaced. */
export function staleAfterSeconds(leaseTtlSeconds: number): number {
  return leaseTtlSeconds + 10;
}
