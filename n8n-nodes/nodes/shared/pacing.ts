import type { Clock } from './time';
import type { Grant } from './types';

/**
 * When slot `slot` of a grant may be handed to the provider (epoch ms): from the ledger's own instant
 * when the backend gives it (parallel runs then agree on where their slots lie), else from when the lease
 * answer arrived. The ledger's instants are on the database's clock: n8n's clock must be synchronised
 * with it (NTP); one running ahead by more than the slot lead (400 ms) would see slots as already missed.
 */
export function slotDueAt(leasedAt: number, grant: Grant, slot: number): number {
	const start = grant.startAt !== undefined ? grant.startAt : leasedAt + Math.max(0, grant.startInMs);
	return start + slot * Math.max(0, grant.intervalMs);
}

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
