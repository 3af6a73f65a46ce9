import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import * as getRun from './get-run.operation';
import * as leaseBatch from './lease-batch.operation';
import * as reportResults from './report-results.operation';

const operations = { leaseBatch, reportResults, getRun } as const;

/** One router, one try/catch: continueOnFail turns the error into one item per input item. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const operation = this.getNodeParameter('operation', 0) as keyof typeof operations;
	try {
		const op = operations[operation];
		if (!op) throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
		return [await op.execute.call(this, items)];
	} catch (error) {
		if (this.continueOnFail()) {
			return [items.map((_, i) => ({ json: { error: (error as Error).message }, pairedItem: { item: i } }))];
		}
		throw new NodeOperationError(this.getNode(), error as Error);
	}
}
