import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type {
	Channel,
	HandoffAnswer,
	LeaseCampaign,
	LeaseItem,
	LeaseRequest,
	LeaseResponse,
	ReportResult,
	ResultsAnswer,
	ResultsRequest,
	RunRead,
	SendingAnswer,
	SendingRequest,
	Sender,
	TriggerPayload,
} from '@cadence/contracts';
import type { LeaseMessage } from '../../nodes/shared/types';

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
	/** What the lease says about the campaign (`{{ campaign.* }}`). */
	campaign: LeaseCampaign;
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
	addRun(
		run: Partial<Omit<StubRun, 'messages'>> & { sender: Sender; messages: Array<Omit<LeaseMessage, 'messageId'> & { messageId?: string }> },
	): StubRun;
	message(id: string): StubMessage | undefined;
	close(): Promise<void>;
}

/** The signed trigger the backend's outbox would post to start `run`. */
export function triggerPayload(run: StubRun): TriggerPayload {
	return {
		event: 'campaign.run',
		runId: run.runId,
		campaignId: 'c-1',
		organizationId: 'o-1',
		shard: 0,
		shards: 1,
		channel: run.messages[0].channel,
		triggeredAt: new Date().toISOString(),
	};
}

export function lead(i: number, extra: Partial<LeaseMessage['lead']> = {}): LeaseMessage['lead'] {
	return {
		id: randomUUID(),
		email: `lead${i}@example.com`,
		phone: `+1555700${String(i).padStart(4, '0')}`,
		firstName: `Lead${i}`,
		lastName: null,
		timezone: null,
		attributes: {},
		...extra,
	};
}

export function message(
	channel: Channel,
	template: LeaseMessage['template'],
	l: LeaseMessage['lead'],
	extra: Partial<LeaseMessage> = {},
): Omit<LeaseMessage, 'messageId'> & { messageId?: string } {
	return { channel, template, lead: l, tracking: null, callbacks: null, threading: null, ...extra };
}

/**
 * A message's tracking links as the backend leases them: one token per purpose (here `<token>o`,
 * `<token>c`, `<token>u`), so a pixel's token is not the unsubscribe link's.
 */
export function trackingLinks(origin: string, token: string): NonNullable<LeaseMessage['tracking']> {
	const tokens = { open: `${token}o`, click: `${token}c`, unsubscribe: `${token}u` };
	return {
		tokens,
		clickBaseUrl: `${origin}/t/c/${tokens.click}`,
		openPixelUrl: `${origin}/t/o/${tokens.open}.gif`,
		unsubscribeUrl: `${origin}/u/${tokens.unsubscribe}`,
	};
}

const STUB_ORGANIZATION_ID = '00000000-0000-4000-8000-00000000000a';

function emptyLease(done: boolean, retryAfterMs: number): LeaseResponse {
	return { leaseId: null, leaseExpiresAt: null, done, retryAfterMs, grant: null, sender: null, templates: {}, items: [] };
}

/** As the real backend: each distinct template once in `templates` (the backend keys by step; here by content). */
function templatesAndItems(due: StubMessage[], campaign: LeaseCampaign): Pick<LeaseResponse, 'templates' | 'items'> {
	const keys = new Map<string, string>();
	const templates: LeaseResponse['templates'] = {};
	const items = due.map((m) => {
		const content = JSON.stringify(m.template);
		const key = keys.get(content) ?? `template-${keys.size + 1}`;
		keys.set(content, key);
		templates[key] = m.template;
		return leaseItem(m, campaign, key);
	});
	return { templates, items };
}

