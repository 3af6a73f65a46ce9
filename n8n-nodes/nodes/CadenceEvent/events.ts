/**
 * Events as the public API takes them (POST /api/v1/events/batch, docs: TRIGGERS-SPEC "Events"):
 * building one from an item's parameters, the cheap checks done here, and reading the batch answer.
 * Plain TypeScript (no n8n context), shared with the tests.
 */

/** The backend's pattern for an event name (1..100 characters). */
export const EVENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;
export const EVENT_NAME_MAX = 100;
export const IDEMPOTENCY_KEY_MAX = 255;
/** Events per POST /events/batch. */
export const MAX_BATCH = 500;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const E164 = /^\+[1-9]\d{1,14}$/;
const EMAILISH = /^[^\s@]+@[^\s@]+$/;

export type IdentifyBy = 'leadId' | 'email' | 'phone';

/** One event of the request body: exactly one of leadId, email, phone. */
export interface EventInput {
	leadId?: string;
	email?: string;
	phone?: string;
	name: string;
	properties?: Record<string, unknown>;
	occurredAt?: string;
	idempotencyKey?: string;
}

export interface EventError {
	code: string;
	message: string;
	/** HTTP status when the whole request failed with an answer. */
	httpStatus?: number;
}

/** What the node outputs for an item. `failed`: the request of its chunk failed (continue on fail). */
export type ItemResult =
	{ status: 'recorded' | 'duplicate'; event: Record<string, unknown> } | { status: 'rejected' | 'failed'; error: EventError };

export type Built = { ok: true; event: EventInput } | { ok: false; error: EventError };

/** An item's parameter values, as read (expressions resolved, nothing checked yet). */
export interface EventFields {
	identifyBy: IdentifyBy;
	identifier: unknown;
	name: unknown;
	/** Parsed already (propertiesFromFields / propertiesFromJson); undefined: none. */
	properties?: unknown;
	occurredAt?: unknown;
	idempotencyKey?: unknown;
}

export const invalid = (message: string): Built => ({ ok: false, error: { code: 'validation_failed', message } });
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
	typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');

/**
 * Checks what is cheap and certain here (the backend checks everything again): one non-empty
 * identifier of the chosen kind in its shape, the name's pattern and length, properties being an
 * object, a readable date, the key's length. Size and depth of properties and how far ahead
 * occurredAt may be are left to the backend, whose rules and clock decide.
 */
export function buildEvent(f: EventFields): Built {
	const id = text(f.identifier);
	const label = { leadId: 'Lead ID', email: 'Email', phone: 'Phone' }[f.identifyBy];
	if (!label) return invalid(`Identify Lead By must be leadId, email or phone, not "${String(f.identifyBy)}"`);
	if (!id) return invalid(`${label} is empty: the item names no lead`);
	if (f.identifyBy === 'leadId' && !UUID.test(id)) return invalid(`Lead ID "${id}" is not a UUID`);
	if (f.identifyBy === 'email' && !EMAILISH.test(id)) return invalid(`Email "${id}" is not an email address`);
	if (f.identifyBy === 'phone' && !E164.test(id)) return invalid(`Phone "${id}" is not in E.164 form (+14155550123)`);

	const name = text(f.name);
	if (!name) return invalid('Event Name is empty');
	if (name.length > EVENT_NAME_MAX) return invalid(`Event Name is longer than ${EVENT_NAME_MAX} characters`);
	if (!EVENT_NAME.test(name))
		return invalid(`Event Name "${name}" must start with a letter or digit and hold only letters, digits and _ . : -`);

	const event: EventInput = { [f.identifyBy]: id, name };
	if (f.properties !== undefined) {
		if (!isPlainObject(f.properties)) return invalid('Properties must be a JSON object');
		event.properties = f.properties;
	}

	const occurredAt = dateText(f.occurredAt);
	if (occurredAt === null) return invalid(`Occurred At "${String(f.occurredAt)}" is not a date (ISO 8601, e.g. 2026-12-02T08:00:00Z)`);
	if (occurredAt) event.occurredAt = occurredAt;

	const key = text(f.idempotencyKey);
	if (key.length > IDEMPOTENCY_KEY_MAX) return invalid(`Idempotency Key is longer than ${IDEMPOTENCY_KEY_MAX} characters`);
	if (key) event.idempotencyKey = key;
	return { ok: true, event };
}

