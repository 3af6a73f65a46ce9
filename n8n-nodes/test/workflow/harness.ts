/**
 * Runs the exported workflow (workflows/*.json) in-process with n8n's real execution engine:
 * n8n-workflow's `Workflow` and n8n-core's `WorkflowExecute` (and `WebhookContext` for the trigger),
 * set up the way n8n tests its own nodes (packages/core/nodes-testing): a NodeTypes that serves the
 * node classes, a credentials helper in the execution's additional data, lifecycle hooks that see
 * every node run. Written for this package; no n8n test code is copied.
 *
 * Only our node types are served: the workflow uses no n8n-nodes-base node. The classes come
 * from the TypeScript sources (ts-jest compiles them), so no build is needed; the real-n8n suite
 * covers the bundled `dist/` inside a real n8n.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExecutionLifecycleHooks, WebhookContext, WorkflowExecute } from 'n8n-core';
import {
	createRunExecutionData,
	ICredentialsHelper,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type ICredentialType,
	type IDataObject,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IWebhookData,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { CadenceApi } from '../../credentials/CadenceApi.credentials';
import { CadencePublicApi } from '../../credentials/CadencePublicApi.credentials';
import { Cadence } from '../../nodes/Cadence/Cadence.node';
import { CadenceEvent } from '../../nodes/CadenceEvent/CadenceEvent.node';
import { CadenceRender } from '../../nodes/CadenceRender/CadenceRender.node';
import { CadenceSend } from '../../nodes/CadenceSend/CadenceSend.node';
import { CadenceTrigger } from '../../nodes/CadenceTrigger/CadenceTrigger.node';
import { signTrigger } from '../../nodes/shared/signature';

const PACKAGE_DIR = join(__dirname, '..', '..');
export const WORKFLOW_FILE = join(PACKAGE_DIR, '..', 'workflows', 'cadence-campaign.json');
const PACKAGE_NAME = (JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as { name: string }).name;

/** The exported workflow, a fresh copy per call (tests change parameters). */
export function loadWorkflow(file = WORKFLOW_FILE): IWorkflowBase {
	return JSON.parse(readFileSync(file, 'utf8')) as IWorkflowBase;
}

export function nodeNamed(wf: IWorkflowBase, name: string): INode {
	const node = wf.nodes.find((n) => n.name === name);
	if (!node) throw new Error(`no node "${name}" in workflow "${wf.name}"`);
	return node;
}

/**
 * Our node classes under the type names a workflow uses once the package is installed:
 * `<package name>.<description.name>` (e.g. n8n-nodes-cadence.cadenceSend). Anything else is an error,
 * so a workflow that starts depending on an n8n-nodes-base node fails here loudly.
 */
export class CadenceNodeTypes implements INodeTypes {
	private readonly types = new Map<string, INodeType>();

	constructor() {
		for (const type of [new CadenceTrigger(), new Cadence(), new CadenceRender(), new CadenceSend(), new CadenceEvent()]) {
			this.types.set(`${PACKAGE_NAME}.${type.description.name}`, type);
		}
	}

	getByName(nodeType: string): INodeType {
		return this.getByNameAndVersion(nodeType);
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		const type = this.types.get(nodeType);
		if (!type) throw new Error(`node type "${nodeType}" is not served by the harness (known: ${[...this.types.keys()].join(', ')})`);
		if (version !== undefined && ![type.description.version].flat().includes(version))
			throw new Error(`${nodeType} has no version ${version}`);
		return type;
	}

	getKnownTypes(): IDataObject {
		return Object.fromEntries([...this.types.keys()].map((name) => [name, { className: name, sourcePath: '' }]));
	}
}

/** The credential types of the package, by name (what n8n's CredentialTypes would serve). */
const CREDENTIAL_TYPES: Record<string, ICredentialType | undefined> = Object.fromEntries(
	[new CadenceApi(), new CadencePublicApi()].map((c) => [c.name, c]),
);

