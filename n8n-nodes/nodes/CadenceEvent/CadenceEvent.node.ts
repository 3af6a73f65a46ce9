import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import * as record from './actions/record.operation';
import { router } from './actions/router';

/**
 * Sends events into Cadence from any workflow (a CRM trigger, a form): each input item becomes one
 * event; triggered campaigns enroll or exit leads on them.
 */
export class CadenceEvent implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Cadence Event',
		name: 'cadenceEvent',
		icon: { light: 'file:cadence.svg', dark: 'file:cadence.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["eventName"]}}',
		description: 'Record an event for a lead (signup, purchase...): triggered campaigns enroll or exit leads on it',
		defaults: { name: 'Cadence Event' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: record.CREDENTIAL, required: true }],
		properties: [...record.description],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return router.call(this);
	}
}
