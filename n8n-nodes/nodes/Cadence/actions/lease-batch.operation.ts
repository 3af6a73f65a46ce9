import { isGranted, leaseHeldBytes } from '@cadence/contracts';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { backendFor } from '../../shared/n8n-context';
import { runIdOf } from '../../shared/run-id';
import { workItemsOf } from '../../shared/work-items';

const show = { show: { operation: ['leaseBatch'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Run ID',
		name: 'runId',
		type: 'string',
		default: '',
		displayOptions: show,
		description:
			"The campaign run to lease for. Empty: each input item's runId (the Campaign Trigger's item, or Report Results' in the loop), read without an expression.",
	},
	{
		displayName: 'Max Messages',
		name: 'max',
		type: 'number',
		default: 500,
		typeOptions: { minValue: 1 },
		displayOptions: show,
		description: 'Upper bound of messages per lease (the backend caps it by the campaign batch size)',
	},
	{
		displayName: 'Max Loop Iterations',
		name: 'maxIterations',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 1 },
		displayOptions: show,
		description:
			"After this many leases in one execution ($runIndex) the execution ends, which keeps n8n's run data bounded; the backend triggers runs that still have due work again",
	},
	{
		displayName: 'Max Messages per Execution',
		name: 'maxMessagesPerExecution',
		type: 'number',
		default: 2000,
		typeOptions: { minValue: 1 },
		displayOptions: show,
		description:
			"Once this many messages were leased in one execution (the last lease may pass it), the execution ends like at Max Loop Iterations: n8n keeps every item of every iteration until the execution ends, so this bounds its memory whatever the campaign's size",
	},
	{
		displayName: 'Max Held Data per Execution (MB)',
		name: 'maxHeldMbPerExecution',
		type: 'number',
		default: 8,
		typeOptions: { minValue: 1 },
		displayOptions: show,
		description:
			"Once this execution's leases make n8n hold about this much (each message's item and rendered content, estimated from its template's size), the execution ends like at Max Messages per Execution: with large HTML emails this, not the message count, bounds n8n's memory",
	},
	{
		displayName: 'Max Wait (Ms)',
		name: 'maxWaitMs',
		type: 'number',
		default: 60000,
		typeOptions: { minValue: 0 },
		displayOptions: show,
		description:
			'When the sender has no quota room yet (no items, retryAfterMs > 0) wait and lease again, for at most this long in total; then end the execution',
	},
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Leases due messages: one output item per message (each carrying the run, lease, grant,
 * sender, slot and the lease time) or no items when the run is done, which ends the loop.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const runIndex = Number(this.getWorkflowDataProxy(0).$runIndex ?? 0);
	const maxIterations = this.getNodeParameter('maxIterations', 0, 50) as number;
	const maxMessages = this.getNodeParameter('maxMessagesPerExecution', 0, 2000) as number;
	const maxHeldBytes = (this.getNodeParameter('maxHeldMbPerExecution', 0, 8) as number) * 1024 * 1024;
	const backend = await backendFor(this);
	const runs = new Map<string, number>();
	const input: INodeExecutionData[] = items.length > 0 ? items : [{ json: {} }];
	input.forEach((_, i) => {
		const runId = String(this.getNodeParameter('runId', i, '') || runIdOf(input[i]));
		if (runId && !runs.has(runId)) runs.set(runId, i);
	});
	if (runs.size === 0) throw new Error('No run ID: the input items carry no runId');
	if (runIndex >= maxIterations) {
		for (const runId of runs.keys()) await backend.handoff(runId, 'iteration_limit');
		return [];
	}

	const out: INodeExecutionData[] = [];
	for (const [runId, itemIndex] of runs) {
		// Report Results passes on how many this execution leased so far (none on the trigger's item).
		const leasedBefore = Number(input[itemIndex].json.executionLeased ?? 0) || 0;
		const heldBefore = Number(input[itemIndex].json.executionHeldBytes ?? 0) || 0;
		if (leasedBefore >= maxMessages || heldBefore >= maxHeldBytes) {
			await backend.handoff(runId, leasedBefore >= maxMessages ? 'message_limit' : 'data_limit');
			continue;
		}
		const max = this.getNodeParameter('max', itemIndex, 500) as number;
		const maxWaitMs = this.getNodeParameter('maxWaitMs', itemIndex, 60000) as number;
		let waited = 0;
		for (;;) {
			const lease = await backend.lease(runId, max);
			const leasedAt = Date.now();
			if (lease.done || !Array.isArray(lease.items)) break;
			if (lease.items.length === 0) {
				const wait = Math.max(0, lease.retryAfterMs ?? 0);
				if (wait === 0) break;
				if (waited + wait > maxWaitMs) {
					await backend.handoff(runId, 'quota_wait');
					break;
				}
				await sleep(wait);
				waited += wait;
				continue;
			}
			// The client checked the lease against the contract: with items, lease id, grant and sender are set.
			if (!isGranted(lease)) break;
			const execution = { executionLeased: leasedBefore + lease.items.length, executionHeldBytes: heldBefore + leaseHeldBytes(lease) };
			for (const json of workItemsOf(lease, runId, leasedAt, execution))
				out.push({ json: json as unknown as IDataObject, pairedItem: { item: itemIndex } });
			break;
		}
	}
	return out;
}
