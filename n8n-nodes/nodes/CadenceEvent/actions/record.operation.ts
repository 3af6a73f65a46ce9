import {
	NodeApiError,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type JsonObject,
} from 'n8n-workflow';
import { n8nHttp } from '../../shared/n8n-context';
import { EventsRequestError, postEventBatch } from '../events-client';
import {
	buildEvent,
	chunks,
	invalid,
	MAX_BATCH,
	propertiesFromFields,
	propertiesFromJson,
	type Built,
	type EventInput,
	type IdentifyBy,
	type ItemResult,
} from '../events';

export const CREDENTIAL = 'cadencePublicApi';

const identifier = (by: IdentifyBy, displayName: string, placeholder: string, description: string): INodeProperties => ({
	displayName,
	name: by,
	type: 'string',
	default: `={{ $json.${by} }}`,
	placeholder,
	required: true,
	displayOptions: { show: { identifyBy: [by] } },
	description,
});

const withProperties = { show: { sendProperties: [true] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Identify Lead By',
		name: 'identifyBy',
		type: 'options',
		options: [
			{ name: 'Email', value: 'email', description: "The lead with this email address in the API key's organization" },
			{ name: 'Lead ID', value: 'leadId', description: "The lead's Cadence ID (UUID)" },
			{ name: 'Phone', value: 'phone', description: 'The lead with this phone number (E.164, e.g. +14155550123)' },
		],
		default: 'email',
		description: 'Which one of the lead identifiers the event carries; an event for an unknown lead is rejected (lead_not_found)',
	},
	identifier('email', 'Email', 'name@email.com', "The lead's email address"),
	identifier('leadId', 'Lead ID', '5f1c0f3e-...', "The lead's Cadence ID"),
	identifier('phone', 'Phone', '+14155550123', "The lead's phone number in E.164 form"),
	{
		displayName: 'Event Name',
		name: 'eventName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'signup',
		description:
			'What happened, as triggered campaigns name it in their trigger (e.g. signup, purchase, trial.ended): 1 to 100 letters, digits and _ . : - starting with a letter or digit.',
	},
	{
		displayName: 'Send Properties',
		name: 'sendProperties',
		type: 'boolean',
		default: false,
		description: 'Whether the event carries properties (trigger conditions such as plan equals pro read them)',
	},
	{
		displayName: 'Specify Properties',
		name: 'specifyProperties',
		type: 'options',
		displayOptions: withProperties,
		options: [
			{ name: 'Using Fields Below', value: 'keypair' },
			{ name: 'Using JSON', value: 'json' },
		],
		default: 'keypair',
	},
	{
		displayName: 'Properties',
		name: 'propertiesUi',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Property',
		default: { property: [{ name: '', value: '' }] },
		displayOptions: { show: { sendProperties: [true], specifyProperties: ['keypair'] } },
		options: [
			{
				name: 'property',
				displayName: 'Property',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'plan' },
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						placeholder: 'pro',
						description: 'An expression giving a number or a boolean keeps its type (conditions such as greater_than compare numbers)',
					},
				],
			},
		],
	},
	{
		displayName: 'Properties (JSON)',
		name: 'propertiesJson',
		type: 'json',
		default: '{}',
		displayOptions: { show: { sendProperties: [true], specifyProperties: ['json'] } },
		description: 'A JSON object, nested as deep as 4 levels, up to 8 KB (e.g. {"plan": "pro", "cart": {"total": 120}})',
	},
	{
		displayName: 'Idempotency Key',
		name: 'idempotencyKey',
		type: 'string',
		default: '',
		placeholder: 'crm-deal-4711',
		description:
			"Optional, up to 255 characters: an event whose key was already recorded is not recorded again (status duplicate), so give the source's own ID for it (the CRM record or form submission ID) and a retried execution or a re-delivered webhook changes nothing",
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Batch Size',
				name: 'batchSize',
				type: 'number',
				default: MAX_BATCH,
				typeOptions: { minValue: 1, maxValue: MAX_BATCH },
				description: 'Events per request to the backend (at most 500)',
			},
			{
				displayName: 'Occurred At',
				name: 'occurredAt',
				type: 'string',
				default: '',
				placeholder: '={{ $json.createdAt }}',
				description:
					'When it happened (ISO 8601 with its offset, e.g. 2026-12-02T08:00:00Z, or a date from an expression); default: when the backend receives it. At most a day ahead.',
			},
			{
				displayName: 'Timeout (Ms)',
				name: 'timeoutMs',
				type: 'number',
				default: 60000,
				typeOptions: { minValue: 1000 },
				description:
					'A request without an answer by then fails; its events may still have been recorded (idempotency keys make a retry safe)',
			},
		],
	},
];

