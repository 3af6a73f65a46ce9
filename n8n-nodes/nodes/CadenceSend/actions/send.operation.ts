import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { backendFor, n8nHttp } from '../../shared/n8n-context';
import type { WorkItem } from '../../shared/types';
import type { ChannelChoice } from '../channels';
import { sendWorkItems, type SendOptions } from '../engine';

export const description: INodeProperties[] = [
	{
		displayName: 'Channel',
		name: 'channel',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Auto (From the Lease)', value: 'auto', description: 'Sender.kind of the lease; Twilio SMS or voice by the message channel' },
			{ name: 'Gmail', value: 'gmail' },
			{ name: 'Mailgun', value: 'mailgun' },
			{ name: 'Twilio SMS', value: 'twilioSms' },
			{ name: 'Twilio Voice Call', value: 'twilioVoice' },
			{ name: 'WhatsApp Cloud API', value: 'whatsapp' },
		],
		default: 'auto',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Chunk Size',
				name: 'chunkSize',
				type: 'number',
				default: 200,
				description: 'Messages marked sending per backend call, right before their provider calls',
			},
			{
				displayName: 'Mailgun Batch Size',
				name: 'mailgunMaxRecipients',
				type: 'number',
				default: 1000,
				typeOptions: { minValue: 1, maxValue: 1000 },
				description: 'Max recipients per Mailgun call',
			},
			{
				displayName: 'Mailgun Batching',
				name: 'mailgunBatching',
				type: 'boolean',
				default: true,
				description:
					"Whether to send emails of one template to many recipients in one call with recipient-variables, where Mailgun's substitution reproduces each message exactly",
			},
			{
				displayName: 'Max Call Wait (Ms)',
				name: 'maxCallWaitMs',
				type: 'number',
				default: 600000,
				description: 'Voice: the longest a call holds its concurrency slot',
			},
			{
				displayName: 'Max Retries',
				name: 'maxRetries',
				type: 'number',
				default: 3,
				description: 'Retries of errors that prove nothing was accepted (429, refused connection), within the lease',
			},
			{
				displayName: 'Request Timeout (Ms)',
				name: 'requestTimeoutMs',
				type: 'number',
				default: 15000,
				description: 'Provider request timeout; a timeout after the request was written is unknown',
			},
			{
				displayName: 'Wait for Call End',
				name: 'waitForCallEnd',
				type: 'boolean',
				default: false,
				description:
					'Whether a voice call also keeps a concurrency slot in this execution until it ended (maxConcurrentCalls); a fallback, the backend already holds one per call across executions',
			},
		],
	},
];

/** What leaves Send Message: ids and the outcome; no secrets, no rendered bodies. */
function slim(work: WorkItem): IDataObject {
	return {
		runId: work.runId,
		leaseId: work.leaseId,
		slot: work.slot,
		executionLeased: work.executionLeased,
		executionHeldBytes: work.executionHeldBytes,
		sender: { kind: work.sender?.kind, channelId: work.sender?.channelId },
		message: { messageId: work.message?.messageId, channel: work.message?.channel, lead: { id: work.message?.lead?.id } },
		result: work.result,
	};
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const channel = this.getNodeParameter('channel', 0, 'auto') as ChannelChoice;
	const options = this.getNodeParameter('options', 0, {}) as Partial<SendOptions>;
	const work = items.map((item, i) => {
		const w = item.json as unknown as WorkItem;
		if (!w.message?.messageId || !w.leaseId)
			throw new Error(`item ${i} is not a leased message (connect Send Message after Render Message)`);
		return w;
	});
	const results = await sendWorkItems(work, { backend: await backendFor(this), http: n8nHttp(this) }, { ...options, channel });
	return work.map((w, i) => ({
		json: slim({ ...w, result: results.get(w.message.messageId) ?? { outcome: 'deferred', errorCode: 'not_processed', retryAfterMs: 0 } }),
		pairedItem: { item: i },
	}));
}
