import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { EventsRequestError, postEventBatch } from '../../nodes/CadenceEvent/events-client';
import {
	buildEvent,
	chunks,
	propertiesFromFields,
	propertiesFromJson,
	readBatchAnswer,
	type EventFields,
	type EventInput,
} from '../../nodes/CadenceEvent/events';
import type { HttpFn, HttpRequest } from '../../nodes/shared/http';

const LEAD_ID = '5f1c0f3e-8a2b-4c1d-9e0f-123456789abc';
const fields = (f: Partial<EventFields> = {}): EventFields => ({
	identifyBy: 'email',
	identifier: 'ada@example.com',
	name: 'signup',
	...f,
});
const ok = (f: Partial<EventFields>): EventInput => {
	const b = buildEvent(fields(f));
	assert.ok(b.ok, JSON.stringify(b));
	return b.event;
};
const reason = (f: Partial<EventFields>): string => {
	const b = buildEvent(fields(f));
	assert.ok(!b.ok, `expected a validation error for ${JSON.stringify(f)}`);
	assert.equal(b.error.code, 'validation_failed');
	return b.error.message;
};

describe('Cadence Event: an item becomes an event', () => {
	it('carries exactly the chosen identifier, trimmed, with name, properties, occurredAt and key', () => {
		assert.deepEqual(ok({ identifier: ' ada@example.com ' }), { email: 'ada@example.com', name: 'signup' });
		assert.deepEqual(ok({ identifyBy: 'phone', identifier: '+14155550123' }), { phone: '+14155550123', name: 'signup' });
		assert.deepEqual(ok({ identifyBy: 'leadId', identifier: LEAD_ID }), { leadId: LEAD_ID, name: 'signup' });
		assert.deepEqual(
			ok({
				name: ' purchase ',
				properties: { plan: 'pro', cart: { total: 120 } },
				occurredAt: '2026-12-02T08:00:00+01:00',
				idempotencyKey: 'crm-123',
			}),
			{
				email: 'ada@example.com',
				name: 'purchase',
				properties: { plan: 'pro', cart: { total: 120 } },
				occurredAt: '2026-12-02T08:00:00+01:00',
				idempotencyKey: 'crm-123',
			},
		);
	});

	it('refuses what the backend would refuse, as validation_failed', () => {
		assert.match(reason({ identifier: '' }), /Email is empty/);
		assert.match(reason({ identifier: undefined }), /Email is empty/);
		assert.match(reason({ identifier: 'not an email' }), /not an email address/);
		assert.match(reason({ identifyBy: 'phone', identifier: '4155550123' }), /E\.164/);
		assert.match(reason({ identifyBy: 'phone', identifier: 14155550123 }), /E\.164/);
		assert.match(reason({ identifyBy: 'leadId', identifier: 'lead-7' }), /not a UUID/);
		assert.match(reason({ identifyBy: 'nickname' as never }), /Identify Lead By/);
		assert.match(reason({ name: '' }), /Event Name is empty/);
		assert.match(reason({ name: '-signup' }), /must start with a letter or digit/);
		assert.match(reason({ name: 'sign up' }), /must start with a letter or digit/);
		assert.match(reason({ name: 'x'.repeat(101) }), /longer than 100/);
		assert.match(reason({ properties: [1, 2] }), /JSON object/);
		assert.match(reason({ properties: 'plan=pro' }), /JSON object/);
		assert.match(reason({ properties: null }), /JSON object/);
		assert.match(reason({ occurredAt: 'yesterday' }), /not a date/);
		assert.match(reason({ occurredAt: 1764662400000 }), /not a date/);
		assert.match(reason({ idempotencyKey: 'k'.repeat(256) }), /longer than 255/);
	});

	it('accepts the edges the contract allows', () => {
		assert.equal(ok({ name: 'x'.repeat(100) }).name.length, 100);
		assert.equal(ok({ name: 'trial.ended:v2-b_c' }).name, 'trial.ended:v2-b_c');
		assert.equal(ok({ idempotencyKey: 'k'.repeat(255) }).idempotencyKey?.length, 255);
		assert.equal(ok({ idempotencyKey: '' }).idempotencyKey, undefined);
		assert.deepEqual(ok({ properties: {} }).properties, {});
	});

	it('takes dates from expressions: a Date and a Luxon DateTime become ISO 8601', () => {
		assert.equal(ok({ occurredAt: new Date('2026-12-02T08:00:00Z') }).occurredAt, '2026-12-02T08:00:00.000Z');
		const dt = DateTime.fromISO('2026-12-02T09:00:00+01:00', { setZone: true });
		assert.equal(ok({ occurredAt: dt }).occurredAt, '2026-12-02T09:00:00.000+01:00');
		assert.match(reason({ occurredAt: DateTime.fromISO('nope') }), /not a date/);
		assert.equal(ok({ occurredAt: '' }).occurredAt, undefined);
	});

	it('properties from fields: names to values, types kept, a later name wins, a nameless row refused', () => {
		assert.deepEqual(
			propertiesFromFields({
				property: [
					{ name: 'plan', value: 'pro' },
					{ name: ' total ', value: 120 },
					{ name: 'plan', value: 'team' },
					{ name: 'vip', value: true },
				],
			}),
			{ ok: true, value: { plan: 'team', total: 120, vip: true } },
		);
		assert.deepEqual(propertiesFromFields({}), { ok: true, value: {} });
		assert.deepEqual(propertiesFromFields({ property: [{ name: '', value: 'x' }] }), { ok: false, message: 'A property has no name' });
	});

	it('properties from JSON: text parsed, objects passed, blank is none, broken JSON refused', () => {
		assert.deepEqual(propertiesFromJson('{"cart": {"total": 120}}'), { ok: true, value: { cart: { total: 120 } } });
		assert.deepEqual(propertiesFromJson({ plan: 'pro' }), { ok: true, value: { plan: 'pro' } });
		assert.deepEqual(propertiesFromJson('  '), { ok: true, value: undefined });
		const broken = propertiesFromJson('{plan: pro}');
		assert.ok(!broken.ok && /not valid JSON/.test(broken.message));
		// An array parses, and buildEvent then refuses it as not an object.
		assert.deepEqual(propertiesFromJson('[1]'), { ok: true, value: [1] });
	});

	it('chunks of at most 500 (or the batch size asked), in order', () => {
		const list = Array.from({ length: 1201 }, (_, i) => i);
		assert.deepEqual(
			chunks(list, 500).map((c) => c.length),
			[500, 500, 201],
		);
		assert.deepEqual(
			chunks(list, 5000).map((c) => c.length),
			[500, 500, 201],
		);
		assert.deepEqual(
			chunks(list.slice(0, 5), 2).map((c) => c),
			[[0, 1], [2, 3], [4]],
		);
		assert.equal(chunks(list, 0).length, 3);
		assert.deepEqual(chunks([], 500), []);
	});
});

