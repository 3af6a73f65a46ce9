import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { Channel, LeaseMessage, ReportResult, Sender } from '../../nodes/shared/types';

/** An in-memory double of the backend's /internal/v1 (docs/internal-api.md), for tests only. */
export interface StubMessage extends LeaseMessage {
	status: 'queued' | 'leased' | 'sending' | 'sent' | 'failed' | 'unknown' | 'skipped';
	dueAt: number;
	leaseId?: string;
	leaseExpiresAt?: number;
	outcomes: ReportResult[];
	providerMessageId?: string;
}

export interface StubRun {
	runId: string;
	sender: Sender;
	ratePerSecond: number;
	concurrency: number;
	batchSize: number;
	messages: StubMessage[];
	/** Quota ledger: the next free slot of the sender. */
	nextSlotAt: number;
}

export interface StubBackend {
	url: string;
	apiKey: string;
	runs: Map<string, StubRun>;
	requests: Array<{ method: string; path: string; headers: http.IncomingHttpHeaders; body: unknown }>;
	/** Status codes to answer next for a path suffix (`results`, `sending`, `lease`), consumed in order. */
	failNext: Map<string, number[]>;
	/** Drop the connection after the backend applied the request (simulates a lost answer). */
	dropAfterApply: Map<string, number>;
	leaseTtlMs: number;
	/** Runs whose execution stopped leasing with work possibly left (iteration limit, long quota wait). */
	handoffs: Array<{ runId: string; reason: string }>;
	addRun(run: Partial<Omit<StubRun, "messages">> & { sender: Sender; messages: Array<Omit<LeaseMessage, "messageId"> & { messageId?: string }> }): StubRun;
	message(id: string): StubMessage | undefined;
	close(): Promise<void>;
}

export function lead(i: number, extra: Partial<LeaseMessage['lead']> = {}): LeaseMessage['lead'] {
	return { id: randomUUID(), email: `lead${i}@example.com`, phone: `+1555700${String(i).padStart(4, '0')}`, firstName: `Lead${i}`, lastName: null, timezone: null, attributes: {}, ...extra };
}

export function message(channel: Channel, template: LeaseMessage['template'], l: LeaseMessage['lead'], extra: Partial<LeaseMessage> = {}): Omit<LeaseMessage, 'messageId'> & { messageId?: string } {
	return { channel, template, lead: l, tracking: null, callbacks: null, threading: null, ...extra };
}

