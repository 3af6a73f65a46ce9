import assert from 'node:assert/strict';
import { renderWorkItem, type RenderItemOptions } from '../../nodes/shared/render-item';
import type { LeaseLead, LeaseMessage, WorkItem } from '../../nodes/shared/types';

export interface EmailItemOptions {
	lead?: Partial<LeaseLead>;
	template: LeaseMessage['template'];
	options?: RenderItemOptions;
	/**
	 * `lease` (default): one token per purpose, named in `tracking.tokens` as the backend leases them;
	 * `inferred`: the same URLs without `tracking.tokens` (read from each URL's path);
	 * `shared`: one token in all three URLs and no `tracking.tokens` (leases before purpose-bound tokens).
	 */
	tokens?: 'lease' | 'inferred' | 'shared';
	/** The campaign's click key, when the links are signed. */
	clickSigningKey?: string;
}

/** Item `i` of a Mailgun lease, rendered by Render Message as n8n would, with its tracking URLs. */
export function emailItem(i: number, { lead = {}, template, options = {}, tokens = 'lease', clickSigningKey }: EmailItemOptions): WorkItem {
	const token = `tok${i}-${'x'.repeat(12)}`;
	const own = (purpose: string) => (tokens === 'shared' ? token : `${token}-${purpose}`);
	const byPurpose = { open: own('o'), click: own('c'), unsubscribe: own('u') };
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
				...(tokens === 'lease' ? { tokens: byPurpose } : {}),
				clickBaseUrl: `https://api.cadence.test/t/c/${byPurpose.click}`,
				openPixelUrl: `https://api.cadence.test/t/o/${byPurpose.open}.gif`,
				unsubscribeUrl: `https://api.cadence.test/u/${byPurpose.unsubscribe}`,
				...(clickSigningKey ? { clickSigningKey } : {}),
			},
		},
	};
	const r = renderWorkItem(w, options);
	assert.ok('rendered' in r, JSON.stringify(r));
	return { ...w, rendered: r.rendered, ...(Object.keys(options).length ? { renderOptions: options } : {}) };
}
