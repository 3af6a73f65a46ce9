import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import type { LeaseItem, LeaseResponse } from '@cadence/contracts';
import { BackendClient, BackendError } from '../../nodes/shared/backend-client';
import type { HttpFn } from '../../nodes/shared/http';
import { renderWorkItem } from '../../nodes/shared/render-item';
import type { WorkItem } from '../../nodes/shared/types';

const ID = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** A lease item exactly as the backend sends it. */
function item(template: LeaseItem['template']): LeaseItem {
	return {
		messageId: ID(1),
		channel: template.channel,
		to: '+14155550123',
		lead: { id: ID(2), email: null, phone: '+14155550123', firstName: 'Ada', lastName: 'Lovelace', timezone: null, attributes: {} },
		campaign: { id: ID(3), name: 'Spring launch', type: 'sequence' },
		template,
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

function lease(items: LeaseItem[]): LeaseResponse {
	return {
		leaseId: ID(9),
		leaseExpiresAt: new Date(Date.now() + 60_000).toISOString(),
		done: false,
		retryAfterMs: 0,
		grant: { count: items.length, startInMs: 0, intervalMs: 100, ratePerSecond: 10, concurrency: 1 },
		sender: { kind: 'twilio', channelId: ID(8), config: {}, secrets: {} },
		items,
	};
}

function work(l: LeaseResponse): WorkItem {
	return {
		runId: ID(7),
		leaseId: l.leaseId!,
		leaseExpiresAt: l.leaseExpiresAt!,
		leasedAt: Date.now(),
		slot: 0,
		grant: l.grant!,
		sender: l.sender!,
		message: l.items[0],
	};
}

const answering =
	(body: unknown): HttpFn =>
	async () => ({ status: 200, headers: {}, body });

describe('the lease as @cadence/contracts defines it', () => {
	it('{{ campaign.name }} renders from the lease item', () => {
		const r = renderWorkItem(
			work(lease([item({ channel: 'sms', body: 'Hi {{ lead.first_name }}, {{ campaign.name }} ({{ campaign.type }})' })])),
		);
		assert.ok('rendered' in r, JSON.stringify(r));
		assert.equal(r.rendered.channel === 'sms' && r.rendered.body, 'Hi Ada, Spring launch (sequence)');
	});

	it('a voice agent stream gets the campaign, lead and message ids as parameters', () => {
		const r = renderWorkItem(work(lease([item({ channel: 'voice', voice: { mode: 'agent', streamUrl: 'wss://agent.example/stream' } })])));
		assert.ok('rendered' in r && r.rendered.channel === 'voice', JSON.stringify(r));
		const twiml = r.rendered.channel === 'voice' ? r.rendered.twiml : '';
		for (const [name, value] of [
			['campaignId', ID(3)],
			['leadId', ID(2)],
			['messageId', ID(1)],
		])
			assert.ok(twiml.includes(`<Parameter name="${name}" value="${value}"/>`), `${name} in ${twiml}`);
	});

	it('the client refuses a lease that breaks the contract, naming where', async () => {
		const ok = lease([item({ channel: 'sms', body: 'x' })]);
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
