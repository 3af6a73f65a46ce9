import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import * as record from './record.operation';

/**
 * One router, one try/catch. With Continue On Fail the operation reports item and request problems
 * per item itself; what still reaches this catch concerns every item (no credential, say), so it
 * becomes one error item per input item.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	try {
		return [await record.execute.call(this, items)];
	} catch (error) {
		if (this.continueOnFail()) {
			return [items.map((_, i) => ({ json: { error: (error as Error).message }, pairedItem: { item: i } }))];
		}
		throw new NodeOperationError(this.getNode(), error as Error);
	}
}
