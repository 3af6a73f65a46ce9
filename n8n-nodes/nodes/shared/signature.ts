import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_TOLERANCE_SECONDS = 300;

export function signTrigger(secret: string, timestamp: number | string, rawBody: string | Buffer): string {
	const mac = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
	return `v1=${mac}`;
}

export type VerifyResult =
	{ ok: true } | { ok: false; reason: 'missing_headers' | 'bad_timestamp' | 'stale_timestamp' | 'bad_signature' | 'replayed' };

/**
 * Verifies `X-Cadence-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>` and
 * `X-Cadence-Timestamp` within ±300 s. `seen` (optional) refuses an exact replay of a signature
 * inside the tolerance window.
 */
export function verifyTrigger(
	secret: string,
	timestampHeader: string | undefined,
	signatureHeader: string | undefined,
	rawBody: string | Buffer,
	nowMs = Date.now(),
	seen?: ReplayCache,
	toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): VerifyResult {
	if (!timestampHeader || !signatureHeader || !secret) return { ok: false, reason: 'missing_headers' };
	if (!/^\d{1,12}$/.test(timestampHeader.trim())) return { ok: false, reason: 'bad_timestamp' };
	const ts = Number(timestampHeader.trim());
	if (Math.abs(nowMs / 1000 - ts) > toleranceSeconds) return { ok: false, reason: 'stale_timestamp' };
	const expected = Buffer.from(signTrigger(secret, ts, rawBody));
	const candidates = signatureHeader.split(',').map((s) => s.trim());
	const match = candidates.some((c) => {
		const got = Buffer.from(c);
		return got.length === expected.length && timingSafeEqual(got, expected);
	});
	if (!match) return { ok: false, reason: 'bad_signature' };
	if (seen && !seen.remember(expected.toString(), nowMs + toleranceSeconds * 2000)) return { ok: false, reason: 'replayed' };
	return { ok: true };
}

/** Signatures seen recently (per process), with expiry. */
export class ReplayCache {
	private readonly entries = new Map<string, number>();

	constructor(private readonly max = 10_000) {}

	/** false when the key is already there (a replay). */
	remember(key: string, expiresAt: number, now = Date.now()): boolean {
		if (this.entries.size > this.max / 2) for (const [k, exp] of this.entries) if (exp < now) this.entries.delete(k);
		const exp = this.entries.get(key);
		if (exp !== undefined && exp >= now) return false;
		if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value as string);
		this.entries.set(key, expiresAt);
		return true;
	}
}