/** A stored message as the real backend leases it: what a test left out gets the backend's defaults. */
function leaseItem(m: StubMessage, campaign: LeaseCampaign, templateKey: string): LeaseItem {
	const l = m.lead;
	return {
		messageId: m.messageId,
		channel: m.channel,
		to: m.to ?? (m.channel === 'email' ? (l.email ?? '') : (l.phone ?? '')),
		lead: {
			id: l.id,
			email: l.email ?? null,
			phone: l.phone ?? null,
			firstName: l.firstName ?? null,
			lastName: l.lastName ?? null,
			timezone: l.timezone ?? null,
			attributes: l.attributes ?? {},
		},
		campaign: m.campaign ?? campaign,
		templateKey,
		tracking: {
			tokens: {
				open: m.tracking?.tokens?.open ?? '',
				click: m.tracking?.tokens?.click ?? '',
				unsubscribe: m.tracking?.tokens?.unsubscribe ?? '',
			},
			clickBaseUrl: m.tracking?.clickBaseUrl ?? '',
			openPixelUrl: m.tracking?.openPixelUrl ?? '',
			unsubscribeUrl: m.tracking?.unsubscribeUrl ?? '',
		},
		callbacks: m.callbacks ?? {},
		threading: {
			inReplyTo: m.threading?.inReplyTo ?? null,
			references: m.threading?.references ?? [],
			threadId: m.threading?.threadId ?? null,
		},
	};
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
				campaign: input.campaign ?? { id: randomUUID(), name: 'Stub campaign', type: 'blast' },
				messages: input.messages.map((m) => ({ ...m, messageId: m.messageId ?? randomUUID(), status: 'queued', dueAt: 0, outcomes: [] })),
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
		const run = m ? stub.runs.get(decodeURIComponent(m[1])) : undefined;
		if (!m || !run) return [404, { statusCode: 404, code: 'not_found', message: path }];
		const now = Date.now();
		expire(run, now);
		const action = m[2];
		if (!action && method === 'GET') {
			const counts: Record<string, number> = {};
			for (const x of run.messages) counts[x.status] = (counts[x.status] ?? 0) + 1;
			const answer: RunRead = {
				runId: run.runId,
				campaignId: run.campaign.id,
				organizationId: STUB_ORGANIZATION_ID,
				shard: 0,
				status: 'active',
				counts,
			};
			return [200, answer];
		}
		if (action === 'lease') {
			const req = body as LeaseRequest;
			const max = Math.min(Number(req.max ?? run.batchSize) || run.batchSize, run.batchSize);
			const queued = run.messages.filter((x) => x.status === 'queued');
			const due = queued.filter((x) => x.dueAt <= now).slice(0, max);
			if (due.length === 0) {
				if (queued.length === 0) return [200, emptyLease(true, 0)];
				const next = Math.min(...queued.map((x) => x.dueAt));
				return [200, emptyLease(false, Math.max(50, next - now))];
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
			const answer: LeaseResponse = {
				leaseId,
				leaseExpiresAt: new Date(leaseExpiresAt).toISOString(),
				done: false,
				retryAfterMs: 0,
				grant: { count: due.length, startInMs: start - now, intervalMs, ratePerSecond: run.ratePerSecond, concurrency: run.concurrency },
				sender: run.sender,
				...templatesAndItems(due, run.campaign),
			};
			return [200, answer];
		}
		if (action === 'handoff') {
			stub.handoffs.push({ runId: run.runId, reason: String(body.reason ?? '') });
			return [200, { ok: true } satisfies HandoffAnswer];
		}
		if (action === 'sending') {
			const req = body as Partial<SendingRequest>;
			const answer: SendingAnswer = { accepted: [], rejected: [] };
			const { accepted, rejected } = answer;
			for (const id of req.messageIds ?? []) {
				const x = run.messages.find((y) => y.messageId === id);
				if (x && x.leaseId === req.leaseId && (x.status === 'leased' || x.status === 'sending')) {
					x.status = 'sending';
					accepted.push(id);
				} else rejected.push({ messageId: id, reason: x?.status === 'queued' ? 'lease_expired' : 'not_leased' });
			}
			return [200, answer];
		}
		if (action === 'results') {
			const key = String(headers['idempotency-key'] ?? '');
			if (!key) return [400, { statusCode: 400, code: 'idempotency_key_required', message: 'Idempotency-Key header required' }];
			if (idem.has(key)) return [200, idem.get(key)];
			let applied = 0;
			let ignored = 0;
			const req = body as Partial<ResultsRequest>;
			for (const r of (req.results as ReportResult[] | undefined) ?? []) {
				const x = run.messages.find((y) => y.messageId === r.messageId);
				if (!x || x.leaseId !== req.leaseId) {
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
			const answer: ResultsAnswer = { applied, ignored };
			idem.set(key, answer);
			return [200, answer];
		}
		return [405, { statusCode: 405, code: 'method_not_allowed', message: path }];
	};

	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const path = (req.url ?? '/').split('?')[0];
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
