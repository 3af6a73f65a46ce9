import { BackendError, type BackendClient } from '../shared/backend-client';
import type { HttpFn } from '../shared/http';
import { TOKEN_RETRY_AFTER_MS, classifyProviderError, type Classified } from '../shared/outcome';
import { arrivalWindowFor } from '../shared/arrival-window';
import { Pool, TokenBucket, backoffMs, holdsSlotTimes, slotDueAt } from '../shared/pacing';
import { realClock, type Clock } from '../shared/time';
import type { Outcome, WorkItem } from '../shared/types';
import { createDriver, resolveChannel, type ChannelChoice } from './channels';
import type { ChannelDriver } from './channels/driver';
import { endpointRefusal } from './channels/endpoint-check';

export interface SendOptions {
	channel: ChannelChoice;
	/** Retries of proven-not-accepted errors (429, refused connection) inside the grant. */
	maxRetries: number;
	requestTimeoutMs: number;
	/** Messages marked `sending` per backend call. */
	chunkSize: number;
	/** A chunk only spans slots due within this window (keeps the ambiguous window short). */
	chunkWindowMs: number;
	/** Never start a provider call later than this before the lease expires. */
	leaseMarginMs: number;
	mailgunBatching: boolean;
	mailgunMaxRecipients: number;
	mailgunBatchWindowMs: number;
	waitForCallEnd: boolean;
	callPollIntervalMs: number;
	maxCallWaitMs: number;
}

export const DEFAULT_SEND_OPTIONS: SendOptions = {
	channel: 'auto',
	maxRetries: 3,
	requestTimeoutMs: 15_000,
	chunkSize: 200,
	chunkWindowMs: 2000,
	leaseMarginMs: 2000,
	mailgunBatching: true,
	mailgunMaxRecipients: 1000,
	mailgunBatchWindowMs: 1000,
	// The backend holds call slots across executions; the per-execution hold is a fallback.
	waitForCallEnd: false,
	callPollIntervalMs: 2000,
	maxCallWaitMs: 600_000,
};

export interface SendDeps {
	backend: Pick<BackendClient, 'sending'>;
	http: HttpFn;
	clock?: Clock;
	/** Tests only: replaces the channel drivers. */
	createDriver?: typeof createDriver;
}

export const PACING_SAFETY = 0.97;
/**
 * With slots held to their times the slots are the pacing; the bucket only keeps retries and catch-up
 * within a slot's tolerance from bunching, so it runs this much faster than the grant (a bucket at the
 * grant's own rate would carry every timer overshoot into the next slot, until slots were missed).
 */
export const SLOTTED_BUCKET_FACTOR = 1.25;
/** With slots held, at most this many calls in flight at once (one second of slots, up to this). */
export const SLOTTED_MAX_IN_FLIGHT = 256;

interface Unit {
	items: WorkItem[];
	dueAt: number;
}

function fromClassified(c: Classified): Outcome {
	if (c.outcome === 'failed') return { outcome: 'failed', errorCode: c.errorCode, errorMessage: c.errorMessage };
	if (c.outcome === 'deferred')
		return { outcome: 'deferred', errorCode: c.errorCode, errorMessage: c.errorMessage, retryAfterMs: c.retryAfterMs };
	return { outcome: 'unknown', errorCode: c.errorCode, errorMessage: c.errorMessage };
}

/**
 * Sends work items with exactly one outcome each (by messageId). Items that arrive with a
 * result (skipped / failed at render) keep it. Per lease and sender: slots paced from the lease
 * time, a token bucket at the grant's rate, a pool of `grant.concurrency`, `sending` marked per
 * chunk right before the provider calls, retries only for proven-not-accepted errors.
 */