/** A stored credential as n8n keeps it: id (what the workflow JSON references), type, decrypted data. */
export interface StoredCredential {
	id: string;
	type: string;
	data: ICredentialDataDecryptedObject;
}

/**
 * What n8n's CredentialsHelper does for `this.getCredentials(type)` in a node: n8n-core resolves the
 * node's credential reference ({ id, name } from the workflow JSON) and asks `getDecrypted`. Here the
 * store is a list; an unknown id or a wrong type throws like a missing credential would in n8n.
 */
class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly store: StoredCredential[]) {
		super();
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const found = this.store.find((c) => c.id === nodeCredentials.id && c.type === type);
		if (!found) throw new Error(`no credential of type "${type}" with id "${nodeCredentials.id}"`);
		return { ...found.data };
	}

	getCredentialsProperties(type: string) {
		return CREDENTIAL_TYPES[type]?.properties ?? [];
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	/**
	 * What n8n's CredentialsHelper.authenticate does for a credential type with a generic
	 * `authenticate` block (cadencePublicApi, used through httpRequestWithAuthentication): every
	 * header / query / body entry is resolved as an expression with `$credentials` and set on the
	 * request. The nodes on cadenceApi send their own Authorization header (BackendClient) and never
	 * come here.
	 */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const auth = CREDENTIAL_TYPES[typeName]?.authenticate;
		if (!auth || typeof auth !== 'object' || auth.type !== 'generic') return requestOptions;
		if (!workflow || !node) throw new Error(`authenticate(${typeName}) needs the workflow and node to resolve $credentials`);
		const resolve = (v: unknown) =>
			typeof v === 'string' && v.startsWith('=')
				? workflow.expression.getSimpleParameterValue(node, v, 'internal', { $credentials: credentials }, undefined, '')
				: v;
		const target = requestOptions as unknown as Record<string, Record<string, unknown> | undefined>;
		for (const [where, entries] of Object.entries(auth.properties)) {
			const into = (target[where] ??= {});
			for (const [key, value] of Object.entries(entries as Record<string, unknown>)) into[String(resolve(key))] = resolve(value);
		}
		return requestOptions;
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('getCredentials (encrypted) is not used by these nodes');
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}
}

const notAvailable = (what: string) => () => {
	throw new Error(`${what} is not available in the workflow test harness`);
};

/**
 * The execution's additional data (IWorkflowExecuteAdditionalData): in n8n the CLI builds it per
 * execution (WorkflowExecuteAdditionalData.getBase). Our nodes need the credentials helper and the
 * hooks; the URLs are placeholders; sub-workflows and AI features throw if anything reaches them.
 */
function additionalData(
	credentials: StoredCredential[],
	hooks: ExecutionLifecycleHooks | undefined,
	extra: Partial<IWorkflowExecuteAdditionalData> = {},
): IWorkflowExecuteAdditionalData {
	const base = 'http://127.0.0.1:5678';
	const data: Partial<IWorkflowExecuteAdditionalData> = {
		executionId: hooks?.executionId ?? 'webhook',
		hooks,
		credentialsHelper: new TestCredentialsHelper(credentials),
		executeWorkflow: notAvailable('executeWorkflow'),
		getRunExecutionData: notAvailable('getRunExecutionData'),
		getRuntimeCredential: notAvailable('getRuntimeCredential'),
		logAiEvent: () => {},
		currentNodeExecutionIndex: 0,
		variables: {},
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: base,
		formBaseUrl: `${base}/form`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		formTestBaseUrl: `${base}/form-test`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		mcpBaseUrl: `${base}/mcp`,
		mcpTestBaseUrl: `${base}/mcp-test`,
		...extra,
	};
	return data as IWorkflowExecuteAdditionalData;
}

function workflowOf(wf: IWorkflowBase): Workflow {
	return new Workflow({
		id: wf.id ?? 'cadence-test',
		name: wf.name,
		nodes: wf.nodes,
		connections: wf.connections,
		settings: wf.settings,
		active: true,
		nodeTypes: new CadenceNodeTypes(),
	});
}

