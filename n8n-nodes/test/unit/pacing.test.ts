import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { Pool, TokenBucket, backoffMs, slotDueAt } from '../../nodes/shared/pacing';
import { fakeClock } from '../helpers/fake-clock';

describe('pacing', () => {
	it('slot i is due at leasedAt + startInMs + i * intervalMs', () => {
		const grant = { count: 3, startInMs: 500, intervalMs: 1000, ratePerSecond: 1, concurrency: 4 };
		assert.deepEqual(
			[0, 1, 2].map((i) => slotDueAt(10_000, grant, i)),
			[10_500, 11_500, 12_500],
		);
	});

	it('the token bucket never exceeds its rate, whatever the burst of callers', async () => {
		const clock = fakeClock();
		const bucket = new TokenBucket(5, clock);
		const times: number[] = [];
		await Promise.all(Array.from({ length: 20 }, () => bucket.take().then(() => times.push(clock.now()))));
		times.sort((a, b) => a - b);
		for (let i = 1; i < times.length; i++) assert.ok(times[i] - times[i - 1] >= 199, `gap ${times[i] - times[i - 1]}`);
		// In any 1 s window at most 5 (+1 banked) tokens.
		for (const t of times) assert.ok(times.filter((x) => x >= t && x < t + 1000).length <= 6);
	});

	it('a Retry-After pause stops every taker until it passed', async () => {
		const clock = fakeClock();
		const bucket = new TokenBucket(100, clock);
		await bucket.take();
		const start = clock.now();
		bucket.pauseUntil(start + 3000);
		await bucket.take();
		assert.ok(clock.now() >= start + 3000);
	});

	it('rate 0 means unlimited', async () => {
		const clock = fakeClock();
		const bucket = new TokenBucket(0, clock);
		for (let i = 0; i < 100; i++) await bucket.take();
		assert.equal(clock.now(), 1_000_000);
	});

	it('the pool keeps at most `size` tasks in flight, in order', async () => {
		const pool = new Pool(3);
		let active = 0;
		let peak = 0;
		const order: number[] = [];
		await Promise.all(
			Array.from({ length: 12 }, (_, i) =>
				pool.run(async () => {
					order.push(i);
					active++;
					peak = Math.max(peak, active);
					await new Promise((r) => setTimeout(r, 5));
					active--;
				}),
			),
		);
		assert.equal(peak, 3);
		assert.deepEqual(
			order,
			[...order].sort((a, b) => a - b),
		);
	});

	it('backoff grows exponentially, is jittered and never undercuts Retry-After', () => {
		assert.equal(
			backoffMs(0, undefined, 500, 30_000, () => 0),
			250,
		);
		assert.equal(
			backoffMs(3, undefined, 500, 30_000, () => 1),
			4000,
		);
		assert.equal(
			backoffMs(10, undefined, 500, 30_000, () => 1),
			30_000,
		);
		assert.equal(
			backoffMs(0, 5000, 500, 30_000, () => 1),
			5000,
		);
	});
});
