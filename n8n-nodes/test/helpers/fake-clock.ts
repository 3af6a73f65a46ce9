import type { Clock } from '../../nodes/shared/time';

/** A clock whose time moves only when something sleeps on it: pacing tests run in no real time. */
export function fakeClock(start = 1_000_000): Clock & { t: number } {
	const c = {
		t: start,
		now: () => c.t,
		sleep: async (ms: number) => {
			c.t += Math.max(0, ms);
			await Promise.resolve();
		},
	};
	return c;
}