function triggerNode(wf: IWorkflowBase): INode {
	const node = wf.nodes.find((n) => n.type.endsWith('.cadenceTrigger'));
	if (!node) throw new Error(`workflow "${wf.name}" has no Campaign Trigger`);
	return node;
}

export interface SignalAnswer {
	/** HTTP status the trigger answered itself (refusals); 200 when it started the workflow. */
	status: number;
	body: unknown;
	/** The trigger's output items when accepted (what n8n starts the execution with). */
	items?: INodeExecutionData[];
}

/**
 * The Campaign Trigger's real `webhook()` in n8n-core's WebhookContext, given a signed POST the way
 * the backend sends it (X-Cadence-Timestamp / X-Cadence-Signature over the raw body); the request and
 * response are minimal stand-ins for express's (headers, rawBody; status().json()).
 */
export async function signal(
	wf: IWorkflowBase,
	credentials: StoredCredential[],
	payload: IDataObject,
	secret: string,
	at = Date.now(),
): Promise<SignalAnswer> {
	const raw = JSON.stringify(payload);
	const ts = Math.floor(at / 1000);
	const req = {
		headers: { 'content-type': 'application/json', 'x-cadence-timestamp': String(ts), 'x-cadence-signature': signTrigger(secret, ts, raw) },
		rawBody: Buffer.from(raw),
		body: payload,
	};
	const answer: SignalAnswer = { status: 200, body: undefined };
	const res = {
		status(code: number) {
			answer.status = code;
			return res;
		},
		json(body: unknown) {
			answer.body = body;
			return res;
		},
	};
	const workflow = workflowOf(wf);
	const node = workflow.getNode(triggerNode(wf).name)!;
	const nodeType = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const extra = { httpRequest: req, httpResponse: res } as unknown as Partial<IWorkflowExecuteAdditionalData>;
	const webhookData = {
		httpMethod: 'POST',
		node: node.name,
		path: String(node.parameters.path),
		webhookDescription: nodeType.description.webhooks![0],
		workflowId: workflow.id,
	} as unknown as IWebhookData;
	const ctx = new WebhookContext(workflow, node, additionalData(credentials, undefined, extra), 'webhook', webhookData, [], null);
	const result = await nodeType.webhook!.call(ctx);
	if (result.workflowData) answer.items = result.workflowData[0];
	return answer;
}

export interface Execution {
	run: IRun;
	/** Node names in the order n8n ran them (nodeExecuteAfter hook), one entry per run. */
	order: string[];
}

/**
 * Executes the workflow as n8n does after the trigger accepted a signal: the trigger node goes on the
 * execution stack with its output (n8n-core passes a webhook node's data through), then
 * WorkflowExecute runs the graph (v1 order, the Report Results -> Lease Batch loop) until no node
 * has input left. With `startNode` a regular node goes on the stack instead, with `triggerItems` as
 * its input: n8n-core executes it on them (a workflow of one Cadence Event node).
 */
export async function execute(
	wf: IWorkflowBase,
	credentials: StoredCredential[],
	triggerItems: INodeExecutionData[],
	startNode = triggerNode(wf).name,
): Promise<Execution> {
	const workflow = workflowOf(wf);
	const hooks = new ExecutionLifecycleHooks('webhook', `exec-${Date.now()}`, wf);
	const order: string[] = [];
	hooks.addHandler('nodeExecuteAfter', (nodeName) => {
		order.push(nodeName);
	});
	const runData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: workflow.getNode(startNode)!, data: { main: [triggerItems] }, source: null }],
		},
	});
	const run = await new WorkflowExecute(additionalData(credentials, hooks), 'webhook', runData).processRunExecutionData(workflow);
	return { run, order };
}

/** Output items of one node, one array per run of that node ($runIndex). */
export function outputs(run: IRun, nodeName: string): INodeExecutionData[][] {
	return (run.data.resultData.runData[nodeName] ?? []).map((task) => task.data?.main?.[0] ?? []);
}
