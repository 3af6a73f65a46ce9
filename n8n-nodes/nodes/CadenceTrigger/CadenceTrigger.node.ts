import {
	fromParameter,
	NodeConnectionTypes,
	webhookDescriptionFields,
	type IDataObject,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { ReplayCache, verifyTrigger } from '../shared/signature';

const replays = new ReplayCache();

export class CadenceTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Cadence Trigger',
		name: 'cadenceTrigger',
		icon: { light: 'file:cadence.svg', dark: 'file:cadence.dark.svg' },
		group: ['trigger'],
		// 1.1 behaves as 1. n8n's webhook handler evaluates `$parameter["options"]["binaryData"]` (an option
		// of its own Webhook node's version 1) for any trigger of version 1; under n8n 2.x's expression
		// engine that took an isolate for every campaign execution. From 1.1 on it evaluates nothing here.
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{"/webhook/" + $parameter["path"]}}',
		description: 'Starts a sending loop when the Cadence backend signals a campaign run (HMAC-signed)',
		defaults: { name: 'Campaign Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'cadenceApi', required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				isFullPath: true,
				// The same `={{$parameter["path"]}}` for the editor, plus a resolver n8n uses instead of its
				// expression engine when the node's parameters hold no expression (n8n-workflow 2.41).
				...webhookDescriptionFields({ path: fromParameter('path') }),
			},
		],
		properties: [
			{
				displayName: 'Path',
				name: 'path',
				type: 'string',
				default: 'cadence-campaign',
				required: true,
				description: 'Webhook path; the backend posts to &lt;n8n&gt;/webhook/&lt;path&gt;',
			},
			{
				displayName: 'Tolerance (Seconds)',
				name: 'toleranceSeconds',
				type: 'number',
				default: 300,
				typeOptions: { minValue: 1 },
				description: 'Signals whose X-Cadence-Timestamp is further than this from the clock are refused (replays)',
			},
		],
	};

	/**
	 * Nothing to register on a third party: the backend is configured with this URL
	 * (N8N_WEBHOOK_URL + /webhook/<path>), so the lifecycle is a no-op that always succeeds.
	 */
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const req = this.getRequestObject();
		const res = this.getResponseObject();
		const creds = await this.getCredentials<{ signingSecret?: string }>('cadenceApi');
		const tolerance = this.getNodeParameter('toleranceSeconds', 300) as number;
		if (!req.rawBody && typeof req.readRawBody === 'function') await req.readRawBody();
		const raw: Buffer | string = req.rawBody ?? '';
		const header = (name: string) => {
			const v = req.headers[name];
			return Array.isArray(v) ? v[0] : v;
		};
		const check = verifyTrigger(
			String(creds.signingSecret ?? ''),
			header('x-cadence-timestamp'),
			header('x-cadence-signature'),
			raw,
			Date.now(),
			replays,
			tolerance,
		);
		if (!check.ok) {
			res
				.status(check.reason === 'replayed' ? 409 : 401)
				.json({ statusCode: 401, code: `trigger_${check.reason}`, message: 'Cadence trigger refused' });
			return { noWebhookResponse: true };
		}
		let body: IDataObject;
		try {
			body = JSON.parse(raw.toString()) as IDataObject;
		} catch {
			res.status(400).json({ statusCode: 400, code: 'trigger_invalid_body', message: 'body is not JSON' });
			return { noWebhookResponse: true };
		}
		if (typeof body.runId !== 'string' || body.runId === '') {
			res.status(400).json({ statusCode: 400, code: 'trigger_missing_run', message: 'runId is required' });
			return { noWebhookResponse: true };
		}
		return { workflowData: [[{ json: { ...body, receivedAt: new Date().toISOString() } }]] };
	}
}
