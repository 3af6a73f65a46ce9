import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { clickSignatureMatches, parseClickUrl } from '@cadence/render';
import { planMailgunBatches } from '../../nodes/CadenceSend/channels/mailgun-batch';
import { renderWorkItem } from '../../nodes/shared/render-item';
import type { WorkItem } from '../../nodes/shared/types';

const KEY = Buffer.alloc(32, 9).toString('base64url');
const TEMPLATE = {
	channel: 'email' as const,
	subject: 'Hi {{ lead.first_name }}',
	html: '<p>Hi {{ lead.first_name }}</p><a href="https://acme.test/offer">offer</a>',
	text: 'Hi',
};

function item(i: number): WorkItem {
	const token = `tok${i}-${'x'.repeat(12)}`;
	const w: WorkItem = {
		runId: 'run-1',
		leaseId: 'lease-1',
		leaseExpiresAt: new Date(Date.now() + 60_000).toISOString(),
		leasedAt: Date.now(),
		slot: i,
		grant: { count: 10, startInMs: 0, intervalMs: 0, ratePerSecond: 100, concurrency: 2 },
		sender: { kind: 'mailgun', channelId: 'ch-1', config: { from: 'news@mg.test', domain: 'mg.test' }, secrets: { apiKey: 'k' } },
		message: {
			messageId: `m-${i}`,
			channel: 'email',
			lead: { id: `l-${i}`, email: `r${i}@example.com`, phone: null, firstName: `Ada${i}`, lastName: null, timezone: null, attributes: {} },
			template: TEMPLATE,
			tracking: {
				token,
				clickBaseUrl: `https://api.cadence.test/t/c/${token}`,
				openPixelUrl: `https://api.cadence.test/t/o/${token}.gif`,
				unsubscribeUrl: `https://api.cadence.test/u/${token}`,
				clickSigningKey: KEY,
			},
		},
	};
	const r = renderWorkItem(w);
	assert.ok('rendered' in r, JSON.stringify(r));
	return { ...w, rendered: r.rendered };
}

describe("signed click links (the lease's clickSigningKey)", () => {
	it('every tracked link carries a signature the redirect endpoint accepts for that target only', () => {
		const html = (item(1).rendered as { html: string }).html;
		const href = /href="(https:\/\/api\.cadence\.test\/t\/c\/[^"]+)"/.exec(html)![1].replace(/&amp;/g, '&');
		const target = parseClickUrl(href)!;
		assert.equal(target.url, 'https://acme.test/offer');
		assert.ok(clickSignatureMatches(KEY, target));
		assert.equal(clickSignatureMatches(KEY, { ...target, url: 'https://evil.example/' }), false);
		assert.equal(clickSignatureMatches(Buffer.alloc(32, 1).toString('base64url'), target), false);
	});

	it('signed links do not break Mailgun batching: one campaign key, one templated draft', () => {
		const drafts = planMailgunBatches([1, 2, 3].map(item), 1000, () => true);
		assert.equal(drafts.length, 1);
		assert.equal(drafts[0].templated, true);
		assert.match(drafts[0].html!, /&amp;s=[A-Za-z0-9_-]{22}"/);
	});
});
