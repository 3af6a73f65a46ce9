import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import type { GrantedLease, LeaseItem, MessageTemplate } from '@cadence/contracts';
import { BackendClient, BackendError } from '../../nodes/shared/backend-client';
import type { HttpFn } from '../../nodes/shared/http';
import { renderWorkItem } from '../../nodes/shared/render-item';
import type { WorkItem } from '../../nodes/shared/types';
import { workItemsOf } from '../../nodes/shared/work-items';

const ID = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** A lease item exactly as the backend sends it. */
function item(template: MessageTemplate, n = 1): LeaseItem {
	return {
		messageId: ID(n),
		channel: template.channel,
		to: '+14155550123',
		lead: { id: ID(2), email: null, phone: '+14155550123', firstName: 'Ada', lastName: 'Lovelace', timezone: null, attributes: {} },
		campaign: { id: ID(3), name: 'Spring launch', type: 'sequence' },
		templateKey: 'step-1',
		tracking: {
			tokens: { open: 'o', click: 'c', unsubscribe: 'u' },
			clickBaseUrl: 'https://api.cadence.test/t/c/c',
			openPixelUrl: 'https://api.cadence.test/t/o/o.gif',
			unsubscribeUrl: 'https://api.cadence.test/u/u',
		},
		callbacks: {},
		threading: { inReplyTo: null, references: [], threadId: null },
	};
}

/** A lease of `count` messages of one template, exactly as the backend sends it. */
function lease(template: MessageTemplate, count = 1): GrantedLease {
	const items = Array.from({ length: count }, (_, i) => item(template, i + 1));
	return {
		leaseId: ID(9),
		leaseExpiresAt: new Date(Date.now() + 60_000).toISOString(),
		done: false,
		retryAfterMs: 0,
		grant: { count: items.length, startInMs: 0, intervalMs: 100, ratePerSecond: 10, concurrency: 1 },
		sender: { kind: 'twilio', channelId: ID(8), config: {}, secrets: {} },
		templates: { 'step-1': template },
		items,
	};
}

function work(l: GrantedLease): WorkItem {
	return workItemsOf(l, ID(7), Date.now())[0];
}

const answering =
	(body: unknown): HttpFn =>
	async () => ({ status: 200, headers: {}, body });

describe('the lease as @cadence/contracts defines it', () => {
	it('{{ campaign.name }} renders from the lease item', () => {
		const r = renderWorkItem(work(lease({ channel: 'sms', body: 'Hi {{ lead.first_name }}, {{ campaign.name }} ({{ campaign.type }})' })));
		assert.ok('rendered' in r, JSON.stringify(r));
		assert.equal(r.rendered.channel === 'sms' && r.rendered.body, 'Hi Ada, Spring launch (sequence)');
	});

	it('a voice agent stream gets the campaign, lead and message ids as parameters', () => {
		const r = renderWorkItem(work(lease({ channel: 'voice', voice: { mode: 'agent', streamUrl: 'wss://agent.example/stream' } })));
		assert.ok('rendered' in r && r.rendered.channel === 'voice', JSON.stringify(r));
		const twiml = r.rendered.channel === 'voice' ? r.rendered.twiml : '';
		for (const [name, value] of [
			['campaignId', ID(3)],
			['leadId', ID(2)],
			['messageId', ID(1)],
		])
			assert.ok(twiml.includes(`<Parameter name="${name}" value="${value}"/>`), `${name} in ${twiml}`);
	});

	it("gives every item of a template the lease's one template object", () => {
		const items = workItemsOf(
			lease({ channel: 'email', subject: 'News', html: '<p>' + 'x'.repeat(20_000) + '</p>' }, 3),
			ID(7),
			Date.now(),
		);
		assert.deepEqual(
			items.map((w) => w.message.messageId),
			[ID(1), ID(2), ID(3)],
		);
		assert.equal(items[0].message.template.subject, 'News');
		assert.ok(
			items.every((w) => w.message.template === items[0].message.template),
			'one object, not a copy per item',
		);
	});

	it('the client refuses a lease that breaks the contract, naming where', async () => {
		const ok = lease({ channel: 'sms', body: 'x' });
		const client = (body: unknown) => new BackendClient({ baseUrl: 'http://backend.test', apiKey: 'k' }, answering(body));
		assert.equal((await client(ok).lease(ID(7))).items.length, 1);
		const noCampaign: Partial<LeaseItem> = { ...ok.items[0] };
		delete noCampaign.campaign;
		await assert.rejects(
			client({ ...ok, items: [noCampaign] }).lease(ID(7)),
			(e: unknown) => e instanceof BackendError && /items\[0\]\.campaign/.test(e.message),
		);
		await assert.rejects(client({ ...ok, grant: null }).lease(ID(7)), (e: unknown) => e instanceof BackendError && /grant/.test(e.message));
	});
});