interface Options {
	batchSize?: number;
	occurredAt?: unknown;
	timeoutMs?: number;
}

/** The event of item i, or why there is none (checked like the backend would, reported the same way). */
function eventOf(ctx: IExecuteFunctions, i: number): Built {
	try {
		const identifyBy = ctx.getNodeParameter('identifyBy', i) as IdentifyBy;
		let properties: unknown;
		if (ctx.getNodeParameter('sendProperties', i, false)) {
			const parsed =
				ctx.getNodeParameter('specifyProperties', i, 'keypair') === 'json'
					? propertiesFromJson(ctx.getNodeParameter('propertiesJson', i, ''))
					: propertiesFromFields(ctx.getNodeParameter('propertiesUi', i, {}));
			if (!parsed.ok) return invalid(parsed.message);
			properties = parsed.value;
		}
		const options = ctx.getNodeParameter('options', i, {}) as Options;
		return buildEvent({
			identifyBy,
			identifier: ctx.getNodeParameter(identifyBy, i, ''),
			name: ctx.getNodeParameter('eventName', i, ''),
			properties,
			occurredAt: options.occurredAt,
			idempotencyKey: ctx.getNodeParameter('idempotencyKey', i, ''),
		});
	} catch (err) {
		// An expression that cannot be resolved for this item: the item has no event either.
		return invalid((err as Error).message);
	}
}

const rejectedError = (ctx: IExecuteFunctions, i: number, r: ItemResult, counts: string) =>
	new NodeOperationError(ctx.getNode(), `Item ${i}: ${'error' in r ? `${r.error.code}: ${r.error.message}` : r.status}`, {
		itemIndex: i,
		description: counts,
	});

/**
 * Every input item becomes one event; valid ones go to POST /events/batch in chunks of up to 500
 * (one request each, in item order). Output: one item per input item, paired, with its result.
 * Without Continue On Fail an item that is not valid here stops the node before anything is sent,
 * and one the backend rejected fails it after every chunk was sent (the others are recorded).
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	if (items.length === 0) return [];
	const continueOnFail = this.continueOnFail();
	const results: ItemResult[] = new Array<ItemResult>(items.length);
	const valid: Array<{ index: number; event: EventInput }> = [];
	items.forEach((_, i) => {
		const built = eventOf(this, i);
		if (built.ok) valid.push({ index: i, event: built.event });
		else results[i] = { status: 'rejected', error: built.error };
	});
	const firstInvalid = results.findIndex((r) => r !== undefined);
	if (!continueOnFail && firstInvalid >= 0)
		throw rejectedError(this, firstInvalid, results[firstInvalid], 'Nothing was sent: every item is checked before the first request');

	const options = this.getNodeParameter('options', 0, {}) as Options;
	const { baseUrl } = await this.getCredentials<{ baseUrl: string }>(CREDENTIAL);
	const http = n8nHttp(this, CREDENTIAL);
	const parts = chunks(valid, options.batchSize ?? MAX_BATCH);
	for (const [n, part] of parts.entries()) {
		try {
			const answers = await postEventBatch(
				http,
				String(baseUrl),
				part.map((p) => p.event),
				options.timeoutMs ?? 60_000,
			);
			answers.forEach((answer, k) => (results[part[k].index] = answer));
		} catch (err) {
			if (!(err instanceof EventsRequestError)) throw new NodeOperationError(this.getNode(), err as Error);
			if (continueOnFail) {
				for (const p of part) results[p.index] = { status: 'failed', error: err.error };
				continue;
			}
			const where = `Request ${n + 1} of ${parts.length} (items ${part[0].index}-${part[part.length - 1].index})${n > 0 ? '; the items of the requests before it were sent' : ''}`;
			if (err.error.httpStatus !== undefined)
				throw new NodeApiError(this.getNode(), (err.body ?? {}) as JsonObject, {
					httpCode: String(err.error.httpStatus),
					message: err.message,
					description: where,
				});
			// n8n words a network code its own way in the message (ECONNREFUSED: "The service refused the
			// connection"); the description keeps ours, with the URL.
			throw new NodeOperationError(this.getNode(), err.message, { description: `${err.message}. ${where}` });
		}
	}

	const firstRejected = results.findIndex((r) => r.status === 'rejected');
	if (!continueOnFail && firstRejected >= 0) {
		const count = (s: ItemResult['status']) => results.filter((r) => r.status === s).length;
		throw rejectedError(
			this,
			firstRejected,
			results[firstRejected],
			`${count('rejected')} rejected, ${count('recorded')} recorded, ${count('duplicate')} duplicates; turn on Continue On Fail to get every item's result`,
		);
	}
	return results.map((r, i) => ({ json: r, pairedItem: { item: i } }));
}
