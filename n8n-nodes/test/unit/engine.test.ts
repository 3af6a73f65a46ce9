import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { sendWorkItems } from '../../nodes/CadenceSend/engine';
import type { ChannelDriver } from '../../nodes/CadenceSend/channels/driver';
import { fetchHttp } from '../../nodes/shared/http';
import type { ProviderError } from '../../nodes/shared/outcome';
import type { Grant, WorkItem } from '../../nodes/shared/types';

class FakeProviderError extends Error {
	constructor(readonly pe: ProviderError) {
		super(pe.message);
	}
}

/** A scripted provider: per message id, a list of answers (error or success), recording call times. */
function scripted(script: Record<string, Array<ProviderError | 'ok'>> = {}, latencyMs = 5) {
	const calls: Array<{ id: string; at: number }> = [];
	let inFlight = 0;
	let peak = 0;
	const driver: ChannelDriver = {
		provider: 'twilio',
		limits: () => ({}),
		async send([item]) {
			const id = item.message.messageId;
			calls.push({ id, at: Date.now() });
			inFlight++;
			peak = Math.max(peak, inFlight);
			await new Promise((r) => setTimeout(r, latencyMs));
			inFlight--;
			const next = script[id]?.shift() ?? 'ok';
			if (next !== 'ok') throw new FakeProviderError(next);
			return [`P-${id}`];
		},
		toProviderError: (e) => (e as FakeProviderError).pe,
	};
	return { driver, calls, peak: () => peak };
}

// Each batch its own channel: slotted sends share one arrival window per sender across the process.
let channelSeq = 0;
function items(n: number, grant: Partial<Grant> = {}, leaseMs = 60_000): WorkItem[] {
	const channelId = `c${++channelSeq}`;
	const g: Grant = { count: n, startInMs: 0, intervalMs: 0, ratePerSecond: 0, concurrency: 4, ...grant };
	const leasedAt = Date.now();
	return Array.from({ length: n }, (_, slot) => ({
		runId: 'r',
		leaseId: 'L',
		leaseExpiresAt: new Date(leasedAt + leaseMs).toISOString(),
		leasedAt,
		slot,
		grant: g,
		sender: { kind: 'twilio', channelId, config: {}, secrets: {} },
		message: { messageId: `m${slot}`, channel: 'sms', lead: { id: `l${slot}` }, template: { channel: 'sms', body: 'x' } },
		rendered: { channel: 'sms', body: 'x', encoding: 'GSM-7', segments: 1, characters: 1 },
	}));
}

const backend = () => {
	const marks: string[][] = [];
	return { marks, sending: async (_r: string, _l: string, ids: string[]) => (marks.push(ids), { accepted: ids, rejected: [] }) };
};

