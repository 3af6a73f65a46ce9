import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import * as send from './actions/send.operation';
import { router } from './actions/router';

export class CadenceSend implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Cadence Send Message',
		name: 'cadenceSend',
		icon: { light: 'file:cadence.svg', dark: 'file:cadence.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["channel"]}}',
		description: 'Send rendered messages through Gmail, Mailgun, Twilio or WhatsApp, paced by the lease grant, with one outcome each',
		defaults: { name: 'Send Message' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'cadenceApi', required: true }],
		properties: [...send.description],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return router.call(this);
	}
}
