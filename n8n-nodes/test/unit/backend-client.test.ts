import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { BackendClient, BackendError } from '../../nodes/shared/backend-client';
import { fetchHttp } from '../../nodes/shared/http';
import { lead, message, startStubBackend, type StubBackend } from '../helpers/stub-backend';

const noSleep = { now: () => Date.now(), sleep: async () => undefined };

describe('backend client (stub backend)', () => {
	let stub: StubBackend;
	beforeAll(async () => {
		stub = await startStubBackend();
	});
	afterAll(() => stub.close());

	it('report results: 5xx and a lost answer are retried with the same Idempotency-Key and applied once', async () => {
		const client = new BackendClient({ baseUrl: stub.url, apiKey: stub.apiKey }, fetchHttp, noSleep);
		const run = stub.addRun({
			sender: { kind: 'twilio', channelId: 'c', config: {}, secrets: {} },
			messages: [message('sms', { channel: 'sms', body: 'x' }, lead(1))],
		});
		const lease = await client.lease(run.runId);
		stub.failNext.set('results', [503]);
		stub.dropAfterApply.set('results', 1);
		const before = stub.requests.length;
		const r = await client.reportResults(run.runId, lease.leaseId!, [
			{ messageId: lease.items[0].messageId, outcome: 'sent', providerMessageId: 'SM1', sentAt: new Date().toISOString() },
		]);
		const posts = stub.requests.slice(before).filter((q) => q.path.endsWith('/results'));
		assert.equal(posts.length, 3);
		assert.equal(new Set(posts.map((p) => p.headers['idempotency-key'])).size, 1);
		assert.equal(r.attempts, 3);
		assert.deepEqual({ applied: r.applied, ignored: r.ignored }, { applied: 1, ignored: 0 });
		assert.equal(run.messages[0].outcomes.length, 1, 'applied once');
		assert.equal(run.messages[0].status, 'sent');
	});

	it('report results: a 4xx is not retried', async () => {
		const client = new BackendClient({ baseUrl: stub.url, apiKey: 'wrong' }, fetchHttp, noSleep);
		await assert.rejects(client.reportResults('nope', 'l', [{ messageId: 'm', outcome: 'sent' }]), (e: BackendError) => e.status === 401);
	});

	it('lease: done when nothing is due; items, grant and sender otherwise', async () => {
		const client = new BackendClient({ baseUrl: stub.url, apiKey: stub.apiKey }, fetchHttp, noSleep);
		const run = stub.addRun({
			sender: { kind: 'twilio', channelId: 'c', config: {}, secrets: {} },
			ratePerSecond: 2,
			messages: [1, 2, 3].map((i) => message('sms', { channel: 'sms', body: 'x' }, lead(i))),
		});
		const before = Date.now();
		const lease = await client.lease(run.runId, 2);
		assert.equal(lease.items.length, 2);
		assert.deepEqual({ count: lease.grant!.count, intervalMs: lease.grant!.intervalMs }, { count: 2, intervalMs: 500 });
		const second = await client.lease(run.runId, 5);
		assert.equal(second.items.length, 1);
		// Two sends at 2/s end 1 s after the first grant; whatever time passed between the leases is already spent
		// (measured, not assumed: a busy machine can take well over 100 ms between two local requests).
		const elapsed = Date.now() - before;
		assert.ok(
			second.grant!.startInMs >= 1000 - elapsed - 5,
			`the quota ledger continues after the first grant (${second.grant!.startInMs} ms after ${elapsed} ms)`,
		);
		assert.ok(second.grant!.startInMs <= 1000, 'and never waits longer than the two sends take');
		assert.equal((await client.lease(run.runId)).done, true);
	});
});
