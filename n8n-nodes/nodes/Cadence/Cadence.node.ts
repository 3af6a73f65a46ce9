import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import * as getRun from './actions/get-run.operation';
import * as leaseBatch from './actions/lease-batch.operation';
import * as reportResults from './actions/report-results.operation';
import { router } from './actions/router';

export class Cadence implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Cadence Campaign',
		name: 'cadence',
		icon: { light: 'file:cadence.svg', dark: 'file:cadence.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Lease due messages of a campaign run, report their outcomes, read a run',
		defaults: { name: 'Cadence Campaign' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'cadenceApi', required: true }],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Get Run', value: 'getRun', action: 'Get a run', description: 'Read a run and its counters' },
					{
						name: 'Lease Batch',
						value: 'leaseBatch',
						action: 'Lease a batch of due messages',
						description: 'Claim due messages with their quota grant; no output when the run is done',
					},
					{
						name: 'Report Results',
						value: 'reportResults',
						action: 'Report results of a batch',
						description: 'Report one outcome per message, idempotently',
					},
				],
				default: 'leaseBatch',
			},
			...leaseBatch.description,
			...reportResults.description,
			...getRun.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return router.call(this);
	}
}
