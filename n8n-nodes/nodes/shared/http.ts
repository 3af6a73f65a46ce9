/** The one HTTP shape the shared code needs; n8n wires its request helpers in, tests wire fetch. */
export interface HttpRequest {
	method: 'GET' | 'POST';
	url: string;
	headers?: Record<string, string>;
	body?: unknown;
	timeoutMs?: number;
}

export interface HttpResponse {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

/**
 * Resolves for every HTTP status; rejects only when no response arrived (network error, timeout).
 * Never follows a redirect (a 3xx is the answer): a provider URL must not carry credentials elsewhere.
 */
export type HttpFn = (req: HttpRequest) => Promise<HttpResponse>;

export function headerValue(headers: HttpResponse['headers'] | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	const lower = name.toLowerCase();
	for (const [k, v] of Object.entries(headers)) {
		if (k.toLowerCase() === lower) return Array.isArray(v) ? v[0] : v;
	}
	return undefined;
}

/** A fetch-based HttpFn (keep-alive by default in Node's fetch); used by tests and scripts. */
export const fetchHttp: HttpFn = async (req) => {
	const init: RequestInit = { method: req.method, headers: { ...(req.headers ?? {}) }, redirect: 'manual' };
	if (req.body !== undefined) {
		init.body = JSON.stringify(req.body);
		(init.headers as Record<string, string>)['content-type'] = 'application/json';
	}
	if (req.timeoutMs) init.signal = AbortSignal.timeout(req.timeoutMs);
	const res = await fetch(req.url, init);
	const text = await res.text();
	let body: unknown = text;
	try {
		body = text ? JSON.parse(text) : undefined;
	} catch {
		body = text;
	}
	return { status: res.status, headers: Object.fromEntries([...(res.headers as unknown as Iterable<[string, string]>)]), body };
};
