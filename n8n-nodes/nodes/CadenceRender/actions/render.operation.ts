import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { renderWorkItem } from '../../shared/render-item';
import type { WorkItem } from '../../shared/types';

export const description: INodeProperties[] = [
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Click and Open Tracking',
				name: 'tracking',
				type: 'boolean',
				default: true,
				description: 'Whether to rewrite links and add the open pixel when the lease carries tracking URLs',
			},
			{
				displayName: 'List-Unsubscribe Headers',
				name: 'unsubscribeHeaders',
				type: 'boolean',
				default: true,
				description: 'Whether to add List-Unsubscribe and List-Unsubscribe-Post (RFC 8058) when the lease carries an unsubscribe URL',
			},
			{
				displayName: 'Render Time Limit (Ms)',
				name: 'renderTimeMs',
				type: 'number',
				default: 250,
				description: 'Per field; a template that takes longer fails with render_time_limit',
			},
		],
	},
];

/** Adds `rendered` to each item, or `result` (skipped: missing_variable / failed: template error). */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const options = this.getNodeParameter('options', 0, {}) as { tracking?: boolean; unsubscribeHeaders?: boolean; renderTimeMs?: number };
	const used: IDataObject = {
		tracking: options.tracking !== false,
		unsubscribeHeaders: options.unsubscribeHeaders !== false,
		...(options.renderTimeMs ? { renderTimeMs: options.renderTimeMs } : {}),
	};
	return items.map((item, i) => {
		const work = item.json as unknown as WorkItem;
		if (work.result) return { json: item.json, pairedItem: { item: i } };
		if (!work.message?.template) throw new Error(`item ${i} has no message.template (connect Render Message after Lease Batch)`);
		const r = renderWorkItem(work, options);
		// Send Message's Mailgun batching re-renders with placeholders: it must use the same options.
		const renderOptions = 'rendered' in r && r.rendered.channel === 'email' ? { renderOptions: used } : {};
		return { json: { ...item.json, ...(r as unknown as IDataObject), ...renderOptions }, pairedItem: { item: i } };
	});
}