/** '' when not given, null when unreadable. Strings pass unchanged (the backend reads their offset). */
function dateText(v: unknown): string | null {
	if (v === undefined || v === null || v === '') return '';
	if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
	// A Luxon DateTime ($now, DateTime.fromISO(...)) from an expression.
	const luxon = v as { isValid?: boolean; toISO?: () => string | null };
	if (typeof luxon.toISO === 'function') return luxon.isValid === false ? null : (luxon.toISO() ?? null);
	if (typeof v !== 'string') return null;
	const s = v.trim();
	return Number.isNaN(Date.parse(s)) ? null : s;
}

export type Parsed = { ok: true; value: unknown } | { ok: false; message: string };

/** "Using Fields Below": `{ property: [{ name, value }] }` -> an object (a later name wins). */
export function propertiesFromFields(ui: unknown): Parsed {
	const rows = (ui as { property?: Array<{ name?: unknown; value?: unknown }> } | undefined)?.property ?? [];
	const value: Record<string, unknown> = {};
	for (const row of rows) {
		const name = text(row.name);
		if (!name) return { ok: false, message: 'A property has no name' };
		value[name] = row.value ?? null;
	}
	return { ok: true, value };
}

/** "Using JSON": a JSON text, or an object an expression produced; blank means no properties. */
export function propertiesFromJson(raw: unknown): Parsed {
	if (typeof raw !== 'string') return { ok: true, value: raw ?? undefined };
	if (raw.trim() === '') return { ok: true, value: undefined };
	try {
		return { ok: true, value: JSON.parse(raw) as unknown };
	} catch (err) {
		return { ok: false, message: `Properties is not valid JSON: ${(err as Error).message}` };
	}
}

/** The list cut into runs of at most `size` (1..MAX_BATCH). */
export function chunks<T>(list: T[], size: number): T[][] {
	const n = Math.max(1, Math.min(MAX_BATCH, Math.floor(size) || MAX_BATCH));
	const out: T[][] = [];
	for (let i = 0; i < list.length; i += n) out.push(list.slice(i, i + n));
	return out;
}

export interface BatchAnswer {
	recorded: number;
	duplicates: number;
	rejected: number;
	results: Array<{ index: number; status: string; event?: Record<string, unknown>; error?: { code?: string; message?: string } }>;
}

/**
 * Per-event results of one batch, in request order, or a message saying why the answer is not the
 * one the contract promises (then nothing about the chunk can be told item by item).
 */
export function readBatchAnswer(body: unknown, count: number): ItemResult[] | string {
	const results = (body as Partial<BatchAnswer> | undefined)?.results;
	if (!Array.isArray(results)) return 'the answer has no results list';
	const out: Array<ItemResult | undefined> = new Array<ItemResult | undefined>(count).fill(undefined);
	for (const r of results) {
		if (!Number.isInteger(r?.index) || r.index < 0 || r.index >= count) return `a result has index ${String(r?.index)} (events: ${count})`;
		if ((r.status === 'recorded' || r.status === 'duplicate') && isPlainObject(r.event))
			out[r.index] = { status: r.status, event: r.event };
		else if (r.status === 'rejected' && r.error)
			out[r.index] = {
				status: 'rejected',
				error: { code: String(r.error.code ?? 'rejected'), message: String(r.error.message ?? '') },
			};
		else return `result ${r.index} has status "${String(r.status)}" without its event or error`;
	}
	const missing = out.findIndex((r) => r === undefined);
	if (missing >= 0) return `no result for event ${missing}`;
	return out as ItemResult[];
}
