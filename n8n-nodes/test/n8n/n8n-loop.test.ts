import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RunningSandbox } from '@cadence/sandbox';
import { signTrigger } from '../../nodes/shared/signature';
import { lead, message, startStubBackend, trackingLinks, triggerPayload, type StubBackend, type StubRun } from '../helpers/stub-backend';
import { fault, sbDuplicates, sbMessages, senders, testSandbox } from '../integration/sandbox-helpers';

// The repository root: this file runs from its source folder (n8n-nodes/test/n8n) under ts-jest.
const ROOT = resolve(__dirname, '..', '..', '..');
const PACKAGE_DIR = join(ROOT, 'n8n-nodes');
const N8N_BIN = join(ROOT, 'n8n-runtime', 'node_modules', '.bin', 'n8n');
const WORKFLOW = join(ROOT, 'workflows', 'cadence-campaign.json');
const SECRET = 'trigger-signing-secret';
const SKIP = existsSync(N8N_BIN)
	? false
	: `n8n is not installed at ${N8N_BIN}: run the n8n set-up (cd n8n && npm install) to run the real-n8n tests`;
if (SKIP) console.log(`# SKIP real-n8n tests: ${SKIP}`);
/** node:test's `{ skip }` option in jest: without the n8n runtime both suites are reported as skipped. */
const describeN8n = SKIP ? describe.skip : describe;

interface N8n {
	url: string;
	apiKey: string;
	importWorkflow(json: unknown): Promise<{ id: string }>;
	activate(id: string): Promise<unknown>;
	createCredential(c: { name: string; type: string; data: Record<string, unknown> }): Promise<{ id: string }>;
	webhook(path: string, init?: RequestInit, timeoutMs?: number): Promise<Response>;
	logs(): string;
	stop(): Promise<void>;
}
type Runtime = { startN8n(options: Record<string, unknown>): Promise<N8n> };
const runtime = (): Promise<Runtime> => import(pathToFileURL(join(ROOT, 'n8n-runtime', 'lib', 'n8n-runtime.mjs')).href) as Promise<Runtime>;

async function trigger(n8n: N8n, run: StubRun, secret = SECRET): Promise<Response> {
	const body = JSON.stringify(triggerPayload(run));
	const ts = Math.floor(Date.now() / 1000);
	return n8n.webhook('cadence-campaign', {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			'x-cadence-timestamp': String(ts),
			'x-cadence-signature': signTrigger(secret, ts, body),
		},
		body,
	});
}

async function settled(runs: StubRun[], n8n: N8n, timeoutMs = 90_000): Promise<void> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const open = runs.flatMap((r) => r.messages).filter((m) => ['queued', 'leased', 'sending'].includes(m.status));
		if (open.length === 0) return;
		if (Date.now() > until)
			throw new Error(`messages not settled: ${open.map((m) => `${m.messageId}:${m.status}`).join(', ')}\n${n8n.logs().slice(-3000)}`);
		await new Promise((r) => setTimeout(r, 250));
	}
}

const SMS = { channel: 'sms' as const, body: 'Hi {{ lead.firstName }}, spring offer inside' };
const EMAIL_PERSONAL = {
	channel: 'email' as const,
	subject: 'Spring news for {{ lead.first_name }}',
	html: '<html><body><p>Hello {{ lead.firstName }}!</p><a href="https://acme.test/offer">offer</a> <a href="{{ unsubscribe_url }}">unsubscribe</a></body></html>',
};
const tracking = (i: number) => trackingLinks('http://127.0.0.1:9', `tok-${i}-abcdef`);

