/**
 * Outcome classification: every provider error becomes `failed`, `deferred` or `unknown`.
 * One module, one table per provider (see the package README for the documented table).
 *
 * The rule behind every table: `deferred` only when the error PROVES nothing was accepted
 * (a refused connection, a documented "throttled / not processed" answer); `unknown` whenever
 * the request may have been accepted (reset or timeout after it was written, 5xx); `failed` for
 * a permanent refusal. `unknown` is never re-sent automatically.
 */

export type Provider = 'gmail' | 'mailgun' | 'twilio' | 'whatsapp';

/** A provider error reduced to what classification needs (channels extract it from their SDK). */
export interface ProviderError {
	/** HTTP status when a response arrived. */
	status?: number;
	/** Provider error code (Twilio 21211, WhatsApp 130429, Gmail reason `rateLimitExceeded`). */
	code?: string | number;
	message: string;
	/** Retry-After in ms when the provider announced one. */
	retryAfterMs?: number;
	/** Node/undici network error code when no response arrived (ECONNREFUSED, ECONNRESET...). */
	networkCode?: string;
}

export type Classified =
	| { outcome: 'failed'; errorCode: string; errorMessage: string; haltSender?: boolean }
	| { outcome: 'deferred'; errorCode: string; errorMessage: string; retryAfterMs: number; haltSender?: boolean }
	| { outcome: 'unknown'; errorCode: string; errorMessage: string };

/** Nothing was connected: the request cannot have reached the provider. */
export const NOT_CONNECTED_CODES = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'EADDRNOTAVAIL',
	'UND_ERR_CONNECT_TIMEOUT',
	'ERR_TLS_CERT_ALTNAME_INVALID',
	'CERT_HAS_EXPIRED',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);

/** Default wait before a deferred message is due again when the provider said nothing. */
export const DEFAULT_RETRY_AFTER_MS = 1000;
/** Token problems: retry once the backend had a chance to refresh / flag the account. */
export const TOKEN_RETRY_AFTER_MS = 60_000;

interface Rule {
	match: (e: ProviderError) => boolean;
	classify: (e: ProviderError) => Classified;
}

const code = (e: ProviderError) => (e.code === undefined ? undefined : String(e.code));
const msg = (e: ProviderError) => e.message || 'provider error';
const deferred = (e: ProviderError, errorCode?: string, fallbackMs = DEFAULT_RETRY_AFTER_MS): Classified => ({
	outcome: 'deferred',
	errorCode: errorCode ?? code(e) ?? String(e.status ?? 'deferred'),
	errorMessage: msg(e),
	retryAfterMs: e.retryAfterMs ?? fallbackMs,
});
const failed = (e: ProviderError, errorCode?: string): Classified => ({
	outcome: 'failed',
	errorCode: errorCode ?? code(e) ?? String(e.status ?? 'failed'),
	errorMessage: msg(e),
});
const unknown = (e: ProviderError, errorCode?: string): Classified => ({
	outcome: 'unknown',
	errorCode: errorCode ?? code(e) ?? String(e.status ?? 'unknown'),
	errorMessage: msg(e),
});
const tokenInvalid = (e: ProviderError): Classified => ({
	outcome: 'failed',
	errorCode: 'token_invalid',
	errorMessage: msg(e),
	haltSender: true,
});
const is5xx = (e: ProviderError) => e.status !== undefined && e.status >= 500;
const status =
	(...s: number[]) =>
	(e: ProviderError) =>
		e.status !== undefined && s.includes(e.status);
const codes =
	(...c: Array<string | number>) =>
	(e: ProviderError) =>
		e.code !== undefined && c.map(String).includes(String(e.code));

