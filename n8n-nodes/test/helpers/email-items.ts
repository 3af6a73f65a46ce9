import assert from 'node:assert/strict';
import { renderWorkItem, type RenderItemOptions } from '../../nodes/shared/render-item';
import type { LeaseLead, LeaseMessage, WorkItem } from '../../nodes/shared/types';

export interface EmailItemOptions {
	lead?: Partial<LeaseLead>;
	template: LeaseMessage['template'];
	options?: RenderItemOptions;
	/** false: the lease's tracking has no `token` (older backends), only URLs carrying it. */
	withToken?: boolean;
	/** The campaign's click key, when the links are signed. */
	clickSigningKey?: string;
}

/** Item `i` of a Mailgun lease, rendered by Render Message as n8n would, with its tracking URLs. */
export function emailItem(i: number, { lead = {}, template, options = {}, withToken = true, clickSigningKey }: EmailItemOptions): WorkItem {
	const token = `tok${i}-${'x'.repeat(12)}`;
	const w: WorkItem = {
		runId: 'run-1',
		leaseId: 'lease-1',
		leaseExpiresAt: new Date(Date.now() + 60_000).toISOString(),
		leasedAt: Date.now(),
		slot: i,
		grant: { count: 100, startInMs: 0, intervalMs: 0, ratePerSecond: 100, concurrency: 2 },
		sender: { kind: 'mailgun', channelId: 'ch-1', config: { from: 'news@mg.test', domain: 'mg.test' }, secrets: { apiKey: 'k' } },
		message: {
			messageId: `m-${i}`,
			channel: 'email',
			lead: {
				id: `l-${i}`,
				email: `r${i}@example.com`,
				phone: null,
				firstName: `Ada${i}`,
				lastName: null,
				timezone: null,
				attributes: { company: `Acme ${i}` },
				...lead,
			},
			template,
			tracking: {
				...(withToken ? { token } : {}),
				clickBaseUrl: `https://api.cadence.test/t/c/${token}`,
				openPixelUrl: `https://api.cadence.test/t/o/${token}.gif`,
				unsubscribeUrl: `https://api.cadence.test/u/${token}`,
				...(clickSigningKey ? { clickSigningKey } : {}),
			},
		},
	};
	const r = renderWorkItem(w, options);
	assert.ok('rendered' in r, JSON.stringify(r));
	return { ...w, rendered: r.rendered, ...(Object.keys(options).length ? { renderOptions: options } : {}) };
}
