import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { classifyNetworkError, classifyProviderError, networkCodeOf } from '../../nodes/shared/outcome';

describe('outcome classification', () => {
	const cases: Array<[Parameters<typeof classifyProviderError>[0], Parameters<typeof classifyProviderError>[1], string, string]> = [
		['twilio', { status: 429, code: 20429, message: 'Too Many Requests', retryAfterMs: 2000 }, 'deferred', '20429'],
		['twilio', { status: 400, code: 14107, message: 'SMS send rate limit exceeded' }, 'deferred', '14107'],
		['twilio', { status: 400, code: 21211, message: "Invalid 'To' Phone Number" }, 'failed', '21211'],
		['twilio', { status: 400, code: 21610, message: 'unsubscribed recipient' }, 'failed', '21610'],
		['twilio', { status: 401, code: 20003, message: 'Authenticate' }, 'failed', 'token_invalid'],
		['twilio', { status: 500, code: 20500, message: 'Internal Server Error' }, 'unknown', '20500'],
		['twilio', { status: 503, code: 20503, message: 'Service Unavailable' }, 'unknown', '20503'],
		['mailgun', { status: 429, message: 'Too many requests' }, 'deferred', '429'],
		['mailgun', { status: 400, message: 'to parameter is missing' }, 'failed', '400'],
		['mailgun', { status: 401, message: 'Forbidden' }, 'failed', 'token_invalid'],
		['mailgun', { status: 500, message: 'Internal Server Error' }, 'unknown', '500'],
		['whatsapp', { status: 429, code: 130429, message: 'Rate limit hit' }, 'deferred', '130429'],
		['whatsapp', { status: 400, code: 131056, message: 'pair rate limit' }, 'deferred', '131056'],
		['whatsapp', { status: 400, code: 131048, message: 'spam rate limit' }, 'deferred', '131048'],
		['whatsapp', { status: 400, code: 80007, message: 'WABA rate limit' }, 'deferred', '80007'],
		['whatsapp', { status: 401, code: 190, message: 'Invalid OAuth access token' }, 'failed', 'token_invalid'],
		['whatsapp', { status: 400, code: 132001, message: 'template does not exist' }, 'failed', '132001'],
		['whatsapp', { status: 400, code: 131026, message: 'undeliverable' }, 'failed', '131026'],
		['whatsapp', { status: 500, code: 1, message: 'unknown error' }, 'unknown', '1'],
		[
			'gmail',
			{ status: 429, code: 'rateLimitExceeded', message: 'User-rate limit exceeded', retryAfterMs: 1000 },
			'deferred',
			'rateLimitExceeded',
		],
		['gmail', { status: 403, code: 'rateLimitExceeded', message: 'Rate Limit Exceeded' }, 'deferred', 'rateLimitExceeded'],
		['gmail', { status: 403, code: 'userRateLimitExceeded', message: 'User Rate Limit Exceeded' }, 'deferred', 'userRateLimitExceeded'],
		['gmail', { status: 403, code: 'dailyLimitExceeded', message: 'Daily user sending quota exceeded.' }, 'deferred', 'dailyLimitExceeded'],
		['gmail', { status: 401, code: 'authError', message: 'Invalid Credentials' }, 'failed', 'token_invalid'],
		['gmail', { status: 403, code: 'insufficientPermissions', message: 'insufficient scopes' }, 'failed', 'insufficient_scope'],
		['gmail', { status: 400, code: 'invalidArgument', message: 'Invalid To header' }, 'failed', 'invalidArgument'],
		['gmail', { status: 503, code: 'backendError', message: 'unavailable' }, 'unknown', 'backendError'],
	];
	for (const [provider, err, outcome, code] of cases) {
		it(`${provider} ${err.status} ${String(err.code ?? '')} -> ${outcome} ${code}`, () => {
			const c = classifyProviderError(provider, err);
			assert.equal(c.outcome, outcome);
			assert.equal(c.errorCode, code);
		});
	}

	it('keeps the provider Retry-After on deferred outcomes, with a default', () => {
		const c = classifyProviderError('twilio', { status: 429, code: 20429, message: 'x', retryAfterMs: 7000 });
		assert.equal(c.outcome === 'deferred' && c.retryAfterMs, 7000);
		const d = classifyProviderError('mailgun', { status: 429, message: 'x' });
		assert.equal(d.outcome === 'deferred' && d.retryAfterMs, 1000);
	});

	it('token errors halt the sender; daily caps too', () => {
		assert.equal((classifyProviderError('gmail', { status: 401, message: 'x' }) as { haltSender?: boolean }).haltSender, true);
		assert.equal(
			(classifyProviderError('gmail', { status: 403, code: 'dailyLimitExceeded', message: 'x' }) as { haltSender?: boolean }).haltSender,
			true,
		);
		assert.equal((classifyProviderError('twilio', { status: 429, message: 'x' }) as { haltSender?: boolean }).haltSender, undefined);
	});

	it('network errors: not connected -> deferred; anything after connecting -> unknown', () => {
		for (const c of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH'])
			assert.equal(classifyNetworkError(c, c).outcome, 'deferred', c);
		for (const c of ['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENETWORK', undefined])
			assert.equal(classifyNetworkError(c, 'x').outcome, 'unknown', String(c));
		assert.equal(classifyProviderError('whatsapp', { message: 'x', networkCode: 'ECONNREFUSED' }).outcome, 'deferred');
		assert.equal(classifyProviderError('gmail', { message: 'x', networkCode: 'ECONNRESET' }).outcome, 'unknown');
	});

	it('finds network codes in fetch / axios / gaxios shaped errors', () => {
		assert.equal(
			networkCodeOf(
				Object.assign(new TypeError('fetch failed'), {
					cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
				}),
			),
			'ECONNREFUSED',
		);
		assert.equal(networkCodeOf(Object.assign(new Error('timeout of 100ms exceeded'), { code: 'ECONNABORTED' })), 'ETIMEDOUT');
		assert.equal(networkCodeOf(new Error('socket hang up')), 'ECONNRESET');
		assert.equal(networkCodeOf(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), 'ETIMEDOUT');
		assert.equal(networkCodeOf(Object.assign(new Error('request to x failed, reason: read ECONNRESET'), {})), 'ECONNRESET');
		assert.equal(networkCodeOf(new Error('something else')), undefined);
	});
});
