import { networkCodeOf } from '../shared/outcome';
import type { HttpFn } from '../shared/http';
import { readBatchAnswer, type EventError, type EventInput, type ItemResult } from './events';

/** The whole request failed: no answer (network, time-out), an error status, or an answer off contract. */
export class EventsRequestError extends Error {
	constructor(
		readonly error: EventError,
		readonly body?: unknown,
	) {
		super(error.message);
		this.name = 'EventsRequestError';
	}
}

/**
 * One POST /api/v1/events/batch; the HttpFn authenticates it (n8n's httpRequestWithAuthentication
 * with the cadencePublicApi credential). No retry here: a request that timed out may have been
 * recorded, and only the events' own idempotency keys make sending it again harmless (n8n's
 * Retry On Fail does that with the same keys).
 */
export async function postEventBatch(http: HttpFn, baseUrl: string, events: EventInput[], timeoutMs: number): Promise<ItemResult[]> {
	const url = `${baseUrl.replace(/\/+$/, '')}/api/v1/events/batch`;
	const res = await http({ method: 'POST', url, headers: { accept: 'application/json' }, body: { events }, timeoutMs }).catch(
		(err: unknown) => err as Error,
	);
	if (res instanceof Error) {
		const code = networkCodeOf(res) ?? 'ENETWORK';
		throw new EventsRequestError({ code, message: `POST ${url} got no answer (${code}): ${res.message}` });
	}
	if (res.status < 200 || res.status >= 300) {
		const b = res.body as { code?: unknown; message?: unknown } | undefined;
		const code = typeof b?.code === 'string' ? b.code : `http_${res.status}`;
		const message = typeof b?.message === 'string' ? b.message : typeof res.body === 'string' ? res.body.slice(0, 300) : '';
		throw new EventsRequestError(
			{ code, message: `POST ${url} answered ${res.status} ${code}${message ? `: ${message}` : ''}`, httpStatus: res.status },
			res.body,
		);
	}
	const results = readBatchAnswer(res.body, events.length);
	if (typeof results === 'string')
		throw new EventsRequestError(
			{
				code: 'invalid_answer',
				message: `POST ${url} answered ${res.status} but not as the contract says (${results}); the events may be recorded`,
				httpStatus: res.status,
			},
			res.body,
		);
	return results;
}
