import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { backendFor } from '../../shared/n8n-context';

export const description: INodeProperties[] = [
	{
		displayName: 'Run ID',
		name: 'runId',
		type: 'string',
		default: '={{ $json.runId }}',
		required: true,
		displayOptions: { show: { operation: ['getRun'] } },
	},
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const backend = await backendFor(this);
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		const run = await backend.getRun(String(this.getNodeParameter('runId', i)));
		out.push({ json: run as IDataObject, pairedItem: { item: i } });
	}
	return out;
}