export async function startStubBackend(apiKey = 'internal-token'): Promise<StubBackend> {
	const idem = new Map<string, unknown>();
	const stub: StubBackend = {
		url: '',
		apiKey,
		runs: new Map(),
		requests: [],
		failNext: new Map(),
		dropAfterApply: new Map(),
		leaseTtlMs: 60_000,
		handoffs: [],
		addRun(input) {
			const run: StubRun = {
				runId: input.runId ?? randomUUID(),
				sender: input.sender,
				ratePerSecond: input.ratePerSecond ?? 50,
				concurrency: input.concurrency ?? 4,
				batchSize: input.batchSize ?? 100,
				nextSlotAt: 0,
				messages: input.messages.map((m) => ({ ...m, messageId: m.messageId ?? randomUUID(), status: 'queued', dueAt: 0, outcomes: [] }) as StubMessage),
			};
			stub.runs.set(run.runId, run);
			return run;
		},
		message(id) {
			for (const r of stub.runs.values()) {
				const m = r.messages.find((x) => x.messageId === id);
				if (m) return m;
			}
			return undefined;
		},
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};

	const expire = (run: StubRun, now: number) => {
		for (const m of run.messages) {
			if ((m.status === 'leased' || m.status === 'sending') && (m.leaseExpiresAt ?? 0) < now) {
				m.status = m.status === 'leased' ? 'queued' : 'unknown';
				delete m.leaseId;
			}
		}
	};

	const handle = (method: string, path: string, body: Record<string, unknown>, headers: http.IncomingHttpHeaders): [number, unknown] => {
		if (headers.authorization !== `Bearer ${apiKey}`) return [401, { statusCode: 401, code: 'unauthorized', message: 'bad token' }];
		if (method === 'GET' && path === '/internal/v1/ping') return [200, { ok: true, version: 'stub' }];
		const m = /^\/internal\/v1\/runs\/([^/]+)(?:\/(lease|sending|results|handoff))?$/.exec(path);
		const run = m ? stub.runs.get(decodeURIComponent(m[1]!)) : undefined;
		if (!m || !run) return [404, { statusCode: 404, code: 'not_found', message: path }];
		const now = Date.now();
		expire(run, now);
		const action = m[2];
		if (!action && method === 'GET') {
			const counts: Record<string, number> = {};
			for (const x of run.messages) counts[x.status] = (counts[x.status] ?? 0) + 1;
			return [200, { runId: run.runId, status: 'running', counts }];
		}
		if (action === 'lease') {
			const max = Math.min(Number(body.max ?? run.batchSize) || run.batchSize, run.batchSize);
			const queued = run.messages.filter((x) => x.status === 'queued');
			const due = queued.filter((x) => x.dueAt <= now).slice(0, max);
			if (due.length === 0) {
				if (queued.length === 0) return [200, { leaseId: null, done: true, retryAfterMs: 0, items: [] }];
				const next = Math.min(...queued.map((x) => x.dueAt));
				return [200, { leaseId: null, done: false, retryAfterMs: Math.max(50, next - now), items: [] }];
			}
			const leaseId = randomUUID();
			const intervalMs = Math.round(1000 / run.ratePerSecond);
			const start = Math.max(now, run.nextSlotAt);
			run.nextSlotAt = start + due.length * intervalMs;
			const leaseExpiresAt = now + stub.leaseTtlMs + (run.nextSlotAt - now);
			for (const x of due) {
				x.status = 'leased';
				x.leaseId = leaseId;
				x.leaseExpiresAt = leaseExpiresAt;
			}
			return [200, {
				leaseId,
				leaseExpiresAt: new Date(leaseExpiresAt).toISOString(),
				done: false,
				retryAfterMs: 0,
				grant: { count: due.length, startInMs: start - now, intervalMs, ratePerSecond: run.ratePerSecond, concurrency: run.concurrency },
				sender: run.sender,
				items: due.map(({ messageId, channel, lead: l, template, tracking, callbacks, threading }) => ({ messageId, channel, lead: l, template, tracking, callbacks, threading })),
			}];
		}
		if (action === 'handoff') {
			stub.handoffs.push({ runId: run.runId, reason: String(body.reason ?? '') });
			return [200, { ok: true }];
		}
		if (action === 'sending') {
			const accepted: string[] = [];
			const rejected: Array<{ messageId: string; reason: string }> = [];
			for (const id of (body.messageIds as string[]) ?? []) {
				const x = run.messages.find((y) => y.messageId === id);
				if (x && x.leaseId === body.leaseId && (x.status === 'leased' || x.status === 'sending')) {
					x.status = 'sending';
					accepted.push(id);
				} else rejected.push({ messageId: id, reason: x?.status === 'queued' ? 'lease_expired' : 'not_leased' });
			}
			return [200, { accepted, rejected }];
		}
		if (action === 'results') {
			const key = String(headers['idempotency-key'] ?? '');
			if (!key) return [400, { statusCode: 400, code: 'idempotency_key_required', message: 'Idempotency-Key header required' }];
			if (idem.has(key)) return [200, idem.get(key)];
			let applied = 0;
			let ignored = 0;
			for (const r of (body.results as ReportResult[]) ?? []) {
				const x = run.messages.find((y) => y.messageId === r.messageId);
				if (!x || x.leaseId !== body.leaseId) {
					ignored++;
					continue;
				}
				x.outcomes.push(r);
				applied++;
				delete x.leaseId;
				if (r.outcome === 'deferred') {
					x.status = 'queued';
					x.dueAt = now + (r.retryAfterMs ?? 0);
				} else {
					x.status = r.outcome;
					if (r.providerMessageId) x.providerMessageId = r.providerMessageId;
				}
			}
			const answer = { applied, ignored };
			idem.set(key, answer);
			return [200, answer];
		}
		return [405, { statusCode: 405, code: 'method_not_allowed', message: path }];
	};

	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const path = (req.url ?? '/').split('?')[0]!;
			let body: Record<string, unknown> = {};
			try {
				body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>) : {};
			} catch {
				/* empty */
			}
			stub.requests.push({ method: req.method ?? '', path, headers: req.headers, body });
			const suffix = path.split('/').pop() ?? '';
			const queue = stub.failNext.get(suffix);
			if (queue && queue.length > 0) {
				const status = queue.shift()!;
				res.writeHead(status, { 'content-type': 'application/json', 'retry-after': '0' });
				res.end(JSON.stringify({ statusCode: status, code: 'injected', message: 'injected failure' }));
				return;
			}
			const [status, answer] = handle(req.method ?? 'GET', path, body, req.headers);
			const drops = stub.dropAfterApply.get(suffix) ?? 0;
			if (drops > 0) {
				stub.dropAfterApply.set(suffix, drops - 1);
				req.socket.destroy();
				return;
			}
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(answer));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return stub;
}