describeN8n('real n8n: the exported workflow runs Trigger -> Lease -> Render -> Send -> Report in a loop', () => {
	let sb: RunningSandbox;
	let stub: StubBackend;
	let n8n: N8n;

	beforeAll(async () => {
		sb = await testSandbox(false);
		stub = await startStubBackend();
		const { startN8n } = await runtime();
		n8n = await startN8n({
			nodesPackageDir: PACKAGE_DIR,
			credentials: [
				{
					id: 'CadenceApiCred01',
					name: 'Cadence API',
					type: 'cadenceApi',
					data: { baseUrl: stub.url, apiKey: stub.apiKey, signingSecret: SECRET },
				},
			],
			workflows: [WORKFLOW],
		});
	});
	afterAll(async () => {
		await n8n?.stop();
		await stub?.close();
		await sb?.close();
	});

	it('refuses an unsigned or wrongly signed trigger without leasing', async () => {
		const run = stub.addRun({ sender: senders(sb).twilio, messages: [message('sms', SMS, lead(500))] });
		const res = await trigger(n8n, run, 'wrong-secret');
		assert.equal(res.status, 401);
		await new Promise((r) => setTimeout(r, 500));
		assert.equal(stub.requests.filter((q) => q.path.includes(run.runId)).length, 0);
		stub.runs.delete(run.runId);
	});

	it('sends SMS, batched email and WhatsApp runs to the sandbox exactly once, with the right outcomes', async () => {
		const s = senders(sb);
		const smsRun = stub.addRun({
			sender: s.twilio,
			ratePerSecond: 20,
			batchSize: 2,
			messages: [
				message('sms', SMS, lead(501)),
				message('sms', { channel: 'sms', body: 'Hi {{ lead.nickname }}' }, lead(502)),
				message('sms', SMS, lead(503)),
				message('sms', SMS, lead(504)),
				message('sms', SMS, lead(505, { phone: 'not-a-number' })),
				message('sms', SMS, lead(506)),
			],
		});
		// 429 on every attempt of the first Send: deferred, re-queued by the backend with a due time;
		// Lease Batch then gets `items: [], retryAfterMs > 0`, waits, leases again and it is sent.
		await fault(sb, { provider: 'twilio', type: 'rate-limit', retryAfterSeconds: 1, match: smsRun.messages[5].lead.phone!, times: 4 });
		const mailRun = stub.addRun({
			sender: s.mailgun,
			ratePerSecond: 500,
			messages: [510, 511, 512, 513].map((i) => message('email', EMAIL_PERSONAL, lead(i), { tracking: tracking(i) })),
		});
		const waLeads = [520, 521, 522].map((i) => lead(i));
		await fault(sb, { provider: 'whatsapp', type: 'reset-after', match: waLeads[1].phone!.replace(/^\+/, ''), times: 1 });
		const waRun = stub.addRun({
			sender: s.whatsapp,
			ratePerSecond: 50,
			messages: waLeads.map((l) =>
				message(
					'whatsapp',
					{ channel: 'whatsapp', whatsapp: { name: 'spring_offer', language: 'en_US', parameters: ['{{ lead.firstName }}'] } } as never,
					l,
				),
			),
		});

		for (const run of [smsRun, mailRun, waRun]) {
			const res = await trigger(n8n, run);
			assert.equal(res.status, 200, await res.text());
		}
		await settled([smsRun, mailRun, waRun], n8n);

		assert.deepEqual(
			smsRun.messages.map((m) => m.status),
			['sent', 'skipped', 'sent', 'sent', 'failed', 'sent'],
		);
		assert.deepEqual(
			smsRun.messages[5].outcomes.map((o) => `${o.outcome}:${o.errorCode ?? ''}`),
			['deferred:20429', 'sent:'],
		);
		assert.equal(smsRun.messages[1].outcomes[0].reason, 'missing_variable');
		assert.equal(smsRun.messages[4].outcomes[0].errorCode, '21211');
		assert.deepEqual(
			mailRun.messages.map((m) => m.status),
			['sent', 'sent', 'sent', 'sent'],
		);
		assert.deepEqual(
			waRun.messages.map((m) => m.status),
			['sent', 'unknown', 'sent'],
		);

		// The loop leased more than once for the SMS run (batch size 2) and ended on done.
		const smsLeases = stub.requests.filter((q) => q.path === `/internal/v1/runs/${smsRun.runId}/lease`).length;
		assert.ok(smsLeases >= 4, `leases: ${smsLeases}`);
		// Every report carried an idempotency key.
		for (const q of stub.requests.filter((x) => x.path.endsWith('/results')))
			assert.match(String(q.headers['idempotency-key']), /^[0-9a-f-]{36}:[0-9a-f]{32}$/);

		const accepted = await sbMessages(sb);
		for (const m of [...smsRun.messages, ...mailRun.messages, ...waRun.messages]) {
			const copies = accepted.filter((x) => x.campaignMessageId === m.messageId).length;
			assert.equal(copies, m.status === 'sent' || m.status === 'unknown' ? 1 : 0, `${m.messageId} (${m.status}) accepted ${copies}x`);
		}
		assert.equal(
			new Set(accepted.filter((x) => x.provider === 'mailgun').map((x) => x.providerMessageId)).size,
			1,
			'one Mailgun batch call',
		);
		// Personalized and tracked, yet one call: each recipient got its own name and token.
		for (const m of mailRun.messages) {
			const got = accepted.find((x) => x.campaignMessageId === m.messageId)!;
			assert.equal(got.subject, `Spring news for ${m.lead.firstName}`);
			assert.equal(got.headers!['List-Unsubscribe'], `<${m.tracking!.unsubscribeUrl}>`);
		}
		assert.equal(await sbDuplicates(sb), 0);
	});
});

