// The Cadence Event node executed by n8n-core's real WorkflowExecute (harness.ts): parameters and
// expressions resolved per item by n8n, the cadencePublicApi credential applied by
// httpRequestWithAuthentication, Continue On Fail as n8n sets it; against a local HTTP double of
// POST /api/v1/events/batch (test/helpers/stub-events.ts) that checks the key and answers per the contract.
import { afterAll, beforeAll, beforeEach, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IDataObject, INode, INodeExecutionData, IWorkflowBase } from 'n8n-workflow';
import { startStubEvents, stubLead, type StubEvents } from '../helpers/stub-events';
import { execute, outputs, type StoredCredential } from './harness';

const NODE = 'Cadence Event';
const CRED_ID = 'CadencePublicCred01';

function workflow(parameters: IDataObject, node: Partial<INode> = {}): IWorkflowBase {
	return {
		id: 'cadence-event-test',
		name: 'Cadence Event test',
		active: false,
		nodes: [
			{
				id: '7d1c3a52-0000-4000-8000-000000000001',
				name: NODE,
				type: 'n8n-nodes-cadence.cadenceEvent',
				typeVersion: 1,
				position: [0, 0],
				parameters,
				credentials: { cadencePublicApi: { id: CRED_ID, name: 'Cadence API Key' } },
				...node,
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
	} as unknown as IWorkflowBase;
}

const items = (list: IDataObject[]): INodeExecutionData[] => list.map((json) => ({ json }));

describe('Cadence Event in n8n-core: items -> POST /api/v1/events/batch -> one result per item', () => {
	let stub: StubEvents;
	let credentials: StoredCredential[];

	beforeAll(async () => {
		stub = await startStubEvents();
		stub.leads.push(...Array.from({ length: 1300 }, (_, i) => stubLead(i)));
		stub.campaigns.push({ id: 'c0ffee00-0000-4000-8000-000000000001', event: 'signup', exitOn: 'purchase' });
		credentials = [{ id: CRED_ID, type: 'cadencePublicApi', data: { baseUrl: `${stub.url}/`, apiKey: stub.apiKey } }];
	});
	afterAll(() => stub?.close());
	beforeEach(() => {
		stub.requests.length = 0;
		stub.failNext.length = 0;
	});

	async function runNode(parameters: IDataObject, input: INodeExecutionData[], node: Partial<INode> = {}, creds = credentials) {
		const { run } = await execute(workflow(parameters, node), creds, input, NODE);
		return { run, out: outputs(run, NODE)[0] ?? [], error: run.data.resultData.error };
	}
	const batches = () => stub.requests.filter((q) => q.method === 'POST' && q.path === '/api/v1/events/batch');
	const sent = () => batches().flatMap((q) => (q.body as { events: IDataObject[] }).events);

	const signup = {
		identifyBy: 'email',
		email: '={{ $json.email }}',
		eventName: 'signup',
		sendProperties: true,
		specifyProperties: 'keypair',
		propertiesUi: {
			property: [
				{ name: 'plan', value: '={{ $json.plan }}' },
				{ name: 'total', value: '={{ $json.total }}' },
			],
		},
		idempotencyKey: '={{ "crm-" + $json.id }}',
	};

	it('1,201 items: three requests of 500, 500 and 201 with the API key; every item gets its event and enrollment, paired', async () => {
		const input = items(
			Array.from({ length: 1201 }, (_, i) => ({ id: i, email: stub.leads[i].email, plan: i % 2 ? 'pro' : 'free', total: i * 10 })),
		);
		const { run, out } = await runNode(signup, input);
		assert.equal(run.status, 'success', JSON.stringify(run.data.resultData.error));

		const posts = batches();
		assert.deepEqual(
			posts.map((q) => (q.body as { events: unknown[] }).events.length),
			[500, 500, 201],
		);
		for (const q of posts) {
			assert.equal(q.headers.authorization, `Bearer ${stub.apiKey}`);
			assert.match(String(q.headers['content-type']), /^application\/json/);
		}
		// The base URL's trailing slash is dropped; the body is exactly { events: [...] }.
		assert.deepEqual(Object.keys(posts[0].body as object), ['events']);
		assert.deepEqual(sent()[0], {
			email: 'lead0@events.test',
			name: 'signup',
			properties: { plan: 'free', total: 0 },
			idempotencyKey: 'crm-0',
		});
		assert.deepEqual(sent()[1201 - 1], {
			email: 'lead1200@events.test',
			name: 'signup',
			properties: { plan: 'free', total: 12000 },
			idempotencyKey: 'crm-1200',
		});

		assert.equal(out.length, 1201);
		out.forEach((item, i) => {
			assert.deepEqual(item.pairedItem, { item: i });
			assert.equal(item.json.status, 'recorded');
		});
		const event = out[7].json.event as IDataObject;
		assert.equal(event.leadId, stub.leads[7].id);
		assert.deepEqual(event.properties, { plan: 'pro', total: 70 });
		assert.equal(event.idempotencyKey, 'crm-7');
		assert.deepEqual(event.enrollments, [{ id: (event.enrollments as IDataObject[])[0].id, campaignId: stub.campaigns[0].id, entry: 1 }]);
		assert.deepEqual(event.exits, []);
	});

	it('the same items again (an n8n retry): every one a duplicate, nothing recorded twice', async () => {
		const before = stub.events.length;
		const input = items([0, 1, 2].map((i) => ({ id: i, email: stub.leads[i].email, plan: 'free', total: 0 })));
		const { out } = await runNode(signup, input);
		assert.deepEqual(
			out.map((o) => o.json.status),
			['duplicate', 'duplicate', 'duplicate'],
		);
		assert.equal((out[0].json.event as IDataObject).duplicate, true);
		assert.equal(stub.events.length, before);
	});

	describe('a partly rejected batch', () => {
		const mixed = () =>
			items([
				{ by: 'phone', phone: stub.leads[1250].phone, event: 'purchase', props: { cart: { total: 120 } } },
				{ by: 'email', email: 'nobody@events.test', event: 'purchase', props: {} },
				{ by: 'email', email: stub.leads[1251].email, event: 'not a name', props: {} },
				{ by: 'leadId', leadId: stub.leads[1252].id, event: 'signup', props: { plan: 'pro' }, at: '2026-01-02T03:04:05Z' },
				{ by: 'email', email: stub.leads[1253].email, event: 'signup', props: [1, 2] },
			]);
		const params = {
			identifyBy: '={{ $json.by }}',
			email: '={{ $json.email }}',
			phone: '={{ $json.phone }}',
			leadId: '={{ $json.leadId }}',
			eventName: '={{ $json.event }}',
			sendProperties: true,
			specifyProperties: 'json',
			propertiesJson: '={{ $json.props }}',
			options: { occurredAt: '={{ $json.at }}' },
		};

		it('with Continue On Fail: recorded, lead_not_found from the backend, validation_failed here (not sent), one item each', async () => {
			const { run, out } = await runNode(params, mixed(), { onError: 'continueRegularOutput' });
			assert.equal(run.status, 'success');
			// Items 2 and 4 never left n8n.
			assert.deepEqual(sent(), [
				{ phone: stub.leads[1250].phone, name: 'purchase', properties: { cart: { total: 120 } } },
				{ email: 'nobody@events.test', name: 'purchase', properties: {} },
				{ leadId: stub.leads[1252].id, name: 'signup', properties: { plan: 'pro' }, occurredAt: '2026-01-02T03:04:05Z' },
			]);
			assert.deepEqual(
				out.map((o) => [o.json.status, (o.json.error as IDataObject | undefined)?.code ?? null]),
				[
					['recorded', null],
					['rejected', 'lead_not_found'],
					['rejected', 'validation_failed'],
					['recorded', null],
					['rejected', 'validation_failed'],
				],
			);
			assert.deepEqual(
				out.map((o) => o.pairedItem),
				[0, 1, 2, 3, 4].map((item) => ({ item })),
			);
			assert.match(String((out[2].json.error as IDataObject).message), /Event Name "not a name"/);
			assert.match(String((out[4].json.error as IDataObject).message), /JSON object/);
			assert.equal((out[3].json.event as IDataObject).occurredAt, '2026-01-02T03:04:05Z');
		});

		it('without it: an item invalid here fails the node before anything is sent', async () => {
			const { run, error } = await runNode(params, mixed());
			assert.equal(run.status, 'error');
			assert.match(String(error?.message), /^Item 2: validation_failed: Event Name "not a name"/);
			assert.equal(batches().length, 0);
		});

		it('without it: a backend rejection fails the node naming the item and code, after the batch was recorded', async () => {
			const before = stub.events.length;
			const { run, error } = await runNode(
				params,
				mixed().filter((_, i) => i < 2),
				{},
			);
			assert.equal(run.status, 'error');
			assert.match(String(error?.message), /^Item 1: lead_not_found: no lead with email nobody@events\.test/);
			assert.match(String((error as unknown as IDataObject).description), /1 rejected, 1 recorded, 0 duplicates/);
			assert.equal(batches().length, 1);
			assert.equal(stub.events.length, before + 1, 'the valid event of the batch is recorded');
		});
	});

	describe('the whole request fails', () => {
		const one = () => items([{ id: 'x1', email: stub.leads[1260].email, plan: 'pro', total: 1 }]);

		it('401 (a wrong key): the node fails with the status and code; with Continue On Fail each item carries it', async () => {
			const wrong: StoredCredential[] = [{ id: CRED_ID, type: 'cadencePublicApi', data: { baseUrl: stub.url, apiKey: 'cad_wrong' } }];
			const failed = await runNode(signup, one(), {}, wrong);
			assert.equal(failed.run.status, 'error');
			assert.match(String(failed.error?.message), /answered 401 unauthorized: A valid API key is required/);
			assert.equal(batches()[0].headers.authorization, 'Bearer cad_wrong');

			const { out } = await runNode(signup, [...one(), ...one()], { onError: 'continueRegularOutput' }, wrong);
			assert.deepEqual(
				out.map((o) => o.json),
				[0, 1].map(() => ({
					status: 'failed',
					error: {
						code: 'unauthorized',
						httpStatus: 401,
						message: `POST ${stub.url}/api/v1/events/batch answered 401 unauthorized: A valid API key is required`,
					},
				})),
			);
		});

		it('a 503 on the second of three requests: with Continue On Fail only its items fail; without, the node fails saying what was sent', async () => {
			const input = items([1261, 1262, 1263, 1264, 1265].map((n) => ({ id: `r${n}`, email: stub.leads[n].email, plan: 'pro', total: n })));
			stub.failNext.push(0, 503);
			const { out } = await runNode({ ...signup, options: { batchSize: 2 } }, input, { onError: 'continueRegularOutput' });
			assert.deepEqual(
				batches().map((q) => (q.body as { events: unknown[] }).events.length),
				[2, 2, 1],
			);
			assert.deepEqual(
				out.map((o) => o.json.status),
				['recorded', 'recorded', 'failed', 'failed', 'recorded'],
			);
			assert.deepEqual(out[2].json.error, {
				code: 'internal_error',
				httpStatus: 503,
				message: `POST ${stub.url}/api/v1/events/batch answered 503 internal_error: forced 503`,
			});

			stub.requests.length = 0;
			stub.failNext.push(0, 503);
			const { run: failed, error } = await runNode({ ...signup, options: { batchSize: 2 } }, input);
			assert.equal(failed.status, 'error');
			assert.match(String(error?.message), /answered 503/);
			assert.match(
				String((error as unknown as IDataObject).description),
				/Request 2 of 3 \(items 2-3\); the items of the requests before it were sent/,
			);
			assert.equal(batches().length, 2, 'no request after the failed one');
		});

		it('no answer: a refused connection and a time-out are per-item errors with Continue On Fail', async () => {
			const silent = http.createServer(() => undefined);
			await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
			const silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
			try {
				const slow: StoredCredential[] = [{ id: CRED_ID, type: 'cadencePublicApi', data: { baseUrl: silentUrl, apiKey: stub.apiKey } }];
				const started = Date.now();
				const timedOut = await runNode({ ...signup, options: { timeoutMs: 1000 } }, one(), { onError: 'continueRegularOutput' }, slow);
				assert.ok(Date.now() - started < 10_000, 'the time-out bounds the request');
				assert.equal(timedOut.out[0].json.status, 'failed');
				assert.equal((timedOut.out[0].json.error as IDataObject).code, 'ETIMEDOUT');
			} finally {
				silent.closeAllConnections();
				await new Promise<void>((r) => silent.close(() => r()));
			}
			// The silent server's port is closed now: nothing listens there.
			const refused: StoredCredential[] = [{ id: CRED_ID, type: 'cadencePublicApi', data: { baseUrl: silentUrl, apiKey: stub.apiKey } }];
			const r = await runNode(signup, one(), { onError: 'continueRegularOutput' }, refused);
			assert.equal((r.out[0].json.error as IDataObject).code, 'ECONNREFUSED');
			const thrown = await runNode(signup, one(), {}, refused);
			assert.equal(thrown.run.status, 'error');
			assert.match(String(thrown.error?.message), /refused the connection/);
			assert.match(String((thrown.error as unknown as IDataObject).description), /got no answer \(ECONNREFUSED\).*Request 1 of 1/);
		});
	});
});
