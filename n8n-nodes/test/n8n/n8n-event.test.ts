import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startStubEvents, stubLead, type StubEvents } from '../helpers/stub-events';

// A real n8n with the packed package installed: the Cadence Event node and the Cadence API Key
// credential load, the credential's test request passes (and fails on a wrong key), and a workflow
// Webhook -> Split Out -> Cadence Event (n8n-nodes-base nodes around ours) sends events in.
const ROOT = resolve(__dirname, '..', '..', '..');
const PACKAGE_DIR = join(ROOT, 'n8n-nodes');
const N8N_BIN = join(ROOT, 'n8n-runtime', 'node_modules', '.bin', 'n8n');
const SKIP = existsSync(N8N_BIN) ? false : `n8n is not installed at ${N8N_BIN}`;
if (SKIP) console.log(`# SKIP real-n8n tests: ${SKIP}`);
const describeN8n = SKIP ? describe.skip : describe;

interface N8n {
	url: string;
	owner: { email: string; password: string };
	importWorkflow(json: unknown): Promise<{ id: string }>;
	activate(id: string): Promise<unknown>;
	createCredential(c: { name: string; type: string; data: Record<string, unknown> }): Promise<{ id: string }>;
	webhook(path: string, init?: RequestInit, timeoutMs?: number): Promise<Response>;
	logs(): string;
	stop(): Promise<void>;
}
type Runtime = { startN8n(options: Record<string, unknown>): Promise<N8n> };
const runtime = (): Promise<Runtime> => import(pathToFileURL(join(ROOT, 'n8n-runtime', 'lib', 'n8n-runtime.mjs')).href) as Promise<Runtime>;

