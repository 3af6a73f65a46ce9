import { AsyncLocalStorage } from 'node:async_hooks';
import BaseTwilio from 'twilio/lib/base/BaseTwilio';
import RequestClient from 'twilio/lib/base/RequestClient';
import type Response from 'twilio/lib/http/response';
import Api from 'twilio/lib/rest/Api';
import { Agent } from 'undici';
import { headerValue } from '../../shared/http';
import { networkCodeOf, type ProviderError } from '../../shared/outcome';
import type { Sender } from '../../shared/types';
import { str } from './driver';

const currentMessage = new AsyncLocalStorage<string>();

/** Runs one SDK call with `X-Cadence-Message-Id` on its request (Twilio ignores unknown headers). */
export function forMessage<T>(messageId: string, call: () => Promise<T>): Promise<T> {
	return currentMessage.run(messageId, call);
}

/**
 * One connection pool per origin for every Twilio call of this n8n process, kept alive between calls.
 * undici rather than node:http: a message is one HTTP call, and undici spent 38-57 µs of CPU a call
 * where node:http's keep-alive agent spent 67-109 (64 in flight against a local server, 2026-12-04),
 * the largest single cost of an SMS in n8n. It never follows a redirect (a 3xx is the answer). A Twilio
 * answer is a few KB: 1 MB bounds what a misbehaving endpoint can make n8n hold.
 */
const dispatcher = new Agent({ keepAliveTimeout: 30_000, maxResponseSize: 1024 * 1024 });

/** Twilio's form encoding: arrays repeat their key (`MediaUrl=a&MediaUrl=b`), as the SDK's qs call does. */
function formEncode(data: object): string {
	const form = new URLSearchParams();
	for (const [key, value] of Object.entries(data)) {
		if (value === undefined) continue;
		for (const v of Array.isArray(value) ? value : [value]) form.append(key, String(v));
	}
	return form.toString();
}

/**
 * The official SDK with its transport replaced: the SDK builds and parses every call (parameters,
 * errors, resources), and this client carries it over undici with keep-alive instead of axios,
 * which cost more CPU per message than everything else in Send Message. Also: requests go to
 * `config.baseUrl` when set (the sandbox or a regional edge), and a 429's Retry-After is kept (the
 * SDK's RestException drops headers).
 */
class CadenceRequestClient extends RequestClient {
	constructor(
		private readonly baseUrl: string | undefined,
		private readonly timeoutMs: number,
	) {
		super({ timeout: timeoutMs, keepAlive: true, autoRetry: false });
	}

	override async request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<Response<TData>> {
		const url = new URL(this.baseUrl ? opts.uri.replace(/^https:\/\/[^/]+/, this.baseUrl.replace(/\/+$/, '')) : opts.uri);
		if (opts.params) url.search = formEncode(opts.params);
		const headers: Record<string, string> = { ...((opts.headers as Record<string, string>) ?? {}) };
		const messageId = currentMessage.getStore();
		if (messageId) headers['X-Cadence-Message-Id'] = messageId;
		if (opts.username && opts.password)
			headers.Authorization = `Basic ${Buffer.from(`${opts.username}:${opts.password}`).toString('base64')}`;
		else if (opts.authStrategy) headers.Authorization = await opts.authStrategy.getAuthString();
		let body: string | undefined;
		if (opts.data && headers['Content-Type'] === 'application/x-www-form-urlencoded') body = formEncode(opts.data);
		else if (opts.data && headers['Content-Type'] === 'application/json') body = JSON.stringify(opts.data);
		if (body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(body));
		const res = await send(url, opts.method.toUpperCase(), headers, body, opts.timeout ?? this.timeoutMs);
		const retryAfter = res.headers['retry-after'];
		if (res.statusCode >= 400 && retryAfter !== undefined && res.body && typeof res.body === 'object') {
			(res.body as Record<string, unknown>).details = { ...((res.body as Record<string, unknown>).details ?? {}), retryAfter };
		}
		return res as Response<TData>;
	}
}

async function send(url: URL, method: string, headers: Record<string, string>, body: string | undefined, timeoutMs: number) {
	// headersTimeout / bodyTimeout: no answer, or a stalled one, for timeoutMs (node:http's socket timeout did the same).
	const res = await dispatcher.request({
		origin: url.origin,
		path: `${url.pathname}${url.search}`,
		method,
		headers,
		body,
		headersTimeout: timeoutMs,
		bodyTimeout: timeoutMs,
	});
	const text = await res.body.text();
	let parsed: unknown = text;
	if (/json/i.test(headerValue(res.headers, 'content-type') ?? '')) {
		try {
			parsed = JSON.parse(text);
		} catch {
			parsed = text;
		}
	}
	return { statusCode: res.statusCode, body: parsed, headers: res.headers as Record<string, string | string[] | undefined> };
}

/**
 * The official SDK's client with only the Api domain (Messages, Calls): `twilio()` itself pulls
 * every Twilio product into the bundle (5 MB); this is the same code path the SDK uses.
 */
export class TwilioApiClient extends BaseTwilio.Client {
	private apiDomain?: Api;

	get api(): Api {
		return (this.apiDomain ??= new Api(this));
	}
}

export function twilioClient(sender: Sender, timeoutMs: number): TwilioApiClient {
	const sid = str(sender.config.accountSid) ?? '';
	const token = str(sender.secrets.authToken) ?? '';
	return new TwilioApiClient(sid, token, { httpClient: new CadenceRequestClient(str(sender.config.baseUrl), timeoutMs), autoRetry: false });
}

export function twilioProviderError(err: unknown): ProviderError {
	const e = err as { status?: number; code?: number | string; message?: string; details?: { retryAfter?: string } };
	if (typeof e?.status === 'number') {
		const ra = e.details?.retryAfter !== undefined ? Number(e.details.retryAfter) : undefined;
		return {
			status: e.status,
			...(e.code !== undefined ? { code: e.code } : {}),
			message: e.message ?? `HTTP ${e.status}`,
			...(ra !== undefined && Number.isFinite(ra) ? { retryAfterMs: ra * 1000 } : {}),
		};
	}
	return { message: (err as Error)?.message ?? String(err), networkCode: networkCodeOf(err) ?? 'ENETWORK' };
}
