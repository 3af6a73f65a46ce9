import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { renderWorkItem } from '../../nodes/shared/render-item';
import type { LeaseMessage, WorkItem } from '../../nodes/shared/types';

function work(
	template: LeaseMessage['template'],
	extra: Partial<LeaseMessage> = {},
	leadExtra: Partial<LeaseMessage['lead']> = {},
): WorkItem {
	return {
		runId: 'run-1',
		leaseId: 'lease-1',
		leaseExpiresAt: new Date(Date.now() + 60_000).toISOString(),
		leasedAt: Date.now(),
		slot: 0,
		grant: { count: 1, startInMs: 0, intervalMs: 0, ratePerSecond: 10, concurrency: 1 },
		sender: { kind: 'mailgun', channelId: 'ch-1', config: { from: 'news@mg.test', domain: 'mg.test' }, secrets: { apiKey: 'k' } },
		message: {
			messageId: extra.messageId ?? 'm-1',
			channel: template.channel,
			lead: {
				id: 'l-1',
				email: 'ada@example.com',
				phone: '+14155550123',
				firstName: 'Ada',
				lastName: 'Lovelace',
				attributes: { company: 'Acme' },
				...leadExtra,
			},
			template,
			...extra,
		},
	};
}

const tracking = {
	clickBaseUrl: 'https://api.cadence.test/t/c/tok-m1',
	openPixelUrl: 'https://api.cadence.test/t/o/tok-m1.gif',
	unsubscribeUrl: 'https://api.cadence.test/u/tok-m1',
};

describe('render message', () => {
	it('email: subject, html with rewritten links and an open pixel, text, List-Unsubscribe headers', () => {
		const r = renderWorkItem(
			work(
				{
					channel: 'email',
					subject: 'Hi {{ lead.firstName }}',
					html: '<html><body><p>Hello {{ lead.company }}</p><a href="https://acme.test/x">x</a><a href="{{ unsubscribe_url }}">unsubscribe</a></body></html>',
				},
				{ tracking },
			),
		);
		assert.ok('rendered' in r);
		const e = r.rendered;
		assert.equal(e.channel, 'email');
		if (e.channel !== 'email') return;
		assert.equal(e.subject, 'Hi Ada');
		assert.match(
			e.html!,
			/href="https:\/\/api\.cadence\.test\/t\/c\/tok-m1\?u=[^"]+&amp;i=0"|href="https:\/\/api\.cadence\.test\/t\/c\/tok-m1\?u=[^"]+&i=0"/,
		);
		assert.match(e.html!, /<img src="https:\/\/api\.cadence\.test\/t\/o\/tok-m1\.gif"/);
		assert.match(e.html!, /href="https:\/\/api\.cadence\.test\/u\/tok-m1"/, 'the unsubscribe link is not rewritten');
		assert.match(e.text, /Hello Acme/);
		assert.equal(e.headers['List-Unsubscribe'], '<https://api.cadence.test/u/tok-m1>');
		assert.equal(e.headers['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click');
	});

	it('a missing variable without default skips the item with missing_variable', () => {
		const r = renderWorkItem(work({ channel: 'email', subject: 'Hi {{ lead.nickname }}', text: 'x {{ lead.title }}' }));
		assert.deepEqual(r, { result: { outcome: 'skipped', reason: 'missing_variable', errorMessage: 'lead.nickname, lead.title' } });
		const ok = renderWorkItem(work({ channel: 'email', subject: 'Hi {{ lead.nickname | default: "there" }}', text: 'x' }));
		assert.ok('rendered' in ok && ok.rendered.channel === 'email' && ok.rendered.subject === 'Hi there');
	});

	it('sms: body with GSM-7 / UCS-2 segment counts', () => {
		const gsm = renderWorkItem(work({ channel: 'sms', body: 'Hi {{ lead.first_name }}, ' + 'x'.repeat(160) }));
		assert.ok('rendered' in gsm && gsm.rendered.channel === 'sms');
		if ('rendered' in gsm && gsm.rendered.channel === 'sms') {
			assert.equal(gsm.rendered.encoding, 'GSM-7');
			assert.equal(gsm.rendered.segments, 2);
		}
		const ucs = renderWorkItem(work({ channel: 'sms', body: 'Hi {{ lead.first_name }} 😀' }));
		assert.ok('rendered' in ucs && ucs.rendered.channel === 'sms' && ucs.rendered.encoding === 'UCS-2' && ucs.rendered.segments === 1);
	});

	it('whatsapp: template components with positional parameters (header, body, button)', () => {
		const r = renderWorkItem(
			work({
				channel: 'whatsapp',
				whatsapp: {
					name: 'spring_offer',
					language: 'en_US',
					headerParameters: ['Spring'],
					parameters: ['{{ lead.firstName }}', '{{ lead.company }}'],
					buttonParameters: ['m-{{ message.id }}'],
				},
			}),
		);
		assert.ok('rendered' in r && r.rendered.channel === 'whatsapp');
		if (!('rendered' in r) || r.rendered.channel !== 'whatsapp') return;
		assert.equal(r.rendered.name, 'spring_offer');
		assert.deepEqual(r.rendered.components, [
			{ type: 'header', parameters: [{ type: 'text', text: 'Spring' }] },
			{
				type: 'body',
				parameters: [
					{ type: 'text', text: 'Ada' },
					{ type: 'text', text: 'Acme' },
				],
			},
			{ type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'm-m-1' }] },
		]);
	});

	it('voice: <Say> a script, or <Connect><Stream> to the agent', () => {
		const say = renderWorkItem(work({ channel: 'voice', voice: { script: 'Hello {{ lead.firstName }} & co' } }));
		assert.ok('rendered' in say && say.rendered.channel === 'voice' && /<Say[^>]*>Hello Ada &amp; co<\/Say>/.test(say.rendered.twiml));
		const agent = renderWorkItem(work({ channel: 'voice', voice: { mode: 'agent', streamUrl: 'wss://agent.test/s/{{ message.id }}' } }));
		assert.ok(
			'rendered' in agent &&
				agent.rendered.channel === 'voice' &&
				/<Connect><Stream url="wss:\/\/agent\.test\/s\/m-1">/.test(agent.rendered.twiml),
		);
	});

	it('a broken template fails the item with the renderer code', () => {
		const r = renderWorkItem(work({ channel: 'sms', body: 'Hi {{ lead.firstName ' }));
		assert.ok('result' in r && r.result.outcome === 'failed' && r.result.errorCode === 'template_syntax');
	});
});
