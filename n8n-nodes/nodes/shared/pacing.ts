import type { Clock } from './time';
import type { Grant } from './types';

/**
 * When slot `slot` of a grant may be handed to the provider (epoch ms on this machine's clock): from the
 * ledger's own instant when the backend gives it (parallel runs then agree on where their slots lie),
 * moved by `skewMs` (this clock minus the database's, see LedgerClock), else from when the lease answer
 * arrived.
 */
export function slotDueAt(leasedAt: number, grant: Grant, slot: number, skewMs = 0): number {
	const start = grant.startAt !== undefined ? grant.startAt + skewMs : leasedAt + Math.max(0, grant.startInMs);
	return start + slot * Math.max(0, grant.intervalMs);
}

/** A skew below this is left alone: it is within what the lease answer's own latency could explain. */
export const SKEW_IGNORED_MS = 100;
const SKEW_SAMPLES = 64;
const SKEW_SAMPLE_TTL_MS = 10 * 60_000;

/**
 * How far this machine's clock is from the database's, the ledger's clock, estimated as NTP does: each
 * lease answer says when the ledger read its clock (`startAt - startInMs`), and arrives a little later
 * than that by our clock. The smallest difference seen lately is the skew plus the quickest answer's
 * latency. Slots are on the database's clock: n8n's clock ahead by more than the slot lead would make
 * every slot look missed (a paced campaign would stall), behind it would send late into other runs' slots.
 */
export class LedgerClock {
	private samples: Array<{ at: number; diff: number }> = [];

	observe(leasedAt: number, grant: Grant): void {
		if (grant.startAt === undefined || !Number.isFinite(leasedAt)) return;
		const ledgerNow = grant.startAt - Math.max(0, grant.startInMs);
		this.samples.push({ at: leasedAt, diff: leasedAt - ledgerNow });
		if (this.samples.length > SKEW_SAMPLES) this.samples.shift();
	}

	/** This clock minus the ledger's (ms) when it is large enough to matter, else 0. */
	skewMs(now: number): number {
		this.samples = this.samples.filter((s) => now - s.at <= SKEW_SAMPLE_TTL_MS);
		if (this.samples.length === 0) return 0;
		const skew = Math.min(...this.samples.map((s) => s.diff));
		return Math.abs(skew) > SKEW_IGNORED_MS ? Math.round(skew) : 0;
	}
}

/** One per n8n process: every run and workflow of a process shares its clock. */
export const ledgerClock = new LedgerClock();

/** Whether a grant's slots are held to the second: a late slot is given up rather than crowd the next run's. */
export function holdsSlotTimes(grant: Grant): boolean {
	return grant.lateToleranceMs !== undefined && grant.intervalMs > 0;
}

/**
 * A token bucket per sender: `ratePerSecond` tokens a second, at most `capacity` banked, so a
 * sender never goes faster than its grant even when the slots bunch up (late start, retries).
 * `pauseUntil` is how a provider's Retry-After stops every request of the sender at once.
 */
export class TokenBucket {
	private tokens: number;
	private updatedAt: number;
	private pausedUntil = 0;
	private queue: Promise<void> = Promise.resolve();

	constructor(
		private readonly ratePerSecond: number,
		private readonly clock: Clock,
		private readonly capacity = 1,
	) {
		this.tokens = capacity;
		this.updatedAt = clock.now();
	}

	pauseUntil(at: number): void {
		this.pausedUntil = Math.max(this.pausedUntil, at);
	}

	/** Resolves when one token was taken; callers are served in order. */
	take(): Promise<void> {
		const next = this.queue.then(() => this.takeNow());
		this.queue = next.catch(() => undefined);
		return next;
	}

	private async takeNow(): Promise<void> {
		if (!(this.ratePerSecond > 0)) {
			const wait = this.pausedUntil - this.clock.now();
			if (wait > 0) await this.clock.sleep(wait);
			return;
		}
		for (;;) {
			const now = this.clock.now();
			if (this.pausedUntil > now) {
				await this.clock.sleep(this.pausedUntil - now);
				continue;
			}
			this.tokens = Math.min(this.capacity, this.tokens + ((now - this.updatedAt) / 1000) * this.ratePerSecond);
			this.updatedAt = now;
			if (this.tokens >= 1) {
				this.tokens -= 1;
				return;
			}
			await this.clock.sleep(Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000));
		}
	}
}

/** A concurrency pool: at most `size` tasks run at once, started in submission order. */
export class Pool {
	private active = 0;
	private readonly waiting: Array<() => void> = [];

	constructor(private readonly size: number) {}

	async run<T>(task: () => Promise<T>): Promise<T> {
		if (this.active >= Math.max(1, this.size)) await new Promise<void>((resolve) => this.waiting.push(resolve));
		this.active++;
		try {
			return await task();
		} finally {
			this.active--;
			this.waiting.shift()?.();
		}
	}
}

/** Exponential backoff with full jitter, never shorter than the provider's Retry-After. */
export function backoffMs(attempt: number, retryAfterMs: number | undefined, baseMs = 500, maxMs = 30_000, random = Math.random): number {
	const exp = Math.min(maxMs, baseMs * 2 ** attempt);
	const jittered = Math.round(exp / 2 + random() * (exp / 2));
	return Math.max(retryAfterMs ?? 0, jittered);
}
