import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { ArrivalWindow, arrivalWindowFor } from '../../nodes/shared/arrival-window';
import type { Clock } from '../../nodes/shared/time';
import { fakeClock } from '../helpers/fake-clock';

/** Slots 1015/rate ms apart (the ledger's spacing); each call answered `rtt(k)` ms after it started. */
async function sendSlots(w: ArrivalWindow, clock: Clock & { t: number }, rate: number, count: number, rtt: (k: number) => number) {
	const t0 = clock.t;
	const made: Array<{ k: number; start: number; answered: number }> = [];
	const skipped: number[] = [];
	for (let k = 0; k < count; k++) {
		const due = t0 + (k * 1015) / rate;
		if (clock.t < due) clock.t = due;
		if (!(await w.claim(due + 5, clock))) {
			skipped.push(k);
			continue;
		}
		const start = clock.t;
		w.answer(start + rtt(k));
		made.push({ k, start, answered: start + rtt(k) });
	}
	return { made, skipped };
}

describe('ArrivalWindow', () => {
	it('lets every slot go when each call is answered within the slots’ 15 ms a second', async () => {
		const clock = fakeClock();
		const { made, skipped } = await sendSlots(new ArrivalWindow(50), clock, 50, 200, () => 2);
		assert.equal(made.length, 200);
		assert.deepEqual(skipped, []);
		// No call waited past its slot.
		assert.ok(made.every(({ k, start }) => start - (1_000_000 + (k * 1015) / 50) < 1e-9));
	});

	it('holds back the call one second after a slow one, so that no second can hold rate + 1 arrivals', async () => {
		const clock = fakeClock();
		// Call 10 is held 30 ms on its way: it may arrive as late as its answer.
		const { made, skipped } = await sendSlots(new ArrivalWindow(50), clock, 50, 200, (k) => (k === 10 ? 30 : 1));
		// Call 60's slot lies 1,015 ms after call 10's: 50 calls (10 to 59) could still arrive within the
		// second before it, and room for one more comes only past its own 5 ms tolerance: it is not made.
		assert.deepEqual(skipped, [60]);
		// Whatever the arrival of each call inside [start, answered], 51 consecutive calls span a full second.
		for (let i = 0; i + 50 < made.length; i++)
			assert.ok(made[i + 50].start - made[i].answered >= 1000 - 1e-9, `calls ${made[i].k} and ${made[i + 50].k}`);
	});

	it('waits within the tolerance rather than give up a slot a little too close', async () => {
		const clock = fakeClock();
		// Call 0 answered 18 ms after its start: call 50's slot (1,015 ms on) is 3 ms too early; it waits 3 ms.
		const { made, skipped } = await sendSlots(new ArrivalWindow(50), clock, 50, 60, (k) => (k === 0 ? 18 : 1));
		assert.deepEqual(skipped, []);
		const fifty = made.find((m) => m.k === 50)!;
		assert.equal(Math.round(fifty.start - 1_000_000), 1018);
	});

	it('counts calls still in flight as arriving now, and is shared by the runs of one process', async () => {
		const clock = fakeClock();
		const a = arrivalWindowFor('twilio\u0000channel-shared', 3, clock.t);
		const b = arrivalWindowFor('twilio\u0000channel-shared', 3, clock.t);
		assert.equal(a, b);
		assert.notEqual(arrivalWindowFor('twilio\u0000channel-other', 3, clock.t), a);
		// A campaign held at a lower rate on the same sender counts its own calls only.
		assert.notEqual(arrivalWindowFor('twilio\u0000channel-shared', 1, clock.t), a);
		for (let i = 0; i < 3; i++) assert.equal(await a.claim(clock.t, clock), true);
		// Three in flight at a limit of 3: no fourth until one is answered, and none before the deadline.
		assert.equal(a.earliestStart(clock.t), Infinity);
		assert.equal(await b.claim(clock.t + 50, clock), false);
		a.release(clock.t);
		assert.equal(await b.claim(clock.t, clock), true);
	});
});