describeN8n('real n8n: the package loads through N8N_CUSTOM_EXTENSIONS too (CUSTOM.* types)', () => {
	it('runs the same workflow with CUSTOM.* node types, credential and workflow created over the public API', async () => {
		const sb = await testSandbox(false);
		const stub = await startStubBackend();
		const { startN8n } = await runtime();
		const n8n = await startN8n({ customExtensions: join(PACKAGE_DIR, 'dist') });
		try {
			const cred = await n8n.createCredential({
				name: 'Cadence API',
				type: 'cadenceApi',
				data: { baseUrl: stub.url, apiKey: stub.apiKey, signingSecret: SECRET },
			});
			const wf = JSON.parse(
				readFileSync(WORKFLOW, 'utf8').replaceAll('n8n-nodes-cadence.', 'CUSTOM.').replaceAll('CadenceApiCred01', cred.id),
			);
			const created = await n8n.importWorkflow(wf);
			await n8n.activate(created.id);
			const run = stub.addRun({
				sender: senders(sb).twilio,
				ratePerSecond: 20,
				messages: [601, 602].map((i) => message('sms', SMS, lead(i))),
			});
			const res = await trigger(n8n, run);
			assert.equal(res.status, 200, await res.text());
			await settled([run], n8n);
			assert.deepEqual(
				run.messages.map((m) => m.status),
				['sent', 'sent'],
			);
			assert.equal(await sbDuplicates(sb), 0);

			// Bounded run data: with Max Loop Iterations = 2 the execution ends after two leases;
			// what is left stays queued for the backend's scheduler to trigger again.
			const bounded = JSON.parse(
				JSON.stringify(wf)
					.replaceAll('"cadence-campaign"', '"cadence-campaign-bounded"')
					.replaceAll('"maxIterations":50', '"maxIterations":2')
					.replace(/"webhookId":"[^"]+"/, '"webhookId":"9d0c4b7e-1a2b-4c3d-8e9f-0a1b2c3d4e5f"'),
			);
			bounded.name = 'bounded';
			const b = await n8n.importWorkflow(bounded);
			await n8n.activate(b.id);
			const big = stub.addRun({
				sender: senders(sb).twilio,
				ratePerSecond: 50,
				batchSize: 1,
				messages: [611, 612, 613, 614].map((i) => message('sms', SMS, lead(i))),
			});
			const body = JSON.stringify({ event: 'campaign.run', runId: big.runId });
			const ts = Math.floor(Date.now() / 1000);
			const r2 = await n8n.webhook('cadence-campaign-bounded', {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					'x-cadence-timestamp': String(ts),
					'x-cadence-signature': signTrigger(SECRET, ts, body),
				},
				body,
			});
			assert.equal(r2.status, 200, await r2.text());
			const until = Date.now() + 30_000;
			while (big.messages.filter((m) => m.status === 'sent').length < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
			await new Promise((r) => setTimeout(r, 1500));
			assert.deepEqual(
				big.messages.map((m) => m.status),
				['sent', 'sent', 'queued', 'queued'],
			);
			assert.equal(stub.requests.filter((q) => q.path === `/internal/v1/runs/${big.runId}/lease`).length, 2);
			// ...and tells the backend so, which starts the next run at once rather than after the run goes stale.
			assert.deepEqual(stub.handoffs, [{ runId: big.runId, reason: 'iteration_limit' }]);
		} finally {
			await n8n.stop();
			await stub.close();
			await sb.close();
		}
	});
});