export const PROVIDER_RULES: Record<Provider, Rule[]> = {
	twilio: [
		{ match: (e) => e.status === 429 || codes('20429', '14107')(e), classify: (e) => deferred(e, code(e) ?? '20429') },
		{ match: (e) => e.status === 401 || codes('20003', '20005')(e), classify: tokenInvalid },
		{ match: is5xx, classify: (e) => unknown(e) },
		{ match: (e) => e.status !== undefined && e.status >= 400, classify: (e) => failed(e) },
	],
	mailgun: [
		{ match: status(429), classify: (e) => deferred(e, '429') },
		{ match: status(401, 403), classify: tokenInvalid },
		{ match: is5xx, classify: (e) => unknown(e, String(e.status)) },
		{ match: (e) => e.status !== undefined && e.status >= 400, classify: (e) => failed(e, String(e.status)) },
	],
	whatsapp: [
		// Throughput (130429), pair rate (131056), spam rate (131048), WABA / app rate limits (80007, 4, 613):
		// documented as "message not sent" -> safe to retry later.
		{
			match: codes('130429', '131056', '131048', '80007', '4', '613'),
			classify: (e) => deferred(e, code(e), codes('131056')(e) ? 6000 : DEFAULT_RETRY_AFTER_MS),
		},
		{ match: (e) => e.status === 429, classify: (e) => deferred(e, code(e) ?? '429') },
		{ match: (e) => codes('190')(e) || e.status === 401, classify: tokenInvalid },
		{ match: is5xx, classify: (e) => unknown(e) },
		{ match: (e) => e.status !== undefined && e.status >= 400, classify: (e) => failed(e) },
	],
	gmail: [
		{
			match: (e) => e.status === 429 || codes('rateLimitExceeded', 'userRateLimitExceeded')(e),
			classify: (e) => deferred(e, code(e) ?? 'rateLimitExceeded'),
		},
		// Daily cap: not sent; due again when Google says (Retry-After), else in an hour.
		{
			match: codes('dailyLimitExceeded', 'quotaExceeded'),
			classify: (e) => ({
				outcome: 'deferred',
				errorCode: code(e) ?? 'dailyLimitExceeded',
				errorMessage: msg(e),
				retryAfterMs: e.retryAfterMs ?? 3_600_000,
				haltSender: true,
			}),
		},
		{ match: (e) => e.status === 401, classify: tokenInvalid },
		{
			match: codes('insufficientPermissions'),
			classify: (e) => ({ outcome: 'failed', errorCode: 'insufficient_scope', errorMessage: msg(e), haltSender: true }),
		},
		{ match: is5xx, classify: (e) => unknown(e, code(e) ?? String(e.status)) },
		{ match: (e) => e.status !== undefined && e.status >= 400, classify: (e) => failed(e, code(e) ?? String(e.status)) },
	],
};

/** Classifies a provider error; network errors without a response use the shared rule. */
export function classifyProviderError(provider: Provider, e: ProviderError): Classified {
	if (e.status === undefined) return classifyNetworkError(e.networkCode, e.message);
	for (const rule of PROVIDER_RULES[provider]) if (rule.match(e)) return rule.classify(e);
	// 1xx/3xx or anything unexpected after a response: the request was processed somehow.
	return unknown(e, String(e.status));
}

/** No response: refused/unresolvable before connecting -> deferred; anything else -> unknown. */
export function classifyNetworkError(networkCode: string | undefined, message: string): Classified {
	const c = networkCode ?? 'ENETWORK';
	if (NOT_CONNECTED_CODES.has(c)) return { outcome: 'deferred', errorCode: c, errorMessage: message, retryAfterMs: DEFAULT_RETRY_AFTER_MS };
	return { outcome: 'unknown', errorCode: c, errorMessage: message };
}

const KNOWN_NETWORK =
	/\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ECONNRESET|EPIPE|ETIMEDOUT|ECONNABORTED|ESOCKETTIMEDOUT|UND_ERR_[A-Z_]+)\b/;

/**
 * Finds the network error code in an error and its causes (fetch wraps it in `cause`, axios
 * and gaxios put it on `code`). Timeouts and aborts map to ETIMEDOUT, "socket hang up" to
 * ECONNRESET.
 */
export function networkCodeOf(err: unknown): string | undefined {
	let cur: unknown = err;
	for (let depth = 0; cur && depth < 6; depth++) {
		const e = cur as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
		const c = typeof e.code === 'string' ? e.code : undefined;
		if (c && (NOT_CONNECTED_CODES.has(c) || /^E[A-Z_]+$/.test(c) || c.startsWith('UND_ERR'))) {
			return c === 'ECONNABORTED' || c === 'ESOCKETTIMEDOUT' || c === 'UND_ERR_HEADERS_TIMEOUT' || c === 'UND_ERR_BODY_TIMEOUT'
				? 'ETIMEDOUT'
				: c;
		}
		if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'ETIMEDOUT';
		const m = typeof e.message === 'string' ? e.message : '';
		const found = KNOWN_NETWORK.exec(m)?.[1];
		if (found) return found === 'ECONNABORTED' ? 'ETIMEDOUT' : found;
		if (/socket hang up/i.test(m)) return 'ECONNRESET';
		if (/timeout|timed out/i.test(m)) return 'ETIMEDOUT';
		if (Array.isArray(e.errors) && e.errors.length > 0) cur = e.errors[0];
		else cur = e.cause;
	}
	return undefined;
}
