// Not part of `npm test`. Measures Mailgun calls and recipients/s for N personalized, tracked
// emails against the provider sandbox (rate limits off), through the real send engine:
//   ../node_modules/.bin/tsc -p tsconfig.json && node .test-build/test/bench/mailgun-bench.js [count] [nobatch]
// A warm-up run of 200 messages first (module loading, connections), then the measured run.
// The stub backend runs in this process; the sandbox too, unless SANDBOX_URL points at one started
// apart (`SANDBOX_RATE_LIMITS=off SANDBOX_PORT=4099 node ../sandbox/dist/main.js`), so that its CPU
// (parsing, per-recipient substitution, events) is not counted against the node.
import { randomBytes } from 'node:crypto';
import type { GrantedLease } from '@cadence/contracts';
import { BackendClient } from '../../nodes/shared/backend-client';
import { fetchHttp } from '../../nodes/shared/http';
import { renderWorkItem } from '../../nodes/shared/render-item';
import type { WorkItem } from '../../nodes/shared/types';
import { workItemsOf } from '../../nodes/shared/work-items';
import { sendWorkItems } from '../../nodes/CadenceSend/engine';
import { createDriver } from '../../nodes/CadenceSend/channels';
import { lead, message, startStubBackend, trackingLinks } from '../helpers/stub-backend';
import { sbMessages, senders, testSandbox } from '../integration/sandbox-helpers';

export const NEWSLETTER = {
	channel: 'email' as const,
	subject: 'Hi {{ lead.first_name }}, the {{ campaign.name | default: "spring" }} news',
	html: '<html><body><p>Hello {{ lead.first_name }} from {{ lead.company | default: "your team" }},</p><p>Read <a href="https://acme.test/offer?x=1&y=2">the offer</a> or <a href="https://acme.test/blog">the blog</a>.</p><p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p></body></html>',
};

type Sb = Pick<Awaited<ReturnType<typeof testSandbox>>, 'url' | 'reset' | 'close'>;

async function external(url: string): Promise<Sb> {
	const post = (path: string, body: unknown) =>
		fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	await post('/_sandbox/reset', { all: true });
	return { url, reset: () => void post('/_sandbox/reset', { all: false }), close: async () => undefined };
}

async function once(sb: Sb, stub: Awaited<ReturnType<typeof startStubBackend>>, count: number, batching: boolean) {
	sb.reset(false);
	await new Promise((r) => setTimeout(r, 100));
	const messages = Array.from({ length: count }, (_, i) => {
		const token = randomBytes(12).toString('base64url');
		const tracking = trackingLinks('http://127.0.0.1:9', token);
		return message('email', NEWSLETTER, lead(i + 1, { firstName: `Ada${i + 1}`, attributes: { company: `Co ${i % 7}` } }), { tracking });
	});
	const run = stub.addRun({ sender: senders(sb as never).mailgun, ratePerSecond: 100_000, concurrency: 4, batchSize: count, messages });
	const backend = new BackendClient({ baseUrl: stub.url, apiKey: stub.apiKey }, fetchHttp);
	const lease = await backend.lease(run.runId, count);
	const leasedAt = Date.now();
	const t0 = performance.now();
	const items: WorkItem[] = workItemsOf(lease as GrantedLease, run.runId, leasedAt).map((w) => {
		const r = renderWorkItem(w);
		return 'rendered' in r ? { ...w, rendered: r.rendered } : { ...w, result: r.result };
	});
	const t1 = performance.now();
	const timing = { planMs: 0, callMs: [] as number[] };
	const timedDriver: typeof createDriver = (...args) => {
		const d = createDriver(...args);
		return {
			...d,
			plan: (list) => {
				const s = performance.now();
				const r = d.plan!(list);
				timing.planMs += performance.now() - s;
				return r;
			},
			send: async (unit) => {
				const s = performance.now();
				try {
					return await d.send(unit);
				} finally {
					timing.callMs.push(performance.now() - s);
				}
			},
		};
	};
	const outcomes = await sendWorkItems(items, { backend, http: fetchHttp, createDriver: timedDriver }, { mailgunBatching: batching });
	const t2 = performance.now();
	const sent = [...outcomes.values()].filter((o) => o.outcome === 'sent').length;
	const msgs = await sbMessages(sb as never, 'mailgun');
	const calls = new Set(msgs.map((m) => m.providerMessageId)).size;
	return {
		recipients: count,
		sent,
		mailgunCalls: calls,
		renderMs: Math.round(t1 - t0),
		sendMs: Math.round(t2 - t1),
		sendRecipientsPerSecond: Math.round(sent / ((t2 - t1) / 1000)),
		renderAndSendRecipientsPerSecond: Math.round(sent / ((t2 - t0) / 1000)),
		planMs: Math.round(timing.planMs),
		providerCallMsTotal: Math.round(timing.callMs.reduce((a, b) => a + b, 0)),
	};
}

async function main(): Promise<void> {
	const count = Number(process.argv[2] ?? 2500);
	const batching = process.argv[3] !== 'nobatch';
	const sb: Sb = process.env.SANDBOX_URL ? await external(process.env.SANDBOX_URL) : await testSandbox(false);
	const stub = await startStubBackend();
	try {
		await once(sb, stub, 200, batching);
		console.log(JSON.stringify({ batching, ...(await once(sb, stub, count, batching)) }));
	} finally {
		await stub.close();
		await sb.close();
	}
}

if (require.main === module) void main();
