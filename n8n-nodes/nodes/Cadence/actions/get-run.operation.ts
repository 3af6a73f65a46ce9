import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { backendFor } from '../../shared/n8n-context';
import { runIdOf } from '../../shared/run-id';

export const description: INodeProperties[] = [
	{
		displayName: 'Run ID',
		name: 'runId',
		type: 'string',
		default: '',
		displayOptions: { show: { operation: ['getRun'] } },
		description: "The campaign run to read. Empty: each input item's runId.",
	},
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const backend = await backendFor(this);
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		const runId = String(this.getNodeParameter('runId', i, '') || runIdOf(items[i]));
		if (!runId) throw new Error(`item ${i} carries no runId and Run ID is empty`);
		const run = await backend.getRun(runId);
		out.push({ json: run as IDataObject, pairedItem: { item: i } });
	}
	return out;
}
