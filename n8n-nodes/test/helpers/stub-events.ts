import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';

/**
 * An in-memory double of the backend's public events API (POST /api/v1/events/batch,
 * GET /api/v1/events/names; TRIGGERS-SPEC "Events"), for tests only: an API key, a few leads,
 * idempotency keys, and campaigns that enroll on one event name and end on another.
 */
export interface StubLead {
	id: string;
	email: string;
	phone: string;
}

export interface StubCampaign {
	id: string;
	/** Enrolls a lead (once) on this event. */
	event: string;
	/** Ends the lead's active enrollment on this event. */
	exitOn?: string;
}

export interface StubEvents {
	url: string;
	apiKey: string;
	leads: StubLead[];
	campaigns: StubCampaign[];
	/** Every request as received (raw headers, parsed body). */
	requests: Array<{ method: string; path: string; headers: http.IncomingHttpHeaders; body: unknown }>;
	/** Recorded events, in order. */
	events: Array<Record<string, unknown>>;
	/** Statuses to answer the next batch requests with instead (consumed in order). */
	failNext: number[];
	close(): Promise<void>;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;

export function stubLead(n: number): StubLead {
	return { id: randomUUID(), email: `lead${n}@events.test`, phone: `+1415555${String(n).padStart(4, '0')}` };
}

export async function startStubEvents(apiKey = `cad_0123456789abcdef_${'k'.repeat(43)}`): Promise<StubEvents> {
	const byKey = new Map<string, Record<string, unknown>>();
	const enrolled = new Map<string, { id: string; active: boolean }>();

	const record = (e: Record<string, unknown>, stub: StubEvents) => {
		const given = ['leadId', 'email', 'phone'].filter((k) => e[k] !== undefined);
		if (given.length !== 1)
			return { status: 'rejected', error: { code: 'validation_failed', message: 'exactly one of leadId, email, phone' } };
		if (typeof e.name !== 'string' || e.name.length > 100 || !NAME.test(e.name))
			return { status: 'rejected', error: { code: 'validation_failed', message: 'name must match the pattern' } };
		if (e.properties !== undefined && (typeof e.properties !== 'object' || e.properties === null || Array.isArray(e.properties)))
			return { status: 'rejected', error: { code: 'validation_failed', message: 'properties must be an object' } };
		const key = typeof e.idempotencyKey === 'string' ? e.idempotencyKey : null;
		if (key && byKey.has(key)) return { status: 'duplicate', event: { ...byKey.get(key), duplicate: true, enrollments: [], exits: [] } };
		const lead = stub.leads.find((l) => l.id === e.leadId || l.email === e.email || l.phone === e.phone);
		if (!lead) return { status: 'rejected', error: { code: 'lead_not_found', message: `no lead with ${given[0]} ${String(e[given[0]])}` } };
		const event: Record<string, unknown> = {
			id: randomUUID(),
			name: e.name,
			leadId: lead.id,
			properties: e.properties ?? {},
			occurredAt: e.occurredAt ?? new Date().toISOString(),
			receivedAt: new Date().toISOString(),
			idempotencyKey: key,
			duplicate: false,
		};
		const enrollments = [];
		const exits = [];
		for (const c of stub.campaigns) {
			const slot = `${c.id}:${lead.id}`;
			if (c.event === e.name && !enrolled.has(slot)) {
				const id = randomUUID();
				enrolled.set(slot, { id, active: true });
				enrollments.push({ id, campaignId: c.id, entry: 1 });
			}
			const current = enrolled.get(slot);
			if (c.exitOn === e.name && current?.active) {
				current.active = false;
				exits.push({ id: current.id, campaignId: c.id });
			}
		}
		if (key) byKey.set(key, event);
		stub.events.push(event);
		return { status: 'recorded', event: { ...event, enrollments, exits } };
	};

	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const raw = Buffer.concat(chunks).toString('utf8');
			let body: unknown;
			try {
				body = raw ? JSON.parse(raw) : undefined;
			} catch {
				body = raw;
			}
			const path = (req.url ?? '').split('?')[0];
			stub.requests.push({ method: req.method ?? '', path, headers: req.headers, body });
			const send = (status: number, answer: unknown) => {
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(answer));
			};
			if (req.headers.authorization !== `Bearer ${stub.apiKey}`)
				return send(401, { statusCode: 401, code: 'unauthorized', message: 'A valid API key is required' });
			if (req.method === 'GET' && path === '/api/v1/events/names') {
				const names = [...new Set(stub.events.map((e) => String(e.name)))];
				return send(200, {
					items: names.map((name) => ({ name, count: stub.events.filter((e) => e.name === name).length, lastAt: null })),
				});
			}
			if (req.method === 'POST' && path === '/api/v1/events/batch') {
				const forced = stub.failNext.shift();
				if (forced)
					return send(forced, { statusCode: forced, code: forced >= 500 ? 'internal_error' : 'forced', message: `forced ${forced}` });
				const events = (body as { events?: unknown } | undefined)?.events;
				if (!Array.isArray(events) || events.length < 1 || events.length > 500)
					return send(400, { statusCode: 400, code: 'validation_failed', message: 'events must hold 1 to 500 events' });
				const results = events.map((e: Record<string, unknown>, index) => ({ index, ...record(e, stub) }));
				const count = (s: string) => results.filter((r) => r.status === s).length;
				return send(200, { recorded: count('recorded'), duplicates: count('duplicate'), rejected: count('rejected'), results });
			}
			return send(404, { statusCode: 404, code: 'not_found', message: `${req.method} ${path}` });
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const stub: StubEvents = {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		apiKey,
		leads: [],
		campaigns: [],
		requests: [],
		events: [],
		failNext: [],
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
	return stub;
}