export async function sendWorkItems(items: WorkItem[], deps: SendDeps, opts: Partial<SendOptions> = {}): Promise<Map<string, Outcome>> {
	const options = { ...DEFAULT_SEND_OPTIONS, ...opts };
	const clock = deps.clock ?? realClock;
	const results = new Map<string, Outcome>();
	const groups = new Map<string, WorkItem[]>();
	for (const item of items) {
		const id = item.message.messageId;
		if (item.result) {
			results.set(id, item.result);
			continue;
		}
		if (!item.rendered) {
			results.set(id, {
				outcome: 'failed',
				errorCode: 'not_rendered',
				errorMessage: 'the item reached Send Message without a Render Message result',
			});
			continue;
		}
		let channel: string;
		try {
			channel = resolveChannel(options.channel, item.sender, item);
		} catch (err) {
			results.set(id, { outcome: 'failed', errorCode: 'unsupported_channel', errorMessage: (err as Error).message });
			continue;
		}
		const key = `${item.leaseId}\u0000${item.sender.channelId}\u0000${channel}`;
		const list = groups.get(key) ?? [];
		list.push(item);
		groups.set(key, list);
	}
	await Promise.all([...groups.values()].map((group) => sendGroup(group, deps, options, clock, results)));
	return results;
}

async function sendGroup(
	group: WorkItem[],
	deps: SendDeps,
	options: SendOptions,
	clock: Clock,
	results: Map<string, Outcome>,
): Promise<void> {
	const first = group[0];
	const { grant, sender, runId, leaseId } = first;
	const leaseExpiresAt = Date.parse(first.leaseExpiresAt) || clock.now() + 30_000;
	const dueAt = (item: WorkItem) => slotDueAt(item.leasedAt, item.grant, item.slot);
	const set = (items: WorkItem[], outcome: Outcome) => items.forEach((i) => results.set(i.message.messageId, outcome));

	// Never more than the grant: a slot beyond `count` was not reserved in the quota ledger.
	const granted = group.filter((i) => i.slot < grant.count);
	set(
		group.filter((i) => i.slot >= grant.count),
		{ outcome: 'deferred', errorCode: 'no_grant', errorMessage: 'no quota slot for this message in the lease', retryAfterMs: 0 },
	);
	if (granted.length === 0) return;

	const channel = resolveChannel(options.channel, sender, first);
	const driver: ChannelDriver = (deps.createDriver ?? createDriver)(
		channel,
		sender,
		{ http: deps.http, clock, requestTimeoutMs: options.requestTimeoutMs },
		{
			mailgunBatching: options.mailgunBatching,
			mailgunMaxRecipients: options.mailgunMaxRecipients,
			mailgunBatchWindowMs: options.mailgunBatchWindowMs,
			voice: { waitForCallEnd: options.waitForCallEnd, pollIntervalMs: options.callPollIntervalMs, maxCallWaitMs: options.maxCallWaitMs },
			dueAt,
		},
	);
	// Before anything is marked `sending` or called: a refused base URL never sees the credentials.
	const pre = endpointRefusal(driver.provider, sender) ?? driver.precheck?.();
	if (pre) return set(granted, fromClassified(pre));

	driver.prepare?.();
	granted.sort((a, b) => a.slot - b.slot);
	const units: Unit[] = (driver.plan ? driver.plan(granted) : granted.map((i) => [i])).map((items) => ({
		items,
		dueAt: Math.max(...items.map(dueAt)),
	}));
	units.sort((a, b) => a.dueAt - b.dueAt);

	const limits = driver.limits();
	// A voice call waits for the previous chunk's calls to end: its slots cannot be held to the millisecond.
	const slotted = holdsSlotTimes(grant) && driver.hold === undefined;
	// Slotted, the slots already bound the rate; a pool smaller than what a second of slots keeps in flight
	// would make calls wait for a free place past their slot (missed, requeued) whenever the provider is slow.
	const poolSize = slotted
		? Math.max(grant.concurrency || 1, Math.min(SLOTTED_MAX_IN_FLIGHT, Math.ceil(grant.ratePerSecond)))
		: grant.concurrency || 1;
	const pool = new Pool(Math.max(1, Math.min(poolSize, limits.maxConcurrent ?? Infinity)));
	const lateTolerance = grant.lateToleranceMs ?? 0;
	// Unslotted, 3% under the granted rate: request latency jitter must not make two calls land closer
	// together at the provider than the grant allows.
	const bucketRate = grant.ratePerSecond > 0 ? grant.ratePerSecond * (slotted ? SLOTTED_BUCKET_FACTOR : PACING_SAFETY) : 0;
	const bucket = new TokenBucket(bucketRate, clock);
	const spacing = limits.minSpacingMs ? new TokenBucket(1000 / limits.minSpacingMs, clock) : undefined;
	let halted: Outcome | undefined;
	const sleepUntil = async (t: number) => {
		const d = t - clock.now();
		if (d > 0) await clock.sleep(d);
	};
	const lateFor = (startAt: number) => startAt + options.requestTimeoutMs + options.leaseMarginMs > leaseExpiresAt;

	// The provider counts a call when it arrives, somewhere between our start and the answer.
	// After a call that was slower than any before (a cold connection), the next one waits a full
	// interval from the answer minus the fastest call seen: arrivals never bunch up.
	const intervalMs = grant.ratePerSecond > 0 ? 1000 / (grant.ratePerSecond * PACING_SAFETY) : 0;
	let fastest = Infinity;
	const afterCall = (started: number) => {
		const end = clock.now();
		const took = end - started;
		// Slotted: the next call has its own slot, and pausing past it would only lose the slot.
		if (intervalMs > 0 && !slotted)
			bucket.pauseUntil(end + intervalMs - (Number.isFinite(fastest) ? Math.min(fastest, took) : 0) - intervalMs * (1 - PACING_SAFETY));
		fastest = Math.min(fastest, took);
	};

	// Sent late, a call would land among the next run's slots: the provider would see more than the
	// rate in one second. Marked `sending` but not sent, so it goes back to the queue for a new slot.
	const slotMissed = (unit: Unit, attempt: number) => slotted && attempt === 0 && clock.now() > unit.dueAt + lateTolerance;
	const missed = (unit: Unit, why = `its slot passed ${Math.round(clock.now() - unit.dueAt)} ms ago`): Outcome => ({
		outcome: 'deferred',
		errorCode: 'slot_missed',
		errorMessage: `not sent: ${why} (tolerance ${lateTolerance} ms)`,
		retryAfterMs: 0,
	});

	// Slotted: one second of this process's calls to the sender never holds more than the rate, even when
	// one of them was held on its way longer than the slots allow for (see ArrivalWindow).
	const arrivals = slotted ? arrivalWindowFor(`${driver.provider}\u0000${sender.channelId}`, grant.ratePerSecond, clock.now()) : undefined;

	const runUnit = async (unit: Unit): Promise<void> => {
		for (let attempt = 0; ; attempt++) {
			if (halted) return set(unit.items, halted);
			await sleepUntil(unit.dueAt);
			// Checked before the bucket too: a missed slot must not use up a token a later slot needs.
			if (slotMissed(unit, attempt)) return set(unit.items, missed(unit));
			await bucket.take();
			if (spacing) await spacing.take();
			if (halted) return set(unit.items, halted);
			if (arrivals && !(await arrivals.claim(unit.dueAt + lateTolerance, clock)))
				return set(unit.items, missed(unit, 'a call a second before it may have reached the provider late, and its slot passed'));
			if (slotMissed(unit, attempt)) {
				arrivals?.release(clock.now());
				return set(unit.items, missed(unit));
			}
			if (lateFor(clock.now())) {
				arrivals?.release(clock.now());
				// Marked `sending` but not sent: proved not accepted, so back to the queue.
				return set(unit.items, {
					outcome: 'deferred',
					errorCode: 'lease_ending',
					errorMessage: 'not sent: the lease ends before the provider call could finish',
					retryAfterMs: 0,
				});
			}
			let ids: string[];
			const started = clock.now();
			try {
				ids = await driver.send(unit.items);
				afterCall(started);
				arrivals?.answer(clock.now());
			} catch (err) {
				afterCall(started);
				arrivals?.answer(clock.now());
				const c = classifyProviderError(driver.provider, driver.toProviderError(err));
				if (c.outcome !== 'unknown' && c.haltSender && !halted) {
					halted = {
						outcome: 'deferred',
						errorCode: c.errorCode,
						errorMessage: `not attempted after ${c.errorCode}: ${c.errorMessage}`,
						retryAfterMs: c.outcome === 'deferred' ? c.retryAfterMs : TOKEN_RETRY_AFTER_MS,
					};
				}
				if (c.outcome === 'deferred') {
					bucket.pauseUntil(clock.now() + c.retryAfterMs);
					const wait = backoffMs(attempt, c.retryAfterMs);
					// Slotted, a retry here would be a call outside any slot (one more in some second): the
					// message goes back to the queue instead, and its next lease gives it a slot of its own.
					if (!slotted && !c.haltSender && attempt < options.maxRetries && !lateFor(clock.now() + wait)) {
						unit.dueAt = clock.now() + wait;
						continue;
					}
				}
				return set(unit.items, fromClassified(c));
			}
			const sentAt = new Date(clock.now()).toISOString();
			unit.items.forEach((item, i) =>
				results.set(item.message.messageId, { outcome: 'sent', providerMessageId: ids[i] ?? ids[0], sentAt }),
			);
			if (driver.hold) await driver.hold(unit.items, ids);
			return;
		}
	};

	// Chunks: consecutive units, at most chunkSize messages, due within chunkWindowMs.
	const chunkSize = driver.hold ? Math.max(1, Math.min(options.chunkSize, limits.maxConcurrent ?? options.chunkSize)) : options.chunkSize;
	const chunks: Unit[][] = [];
	for (const unit of units) {
		const cur = chunks[chunks.length - 1];
		const count = cur ? cur.reduce((n, u) => n + u.items.length, 0) : 0;
		if (cur && count + unit.items.length <= Math.max(chunkSize, unit.items.length) && unit.dueAt - cur[0].dueAt <= options.chunkWindowMs)
			cur.push(unit);
		else chunks.push([unit]);
	}

	const tasks: Promise<void>[] = [];
	// Voice holds a slot for the whole call: mark the next chunk only when the previous one ended.
	const holdChunks = driver.hold !== undefined;
	let previous: Promise<unknown> = Promise.resolve();
	for (const chunk of chunks) {
		if (holdChunks) await previous;
		const chunkItems = chunk.flatMap((u) => u.items);
		await sleepUntil(chunk[0].dueAt - 250);
		if (halted) {
			set(chunkItems, halted);
			continue;
		}
		if (lateFor(Math.max(clock.now(), chunk[0].dueAt))) {
			// Still only `leased`: the backend returns it to the queue when the lease expires.
			set(chunkItems, {
				outcome: 'deferred',
				errorCode: 'lease_ending',
				errorMessage: 'not sent: the lease ends before this slot',
				retryAfterMs: 0,
			});
			continue;
		}
		let accepted: Set<string>;
		try {
			const answer = await deps.backend.sending(
				runId,
				leaseId,
				chunkItems.map((i) => i.message.messageId),
			);
			accepted = new Set(answer.accepted);
			for (const r of answer.rejected) results.set(r.messageId, { outcome: 'rejected', reason: r.reason });
		} catch (err) {
			// Marked or not, nothing was sent: deferred puts them back in the queue either way.
			const code = err instanceof BackendError ? (err.networkCode ?? String(err.status)) : 'backend_error';
			set(chunkItems, {
				outcome: 'deferred',
				errorCode: `sending_mark_failed:${code}`,
				errorMessage: (err as Error).message,
				retryAfterMs: 1000,
			});
			continue;
		}
		for (const item of chunkItems) {
			if (!accepted.has(item.message.messageId) && !results.has(item.message.messageId))
				results.set(item.message.messageId, { outcome: 'rejected', reason: 'not_accepted' });
		}
		const chunkTasks: Promise<void>[] = [];
		for (const unit of chunk) {
			const sendable = unit.items.filter((i) => accepted.has(i.message.messageId));
			if (sendable.length === 0) continue;
			chunkTasks.push(pool.run(() => runUnit({ items: sendable, dueAt: unit.dueAt })));
		}
		tasks.push(...chunkTasks);
		previous = Promise.all(chunkTasks);
	}
	await Promise.all(tasks);
}
