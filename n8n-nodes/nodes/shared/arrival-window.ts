import type { Clock } from './time';

/**
 * The provider counts a call when it arrives, somewhere between our start and its answer. The ledger's
 * slots leave 15 ms a second for the arrivals to stray (see the backend's `SECOND_WINDOW_HEADROOM`);
 * a call held longer than that on its way (a stall of this process or of the host's scheduler, 13-21 ms
 * now and then on a loaded 2-core host) could arrive within one second of the call `rate` slots later.
 *
 * This window remembers, per sender, when this process's recent calls could have arrived at the latest
 * (their answer; a call still in flight may arrive any time) and tells when a new call may start so that
 * no one-second window holds more than `limit` of them. Parallel runs in one n8n process share it; runs
 * on other processes (queue-mode workers) are held apart by the ledger's slots alone.
 */
export class ArrivalWindow {
	/** Answer times of finished calls that may still share a second with a new one, oldest first. */
	private readonly answered: number[] = [];
	private inFlight = 0;
	private lastUsedAt = 0;

	/** `limit`: the most calls any one second may hold (the sender's rate, rounded up). */
	constructor(private readonly limit: number) {}

	/**
	 * The earliest time a call may start so that at most `limit` calls (it included) can arrive within
	 * one second: `now`, a later time, or Infinity while `limit` calls are in flight.
	 */
	earliestStart(now: number): number {
		while (this.answered.length > 0 && this.answered[0] <= now - 1000) this.answered.shift();
		const room = this.limit - 1 - this.inFlight;
		if (room < 0) return Infinity;
		const excess = this.answered.length - room;
		return excess > 0 ? Math.max(now, this.answered[excess - 1] + 1000) : now;
	}

	/**
	 * Waits until a call may start, at the latest at `deadline`, and counts it in flight; false (nothing
	 * counted) when it could only start after `deadline`. Checked and counted in one step, so two calls of
	 * the process never both take the last place.
	 */
	async claim(deadline: number, clock: Clock): Promise<boolean> {
		for (;;) {
			const now = clock.now();
			const at = this.earliestStart(now);
			if (at <= now) {
				this.inFlight++;
				this.lastUsedAt = now;
				return true;
			}
			if (at > deadline) return false;
			await clock.sleep(at - now);
		}
	}

	/** The claimed call was not made. */
	release(now: number): void {
		this.inFlight = Math.max(0, this.inFlight - 1);
		this.lastUsedAt = now;
	}

	/** The claimed call was answered at `now`: it arrived at the provider by then. */
	answer(now: number): void {
		this.inFlight = Math.max(0, this.inFlight - 1);
		// Answers come in about start order; insert in place to keep the list sorted when they do not.
		let i = this.answered.length;
		while (i > 0 && this.answered[i - 1] > now) i--;
		this.answered.splice(i, 0, now);
		this.lastUsedAt = now;
	}

	idle(now: number): boolean {
		return this.inFlight === 0 && now - this.lastUsedAt > 2000;
	}
}

const windows = new Map<string, ArrivalWindow>();

/**
 * The process-wide window of one sender at one rate (`ratePerSecond`, rounded up, is its limit): a
 * campaign held under the channel's rate must not count the calls of another one at the full rate.
 * Windows idle for two seconds are dropped.
 */
export function arrivalWindowFor(sender: string, ratePerSecond: number, now: number): ArrivalWindow {
	const limit = Math.max(1, Math.ceil(ratePerSecond));
	const key = `${sender}\u0000${limit}`;
	for (const [k, w] of windows) if (k !== key && w.idle(now)) windows.delete(k);
	let w = windows.get(key);
	if (!w) {
		w = new ArrivalWindow(limit);
		windows.set(key, w);
	}
	return w;
}
