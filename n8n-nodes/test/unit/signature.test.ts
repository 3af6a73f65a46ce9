import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { ReplayCache, signTrigger, verifyTrigger } from '../../nodes/shared/signature';
import { reportIdempotencyKey } from '../../nodes/shared/backend-client';

describe('trigger signature', () => {
	const secret = 'trigger-secret';
	const body = JSON.stringify({ event: 'campaign.run', runId: 'r1' });
	const now = 1_800_000_000_000;
	const ts = String(now / 1000);

	it('accepts v1=HMAC-SHA256(secret, "<ts>.<raw body>")', () => {
		assert.deepEqual(verifyTrigger(secret, ts, signTrigger(secret, ts, body), body, now), { ok: true });
	});
	it('refuses a wrong secret, a changed body, missing headers', () => {
		assert.equal(verifyTrigger(secret, ts, signTrigger('other', ts, body), body, now).ok, false);
		assert.deepEqual(verifyTrigger(secret, ts, signTrigger(secret, ts, body), body + ' ', now), { ok: false, reason: 'bad_signature' });
		assert.deepEqual(verifyTrigger(secret, undefined, 'v1=x', body, now), { ok: false, reason: 'missing_headers' });
	});
	it('refuses timestamps more than 300 s away and exact replays', () => {
		const old = String(now / 1000 - 301);
		assert.deepEqual(verifyTrigger(secret, old, signTrigger(secret, old, body), body, now), { ok: false, reason: 'stale_timestamp' });
		const cache = new ReplayCache();
		const sig = signTrigger(secret, ts, body);
		assert.deepEqual(verifyTrigger(secret, ts, sig, body, now, cache), { ok: true });
		assert.deepEqual(verifyTrigger(secret, ts, sig, body, now, cache), { ok: false, reason: 'replayed' });
	});
	it('report idempotency keys depend on the lease and the set of message ids only', () => {
		assert.equal(reportIdempotencyKey('L', ['b', 'a']), reportIdempotencyKey('L', ['a', 'b']));
		assert.notEqual(reportIdempotencyKey('L', ['a']), reportIdempotencyKey('L', ['a', 'b']));
		assert.match(reportIdempotencyKey('L', ['a']), /^L:[0-9a-f]{32}$/);
	});
});
