import { AsyncLocalStorage } from 'node:async_hooks';
import BaseTwilio from 'twilio/lib/base/BaseTwilio';
import RequestClient from 'twilio/lib/base/RequestClient';
import Api from 'twilio/lib/rest/Api';
import { networkCodeOf, type ProviderError } from '../../shared/outcome';
import type { Sender } from '../../shared/types';
import { str } from './driver';

const currentMessage = new AsyncLocalStorage<string>();

/** Runs one SDK call with `X-Cadence-Message-Id` on its request (Twilio ignores unknown headers). */
export function forMessage<T>(messageId: string, call: () => Promise<T>): Promise<T> {
	return currentMessage.run(messageId, call);
}

/**
 * The official SDK with two changes: requests go to `config.baseUrl` when set (the sandbox or a
 * regional edge), and a 429's Retry-After is kept (the SDK's RestException drops headers).
 */
class CadenceRequestClient extends RequestClient {
	constructor(
		private readonly baseUrl: string | undefined,
		timeoutMs: number,
	) {
		super({ timeout: timeoutMs, keepAlive: true, autoRetry: false });
	}

	override async request<TData>(opts: Parameters<RequestClient['request']>[0] & { data?: TData }) {
		const uri = this.baseUrl ? opts.uri.replace(/^https:\/\/[^/]+/, this.baseUrl.replace(/\/+$/, '')) : opts.uri;
		const messageId = currentMessage.getStore();
		const headers = messageId ? { ...(opts.headers ?? {}), 'X-Cadence-Message-Id': messageId } : opts.headers;
		const res = await super.request({ ...opts, uri, ...(headers ? { headers } : {}) });
		const retryAfter = (res.headers as Record<string, string> | undefined)?.['retry-after'];
		if (res.statusCode >= 400 && retryAfter !== undefined) {
			try {
				const body = (typeof res.body === 'string' ? JSON.parse(res.body) : res.body) as Record<string, unknown>;
				body.details = { ...((body.details as object) ?? {}), retryAfter };
				return { ...res, body: body as TData };
			} catch {
				return res;
			}
		}
		return res;
	}
}

/**
 * The official SDK's client with only the Api domain (Messages, Calls): `twilio()` itself pulls
 * every Twilio product into the bundle (5 MB); this is the same code path the SDK uses.
 */
export class TwilioApiClient extends BaseTwilio.Client {
	private apiDomain?: Api;

	get api(): Api {
		return (this.apiDomain ??= new Api(this as never));
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
