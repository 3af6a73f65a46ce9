import { LeaseResponseSchema, parseContract, type SendingAnswer } from '@cadence/contracts';
import { createHash } from 'node:crypto';
import { headerValue, type HttpFn, type HttpResponse } from './http';
import { networkCodeOf } from './outcome';
import { backoffMs } from './pacing';
import { parseRetryAfter, realClock, type Clock } from './time';
import type { LeaseResponse, ReportResult } from './types';

export interface BackendConfig {
	baseUrl: string;
	apiKey: string;
	timeoutMs?: number;
}

export class BackendError extends Error {
	constructor(
		message: string,
		readonly status?: number,
		readonly body?: unknown,
		readonly networkCode?: string,
	) {
		super(message);
		this.name = 'BackendError';
	}
}

export type { SendingAnswer };

/** `<leaseId>:<sha256 of the sorted message ids, 32 hex>`: same batch -> same key. */
export function reportIdempotencyKey(leaseId: string, messageIds: string[]): string {
	const digest = createHash('sha256')
		.update([...messageIds].sort().join('\n'))
		.digest('hex')
		.slice(0, 32);
	return `${leaseId}:${digest}`;
}

/** The backend's /internal/v1 API (docs/internal-api.md). */
export class BackendClient {
	private readonly base: string;

	constructor(
		private readonly config: BackendConfig,
		private readonly http: HttpFn,
		private readonly clock: Clock = realClock,
	) {
		this.base = config.baseUrl.replace(/\/+$/, '');
	}

	private async call(method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResponse> {
		try {
			return await this.http({
				method,
				url: `${this.base}/internal/v1${path}`,
				headers: { authorization: `Bearer ${this.config.apiKey}`, accept: 'application/json', ...headers },
				...(body !== undefined ? { body } : {}),
				timeoutMs: this.config.timeoutMs ?? 30_000,
			});
		} catch (err) {
			const code = networkCodeOf(err);
			throw new BackendError(`backend ${method} ${path} failed: ${(err as Error).message}`, undefined, undefined, code ?? 'ENETWORK');
		}
	}

	private expectOk<T>(res: HttpResponse, what: string): T {
		if (res.status >= 200 && res.status < 300) return res.body as T;
		const b = res.body as { message?: string; code?: string } | undefined;
		throw new BackendError(
			`${what}: backend answered ${res.status}${b?.code ? ` ${b.code}` : ''}${b?.message ? `: ${b.message}` : ''}`,
			res.status,
			res.body,
		);
	}

	async ping(): Promise<unknown> {
		return this.expectOk(await this.call('GET', '/ping'), 'ping');
	}

	async getRun(runId: string): Promise<Record<string, unknown>> {
		return this.expectOk(await this.call('GET', `/runs/${encodeURIComponent(runId)}`), 'get run');
	}

	/** This execution stops leasing while work may remain: the backend starts the next run at once. */
	async handoff(runId: string, reason: string): Promise<void> {
		this.expectOk(await this.call('POST', `/runs/${encodeURIComponent(runId)}/handoff`, { reason }), 'handoff');
	}

	async lease(runId: string, max?: number): Promise<LeaseResponse> {
		const res = await this.call('POST', `/runs/${encodeURIComponent(runId)}/lease`, max ? { max } : {});
		const body = this.expectOk<unknown>(res, 'lease');
		// Once per lease (not per message): a backend speaking another contract stops here, not mid-send.
		const checked = parseContract(LeaseResponseSchema, body);
		if (!checked.ok)
			throw new BackendError(`lease: the backend's answer does not match the contract: ${checked.message}`, res.status, body);
		return body as LeaseResponse;
	}

	async sending(runId: string, leaseId: string, messageIds: string[]): Promise<SendingAnswer> {
		const res = await this.call('POST', `/runs/${encodeURIComponent(runId)}/sending`, { leaseId, messageIds });
		const body = this.expectOk<Partial<SendingAnswer>>(res, 'mark sending');
		return { accepted: body.accepted ?? [], rejected: body.rejected ?? [] };
	}

	/**
	 * One report per batch. Idempotent by key, so network errors, 5xx and 429 are retried with
	 * backoff (Retry-After honoured) up to `attempts`; other 4xx are thrown at once.
	 */
	async reportResults(
		runId: string,
		leaseId: string,
		results: ReportResult[],
		attempts = 6,
	): Promise<{ applied: number; ignored: number; idempotencyKey: string; attempts: number }> {
		const idempotencyKey = reportIdempotencyKey(
			leaseId,
			results.map((r) => r.messageId),
		);
		let lastError: BackendError | undefined;
		for (let attempt = 0; attempt < attempts; attempt++) {
			let retryAfter: number | undefined;
			try {
				const res = await this.call(
					'POST',
					`/runs/${encodeURIComponent(runId)}/results`,
					{ leaseId, results },
					{ 'idempotency-key': idempotencyKey },
				);
				if (res.status < 500 && res.status !== 429) {
					const body = this.expectOk<{ applied?: number; ignored?: number }>(res, 'report results');
					return { applied: body.applied ?? 0, ignored: body.ignored ?? 0, idempotencyKey, attempts: attempt + 1 };
				}
				retryAfter = parseRetryAfter(headerValue(res.headers, 'retry-after'));
				lastError = new BackendError(`report results: backend answered ${res.status}`, res.status, res.body);
			} catch (err) {
				if (!(err instanceof BackendError) || err.status !== undefined) throw err;
				lastError = err;
			}
			if (attempt < attempts - 1) await this.clock.sleep(backoffMs(attempt, retryAfter, 250, 8000));
		}
		throw lastError ?? new BackendError('report results failed');
	}
}