/** Webhook (POST <path>, answers with every item of the last node) -> Split Out body.events -> Cadence Event. */
function eventsWorkflow(path: string, credentialId: string, type = 'n8n-nodes-cadence.cadenceEvent') {
	return {
		name: `Cadence events (${path})`,
		nodes: [
			{
				id: 'a3c2e1f0-0000-4000-8000-000000000001',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: 'a3c2e1f0-0000-4000-8000-0000000000aa',
				parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
			},
			{
				id: 'a3c2e1f0-0000-4000-8000-000000000002',
				name: 'Split Out',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [220, 0],
				parameters: { fieldToSplitOut: 'body.events', include: 'noOtherFields', options: {} },
			},
			{
				id: 'a3c2e1f0-0000-4000-8000-000000000003',
				name: 'Cadence Event',
				type,
				typeVersion: 1,
				position: [440, 0],
				onError: 'continueRegularOutput',
				parameters: {
					identifyBy: 'email',
					email: '={{ $json.email }}',
					eventName: '={{ $json.event }}',
					sendProperties: true,
					specifyProperties: 'json',
					propertiesJson: '={{ $json.properties ?? {} }}',
					idempotencyKey: '={{ $json.id }}',
					options: {},
				},
				credentials: { cadencePublicApi: { id: credentialId, name: 'Cadence API Key' } },
			},
		],
		connections: {
			Webhook: { main: [[{ node: 'Split Out', type: 'main', index: 0 }]] },
			'Split Out': { main: [[{ node: 'Cadence Event', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/** n8n's own "Test" button of the credential dialog (POST /rest/credentials/test) as the owner. */
async function testCredential(n8n: N8n, credential: { id: string; name: string; type: string; data: Record<string, unknown> }) {
	const login = await fetch(`${n8n.url}/rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ emailOrLdapLoginId: n8n.owner.email, password: n8n.owner.password }),
	});
	assert.equal(login.status, 200);
	const cookie = login.headers
		.getSetCookie()
		.map((c) => c.split(';')[0])
		.join('; ');
	const res = await fetch(`${n8n.url}/rest/credentials/test`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', cookie },
		body: JSON.stringify({ credentials: credential }),
	});
	assert.equal(res.status, 200, await res.clone().text());
	return (JSON.parse(await res.text()) as { data: { status: string; message: string } }).data;
}

describeN8n('real n8n: the Cadence Event node and the Cadence API Key credential', () => {
	let stub: StubEvents;
	let n8n: N8n;

	beforeAll(async () => {
		stub = await startStubEvents();
		stub.leads.push(...[1, 2, 3].map((i) => stubLead(i)));
		stub.campaigns.push({ id: 'c0ffee00-0000-4000-8000-000000000002', event: 'signup' });
		const { startN8n } = await runtime();
		n8n = await startN8n({ nodesPackageDir: PACKAGE_DIR });
	});
	afterAll(async () => {
		await n8n?.stop();
		await stub?.close();
	});

	it("the credential is created over n8n's public API and its test request passes with the key, fails without", async () => {
		const data = { baseUrl: stub.url, apiKey: stub.apiKey };
		const cred = await n8n.createCredential({ name: 'Cadence API Key', type: 'cadencePublicApi', data });
		const good = await testCredential(n8n, { id: cred.id, name: 'Cadence API Key', type: 'cadencePublicApi', data });
		assert.equal(good.status, 'OK', good.message);
		const names = stub.requests.filter((q) => q.path === '/api/v1/events/names');
		assert.equal(names.length, 1);
		assert.equal(names[0].headers.authorization, `Bearer ${stub.apiKey}`);

		const wrong = await n8n.createCredential({ name: 'Wrong key', type: 'cadencePublicApi', data: { ...data, apiKey: 'cad_nope' } });
		const bad = await testCredential(n8n, {
			id: wrong.id,
			name: 'Wrong key',
			type: 'cadencePublicApi',
			data: { ...data, apiKey: 'cad_nope' },
		});
		assert.equal(bad.status, 'Error');
	});

	it('Webhook -> Split Out -> Cadence Event: one event per lead, one answer per item, replay is a duplicate', async () => {
		const cred = await n8n.createCredential({
			name: 'Cadence API Key',
			type: 'cadencePublicApi',
			data: { baseUrl: stub.url, apiKey: stub.apiKey },
		});
		const wf = await n8n.importWorkflow(eventsWorkflow('cadence-events', cred.id));
		await n8n.activate(wf.id);
		const body = JSON.stringify({
			events: [
				{ id: 'form-1', email: stub.leads[0].email, event: 'signup', properties: { plan: 'pro' } },
				{ id: 'form-2', email: stub.leads[1].email, event: 'signup' },
				{ id: 'form-3', email: 'stranger@events.test', event: 'signup' },
			],
		});
		const post = () => n8n.webhook('cadence-events', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
		const res = await post();
		assert.equal(res.status, 200, n8n.logs().slice(-2000));
		// Parsed here, not by res.json(): fetch's objects come from another realm than jest's test context.
		const out = JSON.parse(await res.text()) as Array<{
			status: string;
			event?: { leadId: string; enrollments: unknown[] };
			error?: { code: string };
		}>;
		assert.deepEqual(
			out.map((o) => o.status),
			['recorded', 'recorded', 'rejected'],
		);
		assert.equal(out[0].event?.leadId, stub.leads[0].id);
		assert.equal(out[0].event?.enrollments.length, 1);
		assert.equal(out[2].error?.code, 'lead_not_found');

		const batches = stub.requests.filter((q) => q.path === '/api/v1/events/batch');
		assert.equal(batches.length, 1, 'three items, one request');
		assert.equal(batches[0].headers.authorization, `Bearer ${stub.apiKey}`);
		assert.deepEqual((batches[0].body as { events: unknown[] }).events[0], {
			email: stub.leads[0].email,
			name: 'signup',
			properties: { plan: 'pro' },
			idempotencyKey: 'form-1',
		});

		const again = JSON.parse(await (await post()).text()) as Array<{ status: string }>;
		assert.deepEqual(
			again.map((o) => o.status),
			['duplicate', 'duplicate', 'rejected'],
		);
	});
});
