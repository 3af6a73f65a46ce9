import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import * as render from './render.operation';

/** One router, one try/catch: continueOnFail turns the error into one item per input item. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	try {
		return [await render.execute.call(this, items)];
	} catch (error) {
		if (this.continueOnFail()) {
			return [items.map((_, i) => ({ json: { error: (error as Error).message }, pairedItem: { item: i } }))];
		}
		throw new NodeOperationError(this.getNode(), error as Error);
	}
}