describe('Cadence Event: reading the batch answer', () => {
	const event = (n: number) => ({ id: `e${n}`, name: 'signup', leadId: LEAD_ID, enrollments: [], exits: [] });

	it('one result per event, by index (not by position in the list)', () => {
		const r = readBatchAnswer(
			{
				recorded: 1,
				duplicates: 1,
				rejected: 1,
				results: [
					{ index: 2, status: 'rejected', error: { code: 'lead_not_found', message: 'no lead' } },
					{ index: 0, status: 'recorded', event: event(0) },
					{ index: 1, status: 'duplicate', event: { ...event(1), duplicate: true } },
				],
			},
			3,
		);
		assert.deepEqual(r, [
			{ status: 'recorded', event: event(0) },
			{ status: 'duplicate', event: { ...event(1), duplicate: true } },
			{ status: 'rejected', error: { code: 'lead_not_found', message: 'no lead' } },
		]);
	});

	it('an answer off the contract says why', () => {
		assert.match(String(readBatchAnswer({}, 1)), /no results list/);
		assert.match(String(readBatchAnswer({ results: [] }, 1)), /no result for event 0/);
		assert.match(String(readBatchAnswer({ results: [{ index: 1, status: 'recorded', event: event(1) }] }, 1)), /index 1/);
		assert.match(String(readBatchAnswer({ results: [{ index: 0, status: 'recorded' }] }, 1)), /without its event or error/);
		assert.match(String(readBatchAnswer({ results: [{ index: 0, status: 'queued', event: event(0) }] }, 1)), /status "queued"/);
	});
});

describe('Cadence Event: one batch request', () => {
	const scripted =
		(answer: (req: HttpRequest) => ReturnType<HttpFn>, seen: HttpRequest[] = []): HttpFn =>
		async (req) => {
			seen.push(req);
			return answer(req);
		};
	const events: EventInput[] = [{ email: 'ada@example.com', name: 'signup' }];

	it('POSTs { events } to <base>/api/v1/events/batch with the time-out', async () => {
		const seen: HttpRequest[] = [];
		const http = scripted(
			async () => ({
				status: 200,
				headers: {},
				body: { recorded: 1, duplicates: 0, rejected: 0, results: [{ index: 0, status: 'recorded', event: { id: 'e' } }] },
			}),
			seen,
		);
		const r = await postEventBatch(http, 'http://cadence.test:3000//', events, 1234);
		assert.deepEqual(r, [{ status: 'recorded', event: { id: 'e' } }]);
		assert.deepEqual(seen, [
			{
				method: 'POST',
				url: 'http://cadence.test:3000/api/v1/events/batch',
				headers: { accept: 'application/json' },
				body: { events },
				timeoutMs: 1234,
			},
		]);
	});

	it('an error status keeps the backend code and status; no answer keeps the network code', async () => {
		const unauthorized = scripted(async () => ({
			status: 401,
			headers: {},
			body: { statusCode: 401, code: 'unauthorized', message: 'A valid API key is required' },
		}));
		await assert.rejects(postEventBatch(unauthorized, 'http://x', events, 1000), (e: EventsRequestError) => {
			assert.deepEqual({ code: e.error.code, httpStatus: e.error.httpStatus }, { code: 'unauthorized', httpStatus: 401 });
			assert.match(e.message, /answered 401 unauthorized: A valid API key is required/);
			return true;
		});
		const bare = scripted(async () => ({ status: 502, headers: {}, body: '<html>Bad Gateway</html>' }));
		await assert.rejects(postEventBatch(bare, 'http://x', events, 1000), (e: EventsRequestError) => e.error.code === 'http_502');
		const refused = scripted(async () => {
			throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
		});
		await assert.rejects(postEventBatch(refused, 'http://x', events, 1000), (e: EventsRequestError) => {
			assert.equal(e.error.code, 'ECONNREFUSED');
			assert.equal(e.error.httpStatus, undefined);
			return true;
		});
		const offContract = scripted(async () => ({ status: 200, headers: {}, body: { ok: true } }));
		await assert.rejects(postEventBatch(offContract, 'http://x', events, 1000), (e: EventsRequestError) => {
			assert.equal(e.error.code, 'invalid_answer');
			assert.match(e.message, /may be recorded/);
			return true;
		});
	});
});
