/**
 * A full scan of the due index at least this often per campaign: a message that went back to the queue below
 * a campaign's cursor (an expired lease, one a concurrent lease handed back) waits at most this long more.
 */
export const DUE_CURSOR_FULL_SCAN_MS = 10_000;
/** Campaigns not leased for this long are forgotten (the map stays as small as the campaigns sending). */
const FORGET_AFTER_MS = 10 * 60_000;

interface Cursor {
  /** No message of the campaign due before this is queued, but for those sent back since `fullScanAt`. */
  dueAt: Date;
  fullScanAt: number;
  usedAt: number;
}

/**
 * Where a campaign's lease may start reading its due index (issue 20, items 2 and 3).
 *
 * A leased message keeps its entry in the partial due index (`indexed_status = 'queued'`, which an open
 * message keeps until it is settled), and a settled one's entry stays until VACUUM removes it: without a cursor
 * every lease scanned, from the campaign's first due time, past the entries of every message already leased (with the candidate scan's own work, 169 s of statement time over a 1,000,000-recipient
 * campaign: docs/architecture.md, "What grew with the campaign"). Starting at the due time of the last leased
 * message skips those entries. The due times are per row (`clock_timestamp()`), so equal ones are few.
 *
 * It is an optimization only, never what decides what is sent: a lease that finds fewer rows than it wants
 * from the cursor reads again from the start, and every `fullScanMs` one lease of the campaign does, so
 * messages requeued below the cursor are found. Per process: backend instances each keep their own
 * (LeaseModule provides one).
 */
export class DueCursors {
  private readonly cursors = new Map<string, Cursor>();

  constructor(
    private readonly fullScanMs = DUE_CURSOR_FULL_SCAN_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The due time a scan may start at, or undefined: scan from the start (and call `fullScan`). */
  startOf(campaignId: string): Date | undefined {
    const cursor = this.cursors.get(campaignId);
    if (!cursor || this.now() - cursor.fullScanAt >= this.fullScanMs) return undefined;
    cursor.usedAt = this.now();
    return cursor.dueAt;
  }

  /**
   * After a lease: no message of the campaign due before `dueAt` is still queued, as far as this lease saw.
   * `fromStart`: the lease scanned from the start, so the full-scan clock restarts.
   */
  advance(campaignId: string, dueAt: Date, fromStart: boolean): void {
    const now = this.now();
    const previous = this.cursors.get(campaignId);
    const fullScanAt = fromStart || !previous ? now : previous.fullScanAt;
    this.cursors.set(campaignId, { dueAt, fullScanAt, usedAt: now });
    if (!previous) this.forgetIdle(now);
  }

  forget(campaignId: string): void {
    this.cursors.delete(campaignId);
  }

  private forgetIdle(now: number): void {
    for (const [id, cursor] of this.cursors) if (now - cursor.usedAt >= FORGET_AFTER_MS) this.cursors.delete(id);
  }
}