describe('send engine (scripted provider)', () => {
	it('starts each call no earlier than its slot and never faster than the grant rate', async () => {
		const p = scripted();
		const work = items(4, { startInMs: 100, intervalMs: 100, ratePerSecond: 10 });
		const t0 = work[0].leasedAt;
		const out = await sendWorkItems(
			work,
			{ backend: backend(), http: fetchHttp, createDriver: () => p.driver },
			{ requestTimeoutMs: 1000 },
		);
		assert.deepEqual(
			[...out.values()].map((o) => o.outcome),
			['sent', 'sent', 'sent', 'sent'],
		);
		p.calls.forEach((c, i) => assert.ok(c.at >= t0 + 100 + i * 100 - 2, `call ${i} at +${c.at - t0}`));
		for (let i = 1; i < p.calls.length; i++) assert.ok(p.calls[i].at - p.calls[i - 1].at >= 95, 'spacing');
	});

	it('keeps at most grant.concurrency calls in flight and marks sending per chunk', async () => {
		const p = scripted({}, 30);
		const b = backend();
		await sendWorkItems(items(12, { concurrency: 3 }), { backend: b, http: fetchHttp, createDriver: () => p.driver }, { chunkSize: 5 });
		assert.equal(p.peak(), 3);
		assert.deepEqual(
			b.marks.map((m) => m.length),
			[5, 5, 2],
		);
	});

	it('retries a proven-not-accepted error after its Retry-After, once sent', async () => {
		const p = scripted({ m0: [{ status: 429, code: 20429, message: 'Too Many Requests', retryAfterMs: 300 }] });
		const out = await sendWorkItems(items(1), { backend: backend(), http: fetchHttp, createDriver: () => p.driver });
		assert.equal(out.get('m0')?.outcome, 'sent');
		assert.equal(p.calls.length, 2);
		assert.ok(p.calls[1].at - p.calls[0].at >= 295);
	});

	it('never retries an ambiguous error (5xx, reset): unknown after one call', async () => {
		const p = scripted({
			m0: [{ status: 503, code: 20503, message: 'unavailable' }],
			m1: [{ message: 'socket hang up', networkCode: 'ECONNRESET' }],
		});
		const out = await sendWorkItems(items(2), { backend: backend(), http: fetchHttp, createDriver: () => p.driver });
		assert.equal(out.get('m0')?.outcome, 'unknown');
		assert.equal(out.get('m1')?.outcome, 'unknown');
		assert.equal(p.calls.length, 2);
	});

	it('does not retry past the lease: deferred with the provider Retry-After instead', async () => {
		const p = scripted({ m0: [{ status: 429, code: 20429, message: 'slow down', retryAfterMs: 5000 }] });
		const out = await sendWorkItems(
			items(1, {}, 4000),
			{ backend: backend(), http: fetchHttp, createDriver: () => p.driver },
			{ requestTimeoutMs: 500, leaseMarginMs: 500 },
		);
		assert.deepEqual(out.get('m0'), { outcome: 'deferred', errorCode: '20429', errorMessage: 'slow down', retryAfterMs: 5000 });
		assert.equal(p.calls.length, 1);
	});

	it('slots beyond grant.count are deferred no_grant and never called', async () => {
		const p = scripted();
		const work = items(3, { count: 2 });
		const out = await sendWorkItems(work, { backend: backend(), http: fetchHttp, createDriver: () => p.driver });
		assert.equal(out.get('m2')?.outcome, 'deferred');
		assert.equal((out.get('m2') as { errorCode: string }).errorCode, 'no_grant');
		assert.equal(p.calls.length, 2);
	});

	it('a failing sending mark sends nothing and defers the chunk', async () => {
		const p = scripted();
		const out = await sendWorkItems(items(2), {
			backend: { sending: async () => Promise.reject(new Error('backend down')) },
			http: fetchHttp,
			createDriver: () => p.driver,
		});
		assert.deepEqual(
			[...out.values()].map((o) => o.outcome),
			['deferred', 'deferred'],
		);
		assert.equal(p.calls.length, 0);
	});

	it('items that arrive with a result keep it and are not sent', async () => {
		const p = scripted();
		const work = items(2);
		work[1].result = { outcome: 'skipped', reason: 'missing_variable', errorMessage: 'lead.x' };
		const out = await sendWorkItems(work, { backend: backend(), http: fetchHttp, createDriver: () => p.driver });
		assert.deepEqual(out.get('m1'), { outcome: 'skipped', reason: 'missing_variable', errorMessage: 'lead.x' });
		assert.equal(p.calls.length, 1);
	});
	it('slotted grants: calls go at the ledger instant startAt + slot × interval, whenever the lease answer arrived', async () => {
		const p = scripted({}, 2);
		const startAt = Date.now() + 150;
		// The lease answer "arrived" 100 ms before now: timing from it (+200 ms) would start the calls 50 ms early.
		const work = items(5, { startInMs: 200, startAt, intervalMs: 40, ratePerSecond: 25, lateToleranceMs: 10 }).map((w) => ({
			...w,
			leasedAt: w.leasedAt - 100,
		}));
		const out = await sendWorkItems(
			work,
			{ backend: backend(), http: fetchHttp, createDriver: () => p.driver },
			{ requestTimeoutMs: 1000 },
		);
		assert.deepEqual(
			[...out.values()].map((o) => o.outcome),
			['sent', 'sent', 'sent', 'sent', 'sent'],
		);
		p.calls.forEach((c, i) => {
			assert.ok(c.at >= startAt + i * 40 - 2, `call ${i} ${c.at - startAt - i * 40} ms before its slot`);
			assert.ok(c.at <= startAt + i * 40 + 60, `call ${i} ${c.at - startAt - i * 40} ms after its slot`);
		});
	});

	it('slotted grants: a slot missed by more than the tolerance is deferred slot_missed, never sent late', async () => {
		const p = scripted({}, 2);
		// Slots 0 and 1 passed long ago (the lease answered a second ago, the run was held up); 2 and 3 lie ahead.
		const startAt = Date.now() - 1000;
		const work = items(4, { startInMs: 0, startAt, intervalMs: 600, ratePerSecond: 1000 / 600, lateToleranceMs: 10 }).map((w) => ({
			...w,
			leasedAt: startAt,
		}));
		const out = await sendWorkItems(
			work,
			{ backend: backend(), http: fetchHttp, createDriver: () => p.driver },
			{ requestTimeoutMs: 1000 },
		);
		assert.equal(out.get('m0')?.outcome, 'deferred');
		assert.equal((out.get('m0') as { errorCode: string }).errorCode, 'slot_missed');
		assert.equal((out.get('m1') as { errorCode: string }).errorCode, 'slot_missed');
		assert.equal(out.get('m2')?.outcome, 'sent');
		assert.equal(out.get('m3')?.outcome, 'sent');
		assert.deepEqual(
			p.calls.map((c) => c.id),
			['m2', 'm3'],
		);
	});

	it('slotted grants: two runs of one process never put rate + 1 calls to a sender in one second, even after a slow call', async () => {
		// 4/s with the ledger's 15 ms a second: slots 253.75 ms apart. Run A has slots 0-3, run B the next four.
		const interval = 1015 / 4;
		const startAt = Date.now() + 100;
		const calls: Array<{ id: string; start: number; answered: number }> = [];
		const driver: ChannelDriver = {
			provider: 'twilio',
			limits: () => ({}),
			async send([item]) {
				const start = Date.now();
				// A's first call is held 40 ms on its way: it may reach the provider as late as its answer.
				await new Promise((r) => setTimeout(r, item.message.messageId === 'A0' ? 40 : 1));
				calls.push({ id: item.message.messageId, start, answered: Date.now() });
				return [`P-${item.message.messageId}`];
			},
			toProviderError: (e) => e as ProviderError,
		};
		const run = (leaseId: string, first: number) =>
			items(4, {
				startInMs: 0,
				startAt: startAt + first * interval,
				intervalMs: interval,
				ratePerSecond: 1000 / interval,
				lateToleranceMs: 5,
			}).map((w, k) => ({
				...w,
				leaseId,
				sender: { ...w.sender, channelId: 'shared-sender' },
				message: { ...w.message, messageId: `${leaseId}${k}` },
			}));
		const out = await sendWorkItems(
			[...run('A', 0), ...run('B', 4)],
			{ backend: backend(), http: fetchHttp, createDriver: () => driver },
			{ requestTimeoutMs: 1000 },
		);
		// B0's slot lies 1,015 ms after A0's, but A0 answered 40 ms late: B0 would have to start 25 ms past
		// its slot (tolerance 5 ms) to keep 4 calls in any second. It goes back to the queue instead.
		assert.deepEqual((out.get('B0') as { errorCode?: string }).errorCode, 'slot_missed');
		assert.deepEqual(
			calls.map((c) => c.id),
			['A0', 'A1', 'A2', 'A3', 'B1', 'B2', 'B3'],
		);
		// Whatever the arrival inside [start, answered], any 5 consecutive calls span a full second.
		for (let i = 0; i + 4 < calls.length; i++)
			assert.ok(calls[i + 4].start - calls[i].answered >= 1000, `${calls[i].id} to ${calls[i + 4].id}`);
	});

	it('unslotted grants (no tolerance from the backend) still send a late slot, paced', async () => {
		const p = scripted({}, 2);
		const work = items(2, { startInMs: 0, startAt: Date.now() - 1000, intervalMs: 50, ratePerSecond: 20 });
		const out = await sendWorkItems(
			work,
			{ backend: backend(), http: fetchHttp, createDriver: () => p.driver },
			{ requestTimeoutMs: 1000 },
		);
		assert.deepEqual(
			[...out.values()].map((o) => o.outcome),
			['sent', 'sent'],
		);
	});

	it('slotted grants: a provider "retry later" is not retried inside the run (no call outside a slot), the message goes back to the queue', async () => {
		const p = scripted({ m0: [{ status: 429, code: 20429, message: 'Too Many Requests', retryAfterMs: 300 }] }, 2);
		// Slots 400 ms apart: the next slot lies past the provider's 300 ms Retry-After.
		// The first slot 500 ms ahead: a loaded machine (CI) must not make it pass before the engine reaches it.
		const startAt = Date.now() + 500;
		const work = items(3, { startInMs: 500, startAt, intervalMs: 400, ratePerSecond: 2.5, lateToleranceMs: 10 });
		const out = await sendWorkItems(
			work,
			{ backend: backend(), http: fetchHttp, createDriver: () => p.driver },
			{ requestTimeoutMs: 1000 },
		);
		assert.deepEqual(out.get('m0'), { outcome: 'deferred', errorCode: '20429', errorMessage: 'Too Many Requests', retryAfterMs: 300 });
		assert.equal(out.get('m1')?.outcome, 'sent');
		assert.deepEqual(
			p.calls.map((c) => c.id),
			['m0', 'm1', 'm2'],
			'm0 called once',
		);
	});
});
