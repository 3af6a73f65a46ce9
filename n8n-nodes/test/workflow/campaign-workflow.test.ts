// The exported workflow (workflows/cadence-campaign.json) executed in-process by n8n-core's real
// WorkflowExecute (see harness.ts), against the stub backend and the provider sandbox: between the
// unit tests (functions) and the real-n8n suite (a whole n8n process with the built package).
import { afterAll, beforeAll, beforeEach, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import type { RunningSandbox } from '@cadence/sandbox';
import type { IDataObject, IWorkflowBase } from 'n8n-workflow';
import type { ReportResult } from '../../nodes/shared/types';
import { lead, message, startStubBackend, trackingLinks, triggerPayload, type StubBackend, type StubRun } from '../helpers/stub-backend';
import { fault, sbDuplicates, sbMessages, senders, testSandbox } from '../integration/sandbox-helpers';
import { execute, loadWorkflow, nodeNamed, outputs, signal, type Execution, type StoredCredential } from './harness';

const SECRET = 'trigger-signing-secret';
const SMS = { channel: 'sms' as const, body: 'Hi {{ lead.firstName }}, spring offer inside' };
const EMAIL = {
	channel: 'email' as const,
	subject: 'Spring news for {{ lead.firstName }}',
	html: '<p>Hello {{ lead.firstName }}!</p><a href="https://acme.test/offer">offer</a> <a href="{{ unsubscribe_url }}">unsubscribe</a>',
};
const WHATSAPP = {
	channel: 'whatsapp' as const,
	whatsapp: { name: 'spring_offer', language: 'en_US', parameters: ['{{ lead.firstName }}'] },
} as never;
const tracking = (i: number) => trackingLinks('http://127.0.0.1:9', `tok-${i}-abcdef`);

describe('the exported workflow in n8n-core (WorkflowExecute): Trigger -> Lease -> Render -> Send -> Report, looped', () => {
	let sb: RunningSandbox;
	let stub: StubBackend;
	let credentials: StoredCredential[];

	beforeAll(async () => {
		sb = await testSandbox(false);
		stub = await startStubBackend();
		// The id the exported workflow references (nodes[].credentials.cadenceApi.id), as in n8n's store.
		credentials = [{ id: 'CadenceApiCred01', type: 'cadenceApi', data: { baseUrl: stub.url, apiKey: stub.apiKey, signingSecret: SECRET } }];
	});
	afterAll(async () => {
		await stub?.close();
		await sb?.close();
	});
	beforeEach(() => {
		sb.reset(true);
		stub.requests.length = 0;
		stub.handoffs.length = 0;
	});

	/** Signal the run through the trigger's real webhook(), then execute what it started. */
	async function runSignalled(run: StubRun, wf: IWorkflowBase = loadWorkflow()): Promise<Execution> {
		const answer = await signal(wf, credentials, triggerPayload(run), SECRET);
		assert.equal(answer.status, 200, JSON.stringify(answer.body));
		assert.equal(answer.items?.length, 1);
		const execution = await execute(wf, credentials, answer.items);
		assert.equal(execution.run.status, 'success', JSON.stringify(execution.run.data.resultData.error));
		return execution;
	}

	const leasesOf = (run: StubRun) => stub.requests.filter((q) => q.path === `/internal/v1/runs/${run.runId}/lease`);
	const reportsOf = (run: StubRun) => stub.requests.filter((q) => q.path === `/internal/v1/runs/${run.runId}/results`);
	/** Every message id each report POST carried (retries of one POST share the idempotency key). */
	const reportedIds = (run: StubRun) =>
		reportsOf(run).flatMap((q) => ((q.body as { results: ReportResult[] }).results ?? []).map((r) => r.messageId));

	it('refuses a wrongly signed signal in the trigger: nothing executes, nothing is leased', async () => {
		const run = stub.addRun({ sender: senders(sb).twilio, messages: [message('sms', SMS, lead(900))] });
		const answer = await signal(loadWorkflow(), credentials, { event: 'campaign.run', runId: run.runId }, 'wrong-secret');
		assert.equal(answer.status, 401);
		assert.equal((answer.body as IDataObject).code, 'trigger_bad_signature');
		assert.equal(answer.items, undefined);
		assert.equal(stub.requests.length, 0);
		stub.runs.delete(run.runId);
	});

	it('leases again until the lease is empty; every message reported once with its outcome; the sandbox got each once', async () => {
		const run = stub.addRun({
			sender: senders(sb).twilio,
			ratePerSecond: 20,
			batchSize: 2,
			messages: [
				message('sms', SMS, lead(901)),
				message('sms', { channel: 'sms', body: 'Hi {{ lead.nickname }}' }, lead(902)),
				message('sms', SMS, lead(903)),
				message('sms', SMS, lead(904, { phone: 'not-a-number' })),
				message('sms', SMS, lead(905)),
			],
		});
		const { run: execution, order } = await runSignalled(run);

		assert.deepEqual(
			run.messages.map((m) => m.status),
			['sent', 'skipped', 'sent', 'failed', 'sent'],
		);
		assert.equal(run.messages[1].outcomes[0].reason, 'missing_variable');
		assert.equal(run.messages[3].outcomes[0].errorCode, '21211');
		for (const m of run.messages) assert.equal(m.outcomes.length, 1, `${m.messageId} reported once`);
		assert.deepEqual(reportedIds(run).sort(), run.messages.map((m) => m.messageId).sort(), 'one report line per message, none twice');

		// Batch size 2: three leases with items, a fourth that says done and ends the loop.
		assert.equal(leasesOf(run).length, 4);
		const leased = outputs(execution, 'Lease Batch');
		assert.deepEqual(
			leased.map((items) => items.length),
			[2, 2, 1, 0],
		);
		assert.deepEqual(order, [
			'Campaign Trigger',
			...Array(3).fill(['Lease Batch', 'Render Message', 'Send Message', 'Report Results']).flat(),
			'Lease Batch',
		]);
		// Report Results emits one item per lease, which feeds the next lease ($json.runId).
		assert.deepEqual(
			outputs(execution, 'Report Results').map((items) => items.map((i) => i.json.runId)),
			[[run.runId], [run.runId], [run.runId]],
		);
		assert.deepEqual(stub.handoffs, []);

		const accepted = await sbMessages(sb, 'twilio');
		for (const m of run.messages) {
			const copies = accepted.filter((x) => x.campaignMessageId === m.messageId);
			assert.equal(copies.length, m.status === 'sent' ? 1 : 0, `${m.messageId} (${m.status})`);
			if (m.status === 'sent') assert.equal(copies[0].providerMessageId, m.providerMessageId);
		}
		assert.equal(await sbDuplicates(sb), 0);
	});

	it('a deferred message (429) is leased again after its retry time in the same execution, then sent', async () => {
		const leads = [910, 911].map((i) => lead(i));
		// Every attempt of the first Send gets 429: deferred, re-queued with a due time; Lease Batch then
		// gets `items: [], retryAfterMs > 0`, waits within Max Wait, leases again and it is sent.
		await fault(sb, { provider: 'twilio', type: 'rate-limit', retryAfterSeconds: 1, match: leads[1].phone!, times: 4 });
		const run = stub.addRun({ sender: senders(sb).twilio, ratePerSecond: 20, messages: leads.map((l) => message('sms', SMS, l)) });
		await runSignalled(run);
		assert.deepEqual(
			run.messages.map((m) => m.status),
			['sent', 'sent'],
		);
		assert.deepEqual(
			run.messages[1].outcomes.map((o) => `${o.outcome}:${o.errorCode ?? ''}`),
			['deferred:20429', 'sent:'],
		);
		assert.equal((await sbMessages(sb, 'twilio')).filter((x) => x.campaignMessageId === run.messages[1].messageId).length, 1);
	});

	it('an ambiguous send (connection reset after the provider accepted) is reported unknown once and never retried', async () => {
		const leads = [920, 921, 922].map((i) => lead(i));
		await fault(sb, { provider: 'whatsapp', type: 'reset-after', match: leads[1].phone!.replace(/^\+/, ''), times: 1 });
		const run = stub.addRun({
			sender: senders(sb).whatsapp,
			ratePerSecond: 50,
			messages: leads.map((l) => message('whatsapp', WHATSAPP, l)),
		});
		const { run: execution } = await runSignalled(run);

		assert.deepEqual(
			run.messages.map((m) => m.status),
			['sent', 'unknown', 'sent'],
		);
		const ambiguous = run.messages[1];
		assert.deepEqual(
			ambiguous.outcomes.map((o) => o.outcome),
			['unknown'],
		);
		assert.match(String(ambiguous.outcomes[0].errorCode), /ECONNRESET/);
		// Accepted by the provider exactly once: no retry inside Send, and no second lease of it
		// (the loop's next lease was empty and ended the execution).
		assert.equal((await sbMessages(sb, 'whatsapp')).filter((x) => x.campaignMessageId === ambiguous.messageId).length, 1);
		assert.equal(reportedIds(run).filter((id) => id === ambiguous.messageId).length, 1);
		assert.deepEqual(
			outputs(execution, 'Lease Batch').map((items) => items.length),
			[3, 0],
		);
		assert.equal(await sbDuplicates(sb), 0);
	});

	it('sends personalized email to Mailgun in one batch call, each recipient with its own name and unsubscribe link', async () => {
		const run = stub.addRun({
			sender: senders(sb).mailgun,
			ratePerSecond: 500,
			messages: [930, 931, 932].map((i) => message('email', EMAIL, lead(i), { tracking: tracking(i) })),
		});
		await runSignalled(run);
		assert.deepEqual(
			run.messages.map((m) => m.status),
			['sent', 'sent', 'sent'],
		);
		const accepted = await sbMessages(sb, 'mailgun');
		assert.equal(new Set(accepted.map((x) => x.providerMessageId)).size, 1, 'one Mailgun call');
		for (const m of run.messages) {
			const got = accepted.find((x) => x.campaignMessageId === m.messageId)!;
			assert.equal(got.subject, `Spring news for ${m.lead.firstName}`);
			assert.equal(got.headers!['List-Unsubscribe'], `<${m.tracking!.unsubscribeUrl}>`);
		}
	});

	it('after Max Loop Iterations the execution ends, hands the run off, and leaves the rest queued', async () => {
		const wf = loadWorkflow();
		nodeNamed(wf, 'Lease Batch').parameters.maxIterations = 2;
		const run = stub.addRun({
			sender: senders(sb).twilio,
			ratePerSecond: 50,
			batchSize: 1,
			messages: [940, 941, 942, 943].map((i) => message('sms', SMS, lead(i))),
		});
		const { run: execution } = await runSignalled(run, wf);

		assert.deepEqual(
			run.messages.map((m) => m.status),
			['sent', 'sent', 'queued', 'queued'],
		);
		assert.equal(leasesOf(run).length, 2);
		// Lease Batch ran a third time ($runIndex 2 = the limit): no lease, a handoff, no output.
		assert.deepEqual(
			outputs(execution, 'Lease Batch').map((items) => items.length),
			[1, 1, 0],
		);
		assert.deepEqual(stub.handoffs, [{ runId: run.runId, reason: 'iteration_limit' }]);
		stub.runs.delete(run.runId);
	});

	it('after Max Messages per Execution the execution ends at the next lease, hands the run off, and leaves the rest queued', async () => {
		const wf = loadWorkflow();
		nodeNamed(wf, 'Lease Batch').parameters.maxMessagesPerExecution = 3;
		const run = stub.addRun({
			sender: senders(sb).twilio,
			ratePerSecond: 50,
			batchSize: 2,
			messages: [960, 961, 962, 963, 964, 965].map((i) => message('sms', SMS, lead(i))),
		});
		const { run: execution } = await runSignalled(run, wf);

		// Two leases of two: 2, then 4 leased, past the limit of 3; the third Lease Batch hands off.
		assert.deepEqual(
			run.messages.map((m) => m.status),
			['sent', 'sent', 'sent', 'sent', 'queued', 'queued'],
		);
		assert.deepEqual(
			outputs(execution, 'Lease Batch').map((items) => items.length),
			[2, 2, 0],
		);
		assert.deepEqual(
			outputs(execution, 'Report Results').map((items) => items.map((i) => i.json.executionLeased)),
			[[2], [4]],
		);
		assert.deepEqual(stub.handoffs, [{ runId: run.runId, reason: 'message_limit' }]);
		stub.runs.delete(run.runId);
	});

	it('after Max Held Data per Execution (large HTML emails) the execution ends at the next lease and hands the run off', async () => {
		const wf = loadWorkflow();
		nodeNamed(wf, 'Lease Batch').parameters.maxHeldMbPerExecution = 1;
		// ~200 KB of HTML (templates stop at 256 KB): about 202 KB held a message, so three leases of two pass 1 MB.
		const big = { ...EMAIL, html: `${EMAIL.html}${'<p>Our whole spring catalogue, page after page.</p>'.repeat(3900)}` };
		const run = stub.addRun({
			sender: senders(sb).mailgun,
			ratePerSecond: 500,
			batchSize: 2,
			messages: [970, 971, 972, 973, 974, 975, 976, 977].map((i) => message('email', big, lead(i), { tracking: tracking(i) })),
		});
		const { run: execution } = await runSignalled(run, wf);

		assert.deepEqual(
			run.messages.map((m) => m.status),
			['sent', 'sent', 'sent', 'sent', 'sent', 'sent', 'queued', 'queued'],
		);
		const held = outputs(execution, 'Report Results').map((items) => Number(items[0].json.executionHeldBytes));
		assert.equal(held.length, 3);
		assert.ok(held[0] > 400_000 && held[0] < 420_000 && held[2] === 3 * held[0] && held[1] < 1024 * 1024, JSON.stringify(held));
		assert.deepEqual(stub.handoffs, [{ runId: run.runId, reason: 'data_limit' }]);
		stub.runs.delete(run.runId);
	});

	it('fails the execution at Lease Batch when the referenced credential does not exist', async () => {
		const run = stub.addRun({ sender: senders(sb).twilio, messages: [message('sms', SMS, lead(950))] });
		const wf = loadWorkflow();
		const execution = await execute(wf, [], [{ json: { runId: run.runId } }]);
		assert.equal(execution.run.status, 'error');
		assert.equal(execution.run.data.resultData.lastNodeExecuted, 'Lease Batch');
		assert.match(String(execution.run.data.resultData.error?.message), /credential/i);
		assert.equal(stub.requests.length, 0);
		stub.runs.delete(run.runId);
	});
});
