import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { clickSignatureMatches, parseClickUrl } from '@cadence/render';
import { planMailgunBatches } from '../../nodes/CadenceSend/channels/mailgun-batch';
import type { WorkItem } from '../../nodes/shared/types';
import { emailItem } from '../helpers/email-items';

const KEY = Buffer.alloc(32, 9).toString('base64url');
const TEMPLATE = {
	channel: 'email' as const,
	subject: 'Hi {{ lead.first_name }}',
	html: '<p>Hi {{ lead.first_name }}</p><a href="https://acme.test/offer">offer</a>',
	text: 'Hi',
};

const item = (i: number): WorkItem => emailItem(i, { template: TEMPLATE, clickSigningKey: KEY });

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
