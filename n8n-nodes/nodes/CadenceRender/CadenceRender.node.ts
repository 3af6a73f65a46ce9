import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import * as render from './actions/render.operation';
import { router } from './actions/router';

export class CadenceRender implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Cadence Render Message',
		name: 'cadenceRender',
		icon: { light: 'file:cadence.svg', dark: 'file:cadence.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: 'Liquid: email, SMS, WhatsApp, voice',
		description: 'Render leased messages with the Cadence Liquid renderer (email, SMS, WhatsApp, voice)',
		defaults: { name: 'Render Message' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [...render.description],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return router.call(this);
	}
}
