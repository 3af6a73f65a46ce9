import { afterAll, beforeAll, beforeEach, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import type { RunningSandbox } from '@cadence/sandbox';
import type { GrantedLease } from '@cadence/contracts';
import type { LeaseMessage, Outcome, Sender } from '../../nodes/shared/types';
import { lead, message, startStubBackend, trackingLinks, type StubBackend } from '../helpers/stub-backend';
import { clientFor, onePass, runLoop } from '../helpers/loop';
import { sendWorkItems } from '../../nodes/CadenceSend/engine';
import { renderWorkItem } from '../../nodes/shared/render-item';
import { workItemsOf } from '../../nodes/shared/work-items';
import { fetchHttp } from '../../nodes/shared/http';
import { fault, gmailToken, SANDBOX_ENDPOINT_POLICY, sbDuplicates, sbMessages, senders, testSandbox } from './sandbox-helpers';

const SMS = { channel: 'sms' as const, body: 'Hi {{ lead.firstName }}, spring offer inside' };
const EMAIL = {
	channel: 'email' as const,
	subject: 'Hi {{ lead.firstName }}',
	html: '<p>Hello {{ lead.firstName }}</p><a href="https://acme.test/offer">offer</a>',
};
const EMAIL_SAME = {
	channel: 'email' as const,
	subject: 'Spring news',
	html: '<html><body><p>Hello!</p><a href="https://acme.test/offer">offer</a> <a href="{{ unsubscribe_url }}">unsubscribe</a></body></html>',
};
const WHATSAPP = {
	channel: 'whatsapp' as const,
	whatsapp: { name: 'spring_offer', language: 'en_US', parameters: ['{{ lead.firstName }}'] },
} as LeaseMessage['template'];
const VOICE = { channel: 'voice' as const, voice: { script: 'Hello {{ lead.firstName }}, this is Cadence.' } } as LeaseMessage['template'];

type Kind = 'twilio' | 'mailgun' | 'whatsapp' | 'gmail';
const templateOf: Record<Kind, LeaseMessage['template']> = { twilio: SMS, mailgun: EMAIL, whatsapp: WHATSAPP, gmail: EMAIL };
const channelOf: Record<Kind, LeaseMessage['channel']> = { twilio: 'sms', mailgun: 'email', whatsapp: 'whatsapp', gmail: 'email' };
/** How the sandbox sees the recipient (fault matching). */
const recipientOf = (kind: Kind, l: LeaseMessage['lead']) =>
	kind === 'twilio' ? l.phone! : kind === 'whatsapp' ? l.phone!.replace(/^\+/, '') : l.email!;

function tracking(i: number) {
	return trackingLinks('http://127.0.0.1:9', `tok-${i}-abcdef`);
}

describe('Send Message against the provider sandbox (real SDKs)', () => {
	let sb: RunningSandbox;
	let stub: StubBackend;
	let base = 0;
	const nextLeads = (n: number) => Array.from({ length: n }, () => lead(++base));

	beforeAll(async () => {
		sb = await testSandbox(false);
		stub = await startStubBackend();
	});
	afterAll(async () => {
		await stub.close();
		await sb.close();
	});
	beforeEach(() => sb.reset(true));

	const sender = (kind: Kind): Sender => senders(sb, kind === 'gmail' ? gmailToken(sb) : '')[kind];

	async function assertOncePerMessage(ids: string[], provider: string) {
		const msgs = await sbMessages(sb, provider);
		for (const id of ids) assert.equal(msgs.filter((m) => m.campaignMessageId === id).length, 1, `message ${id} delivered exactly once`);
		assert.equal(await sbDuplicates(sb), 0, 'the sandbox saw no duplicate');
	}

	for (const kind of ['twilio', 'mailgun', 'whatsapp', 'gmail'] as const) {
		it(`${kind}: every message sent once with its provider id, reported sent`, async () => {
			const run = stub.addRun({
				sender: sender(kind),
				ratePerSecond: 20,
				messages: nextLeads(3).map((l) =>
					message(channelOf[kind], templateOf[kind], l, {
						tracking: tracking(base),
						callbacks: { statusCallbackUrl: 'http://127.0.0.1:9/webhooks/twilio/status' },
					}),
				),
			});
			const outcomes = await runLoop(stub, run.runId);
			for (const m of run.messages) {
				assert.equal(outcomes.get(m.messageId)?.outcome, 'sent', JSON.stringify(outcomes.get(m.messageId)));
				assert.equal(m.status, 'sent');
			}
			const sbMsgs = await sbMessages(sb, kind);
			for (const m of run.messages)
				assert.equal(sbMsgs.find((x) => x.campaignMessageId === m.messageId)?.providerMessageId, m.providerMessageId);
			await assertOncePerMessage(
				run.messages.map((m) => m.messageId),
				kind,
			);
		});
	}

	it('gmail: MIME with List-Unsubscribe, X-Cadence-Message-Id and threading headers, thread kept', async () => {
		const [first] = nextLeads(1);
		const run1 = stub.addRun({ sender: sender('gmail'), messages: [message('email', EMAIL_SAME, first, { tracking: tracking(base) })] });
		await runLoop(stub, run1.runId);
		const sent = (await sbMessages(sb, 'gmail'))[0];
		assert.equal(sent.headers!['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click');
		assert.match(sent.headers!['List-Unsubscribe'], /<http:\/\/127\.0\.0\.1:9\/u\/tok-/);
		const rfcId = String(sent.meta!.rfc822MessageId);
		const run2 = stub.addRun({
			sender: sender('gmail'),
			messages: [
				message('email', { channel: 'email', subject: 'Re: Spring news', text: 'Following up' }, first, {
					threading: { inReplyTo: rfcId, references: [rfcId], threadId: sent.threadId! },
				}),
			],
		});
		await runLoop(stub, run2.runId);
		const follow = (await sbMessages(sb, 'gmail')).find((m) => m.campaignMessageId === run2.messages[0].messageId)!;
		assert.equal(follow.threadId, sent.threadId);
		assert.equal(follow.meta!.inReplyTo, rfcId);
	});

	it('twilio voice: TwiML from Render, status callback carries the message id, call delay honoured', async () => {
		const s = sender('twilio');
		s.config.callDelaySeconds = 1;
		const run = stub.addRun({
			sender: s,
			ratePerSecond: 20,
			messages: nextLeads(2).map((l) =>
				message('voice', VOICE, l, { callbacks: { statusCallbackUrl: 'http://127.0.0.1:9/webhooks/twilio/ch/status' } }),
			),
		});
		const t0 = Date.now();
		const outcomes = await runLoop(stub, run.runId, { callPollIntervalMs: 100 });
		assert.ok(Date.now() - t0 >= 1000, 'callDelaySeconds spaces the calls');
		for (const m of run.messages) assert.equal(outcomes.get(m.messageId)?.outcome, 'sent');
		const calls = await sbMessages(sb, 'twilio');
		assert.equal(calls.length, 2);
		assert.match(String(calls[0].meta!.twiml), /<Say[^>]*>Hello Lead\d+, this is Cadence\.<\/Say>/);
		await assertOncePerMessage(
			run.messages.map((m) => m.messageId),
			'twilio',
		);
	});

	it("twilio voice with answering-machine detection: the call fetches its TwiML from the lease's twimlUrl, MachineDetection set", async () => {
		const twimlUrl = 'http://127.0.0.1:9/webhooks/twilio/ch/call?cadenceMessageId=m';
		const run = stub.addRun({
			sender: sender('twilio'),
			ratePerSecond: 20,
			messages: nextLeads(1).map((l) =>
				message('voice', VOICE, l, {
					callbacks: { statusCallbackUrl: 'http://127.0.0.1:9/webhooks/twilio/ch/status', twimlUrl, machineDetection: 'DetectMessageEnd' },
				}),
			),
		});
		const outcomes = await runLoop(stub, run.runId, { callPollIntervalMs: 100 });
		assert.equal(outcomes.get(run.messages[0].messageId)?.outcome, 'sent');
		const [call] = (await sbMessages(sb, 'twilio')).filter((m) => m.campaignMessageId === run.messages[0].messageId);
		assert.equal(call.meta!.url, twimlUrl);
		assert.equal(call.meta!.twiml, undefined, 'no inline TwiML: the answer decides what is played');
		assert.equal(call.meta!.machineDetection, 'DetectMessageEnd');
	});

	it('a missing variable is reported skipped (missing_variable) and never sent', async () => {
		const [a, b] = nextLeads(2);
		const run = stub.addRun({
			sender: sender('twilio'),
			messages: [message('sms', SMS, a), message('sms', { channel: 'sms', body: 'Hi {{ lead.nickname }}' }, b)],
		});
		await runLoop(stub, run.runId);
		assert.equal(run.messages[0].status, 'sent');
		assert.equal(run.messages[1].status, 'skipped');
		assert.deepEqual(run.messages[1].outcomes[0], {
			messageId: run.messages[1].messageId,
			outcome: 'skipped',
			reason: 'missing_variable',
			errorMessage: 'lead.nickname',
		});
		assert.equal((await sbMessages(sb)).length, 1);
	});

	it('mailgun: identical content goes out as one batch call with recipient-variables', async () => {
		const run = stub.addRun({
			sender: sender('mailgun'),
			ratePerSecond: 1000,
			messages: nextLeads(5).map((l, i) => message('email', EMAIL_SAME, l, { tracking: tracking(base * 10 + i) })),
		});
		const outcomes = await runLoop(stub, run.runId);
		const msgs = await sbMessages(sb, 'mailgun');
		assert.equal(msgs.length, 5);
		assert.equal(new Set(msgs.map((m) => m.providerMessageId)).size, 1, 'one Mailgun call');
		for (const m of run.messages) {
			assert.equal(outcomes.get(m.messageId)?.outcome, 'sent');
			const got = msgs.find((x) => x.campaignMessageId === m.messageId)!;
			assert.equal(got.to, m.lead.email);
			assert.equal(got.headers!['List-Unsubscribe'], `<${m.tracking!.unsubscribeUrl}>`);
			assert.equal(got.headers!['X-Cadence-Message-Id'], m.messageId);
		}
		await assertOncePerMessage(
			run.messages.map((m) => m.messageId),
			'mailgun',
		);
	});

	it('mailgun: an inbox answer carries In-Reply-To and References from the lease threading', async () => {
		const [lead] = nextLeads(1);
		const run = stub.addRun({
			sender: sender('mailgun'),
			messages: [
				message('email', { channel: 'email', subject: 'Re: Spring news', text: 'The Team plan.' }, lead, {
					threading: {
						inReplyTo: '<answer-2@mail.example>',
						references: ['<offer-1@mg.example>', '<answer-2@mail.example>'],
						threadId: null,
					},
				}),
			],
		});
		await runLoop(stub, run.runId);
		const got = (await sbMessages(sb, 'mailgun')).find((m) => m.campaignMessageId === run.messages[0].messageId)!;
		assert.equal(got.headers!['In-Reply-To'], '<answer-2@mail.example>');
		assert.equal(got.headers!['References'], '<offer-1@mg.example> <answer-2@mail.example>');
	});

	it('mailgun: 2,500 personalized, tracked emails go out in 3 calls, each recipient with its own name, token and id', async () => {
		const NEWS = {
			channel: 'email' as const,
			subject: 'Hi {{ lead.first_name }}, spring news',
			html: '<html><body><p>Hello {{ lead.first_name }} at {{ lead.company | default: "your company" }}</p><a href="https://acme.test/offer">offer</a> <a href="{{ unsubscribe_url }}">unsubscribe</a></body></html>',
			text: 'Hello {{ lead.first_name }}\nUnsubscribe: {{ unsubscribe_url }}',
		};
		const n = 2500;
		const leads = nextLeads(n).map((l, i) => ({
			...l,
			firstName: i === 7 ? 'Tom & <Jerry>' : `Ada${base}x${i}`,
			attributes: i % 3 === 0 ? {} : { company: `Co ${i % 5}` },
		}));
		const messages = leads.map((l, i) => {
			const token = `tk${base}-${i}-${Math.random().toString(36).slice(2, 10)}`;
			return message('email', NEWS, l, { tracking: trackingLinks('http://127.0.0.1:9', token) });
		});
		const run = stub.addRun({ sender: sender('mailgun'), ratePerSecond: 100_000, batchSize: n, messages });
		const t0 = Date.now();
		const { outcomes } = await onePass(stub, run.runId, {}, n);
		const took = Date.now() - t0;
		const msgs = await sbMessages(sb, 'mailgun');
		assert.equal(msgs.length, n);
		const callIds = new Set(msgs.map((m) => m.providerMessageId));
		// Two lead shapes (with / without company): two placeholder renders, 1,000 + 666 and 834 recipients.
		assert.equal(callIds.size, 3, `${callIds.size} Mailgun calls`);
		const byId = new Map(msgs.map((m) => [m.campaignMessageId, m]));
		for (const m of run.messages) {
			const o = outcomes.get(m.messageId)!;
			assert.equal(o.outcome, 'sent', JSON.stringify(o));
			const got = byId.get(m.messageId)!;
			assert.ok(got, `message ${m.messageId} reached the sandbox`);
			assert.equal(o.outcome === 'sent' && o.providerMessageId, got.providerMessageId, "the batch id is every message's provider id");
			const { open, click, unsubscribe } = m.tracking!.tokens!;
			assert.equal(got.to, m.lead.email);
			assert.equal(got.subject, `Hi ${m.lead.firstName}, spring news`);
			// multipart/form-data carries line breaks as CRLF
			assert.equal(got.body!.replace(/\r\n/g, '\n'), `Hello ${m.lead.firstName}\nUnsubscribe: http://127.0.0.1:9/u/${unsubscribe}`);
			const escaped = m.lead.firstName!.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
			assert.ok(
				got.html!.includes(`<p>Hello ${escaped} at ${(m.lead.attributes as { company?: string }).company ?? 'your company'}</p>`),
				got.html,
			);
			assert.ok(got.html!.includes(`href="http://127.0.0.1:9/t/c/${click}?u=`), 'own click-tracking token');
			assert.ok(got.html!.includes(`<img src="http://127.0.0.1:9/t/o/${open}.gif"`), 'own open pixel');
			assert.ok(got.html!.includes(`href="http://127.0.0.1:9/u/${unsubscribe}"`), 'own unsubscribe link');
			assert.equal(got.headers!['List-Unsubscribe'], `<http://127.0.0.1:9/u/${unsubscribe}>`);
			assert.equal(got.headers!['X-Cadence-Message-Id'], m.messageId);
			assert.equal(got.variables!.cadence_message_id, m.messageId);
			assert.ok(!JSON.stringify(got).includes('%recipient'), 'every variable substituted');
		}
		assert.equal(await sbDuplicates(sb), 0);
		await assertOncePerMessage(
			run.messages.map((m) => m.messageId),
			'mailgun',
		);
		assert.ok(took < 60_000, `took ${took} ms`);
	});

	it('mailgun: 2,500 personalized emails of one lead shape go out in exactly 3 calls of <= 1,000', async () => {
		const NEWS = {
			channel: 'email' as const,
			subject: 'Hi {{ lead.first_name }}',
			html: '<p>Hello {{ lead.first_name }}</p><a href="https://acme.test/offer">offer</a>',
		};
		const n = 2500;
		const messages = nextLeads(n).map((l) => {
			const token = `tq${base}-${l.id.slice(0, 8)}`;
			return message('email', NEWS, l, { tracking: trackingLinks('http://127.0.0.1:9', token) });
		});
		const run = stub.addRun({ sender: sender('mailgun'), ratePerSecond: 100_000, batchSize: n, messages });
		await onePass(stub, run.runId, {}, n);
		const msgs = await sbMessages(sb, 'mailgun');
		const perCall = new Map<string, number>();
		for (const m of msgs) perCall.set(m.providerMessageId, (perCall.get(m.providerMessageId) ?? 0) + 1);
		assert.deepEqual(
			[...perCall.values()].sort((a, b) => b - a),
			[1000, 1000, 500],
		);
		for (const m of run.messages) {
			assert.equal(m.status, 'sent');
			const got = msgs.find((x) => x.campaignMessageId === m.messageId)!;
			assert.equal(got.subject, `Hi ${m.lead.firstName}`);
			assert.ok(got.html!.includes(`/t/c/${m.tracking!.tokens!.click}?u=`));
		}
		assert.equal(await sbDuplicates(sb), 0);
	});

	it('mailgun: a personalized batch refused with 429 (proved not accepted) is deferred for every message', async () => {
		const leads = nextLeads(3);
		await fault(sb, { provider: 'mailgun', type: 'rate-limit', retryAfterSeconds: 1, match: leads[2].email!, times: 10 });
		const run = stub.addRun({
			sender: sender('mailgun'),
			ratePerSecond: 1000,
			messages: leads.map((l, i) =>
				message('email', EMAIL, l, {
					tracking: trackingLinks('http://127.0.0.1:9', `tok-${base}-${i}-zz`),
				}),
			),
		});
		const { outcomes } = await onePass(stub, run.runId, { maxRetries: 0 });
		for (const m of run.messages) {
			const o = outcomes.get(m.messageId)!;
			assert.equal(o.outcome, 'deferred', JSON.stringify(o));
			assert.equal(o.outcome === 'deferred' && o.errorCode, '429');
		}
		assert.equal((await sbMessages(sb)).length, 0);
		const calls = stub.requests.filter(
			(r) => r.path.endsWith('/sending') && (r.body as { messageIds: string[] }).messageIds.includes(run.messages[0].messageId),
		);
		assert.equal(calls.length, 1, 'marked sending once, as one chunk with the batch');
	});

	it('mailgun: a batch that fails ambiguously is unknown for every message of the batch', async () => {
		const leads = nextLeads(3);
		await fault(sb, { provider: 'mailgun', type: 'http-error', status: 500, match: leads[1].email!, times: 1 });
		const run = stub.addRun({
			sender: sender('mailgun'),
			ratePerSecond: 1000,
			messages: leads.map((l, i) => message('email', EMAIL_SAME, l, { tracking: tracking(base * 10 + i) })),
		});
		await onePass(stub, run.runId);
		for (const m of run.messages) assert.equal(m.status, 'unknown');
		assert.equal((await sbMessages(sb)).length, 0);
	});

	// Fault matrix: each fault -> the right outcome; the sandbox never shows a duplicate.
	const matrix: Array<{ name: string; spec?: Record<string, unknown>; outcome: Outcome['outcome']; accepted: 0 | 1; code?: RegExp }> = [
		{ name: 'no fault', outcome: 'sent', accepted: 1 },
		{
			name: 'one 429, retried with Retry-After',
			spec: { type: 'rate-limit', retryAfterSeconds: 1, times: 1 },
			outcome: 'sent',
			accepted: 1,
		},
		{
			name: 'persistent 429',
			spec: { type: 'rate-limit', retryAfterSeconds: 1, times: 10 },
			outcome: 'deferred',
			accepted: 0,
			code: /429|rateLimitExceeded/,
		},
		{ name: '500', spec: { type: 'http-error', status: 500, times: 1 }, outcome: 'unknown', accepted: 0 },
		{ name: 'reset before accept', spec: { type: 'reset-before', times: 1 }, outcome: 'unknown', accepted: 0, code: /ECONNRESET/ },
		{ name: 'reset after accept', spec: { type: 'reset-after', times: 1 }, outcome: 'unknown', accepted: 1, code: /ECONNRESET/ },
		{
			name: 'timeout after accept',
			spec: { type: 'timeout', accepted: true, times: 1 },
			outcome: 'unknown',
			accepted: 1,
			code: /ETIMEDOUT/,
		},
	];
	for (const kind of ['twilio', 'mailgun', 'whatsapp', 'gmail'] as const) {
		it(`${kind}: fault matrix`, async () => {
			const leads = nextLeads(matrix.length);
			for (let i = 0; i < matrix.length; i++) {
				const spec = matrix[i].spec;
				if (spec) await fault(sb, { provider: kind, match: recipientOf(kind, leads[i]), ...spec });
			}
			const run = stub.addRun({
				sender: sender(kind),
				ratePerSecond: 50,
				concurrency: 8,
				messages: leads.map((l) => message(channelOf[kind], templateOf[kind], l)),
			});
			await onePass(stub, run.runId, { maxRetries: 1, requestTimeoutMs: 1500, mailgunBatching: false });
			const accepted = await sbMessages(sb, kind);
			matrix.forEach((row, i) => {
				const m = run.messages[i];
				const reported = m.outcomes[0];
				assert.equal(reported?.outcome, row.outcome, `${row.name}: ${JSON.stringify(reported)}`);
				if (row.code) assert.match(String(reported?.errorCode), row.code, row.name);
				assert.equal(
					accepted.filter((x) => x.to.toLowerCase() === recipientOf(kind, m.lead).toLowerCase() || x.to === m.lead.phone).length,
					row.accepted,
					`${row.name}: accepted by the provider`,
				);
			});
			assert.equal(await sbDuplicates(sb), 0);
		});
	}

	for (const kind of ['twilio', 'mailgun', 'whatsapp'] as const) {
		it(`${kind}: a base URL at the metadata address or an unlisted loopback fails the messages, nothing is marked or sent`, async () => {
			const ports = new URL(sb.url).port;
			for (const [baseUrl, endpointPolicy] of [
				['http://169.254.169.254', { customEndpoints: true, allowlist: ['169.254.169.254'] }],
				[sb.url, { customEndpoints: true, allowlist: [] }],
				[sb.url, undefined],
				[`http://127.0.0.2:${ports}`, SANDBOX_ENDPOINT_POLICY],
			] as const) {
				const s = sender(kind);
				s.config.baseUrl = baseUrl;
				if (endpointPolicy) s.endpointPolicy = { ...endpointPolicy, allowlist: [...endpointPolicy.allowlist] };
				else delete s.endpointPolicy;
				const run = stub.addRun({ sender: s, messages: nextLeads(2).map((l) => message(channelOf[kind], templateOf[kind], l)) });
				await onePass(stub, run.runId, { maxRetries: 0 });
				for (const m of run.messages) {
					assert.equal(m.outcomes[0]?.outcome, 'failed', `${baseUrl}: ${JSON.stringify(m.outcomes)}`);
					assert.equal(m.outcomes[0]?.errorCode, 'channel_base_url_refused');
				}
				const marked = stub.requests.filter(
					(r) => r.path.endsWith('/sending') && (r.body as { messageIds: string[] }).messageIds.includes(run.messages[0].messageId),
				);
				assert.equal(marked.length, 0, 'not marked sending');
			}
			assert.equal((await sbMessages(sb)).length, 0, 'the sandbox received nothing');
		});

		it(`${kind}: the provider call follows no redirect (the message and credentials do not travel on)`, async () => {
			const listen = async (handler: http.RequestListener) => {
				const server = http.createServer(handler);
				await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
				return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
			};
			let targetHits = 0;
			const target = await listen((_req, res) => {
				targetHits++;
				res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
			});
			const seen: string[] = [];
			const redirector = await listen((req, res) => {
				seen.push(`${req.method} ${req.url}`);
				// 307 keeps the method and body: the worst case.
				res.writeHead(307, { location: `${target.url}${req.url}` }).end();
			});
			try {
				const s = sender(kind);
				s.config.baseUrl = redirector.url;
				const run = stub.addRun({ sender: s, messages: nextLeads(1).map((l) => message(channelOf[kind], templateOf[kind], l)) });
				await onePass(stub, run.runId, { maxRetries: 0 });
				assert.equal(seen.length, 1, `the redirecting endpoint was called once: ${seen.join(', ')}`);
				assert.equal(targetHits, 0, 'the redirect target was never called');
				assert.notEqual(run.messages[0].outcomes[0]?.outcome, 'sent', JSON.stringify(run.messages[0].outcomes));
			} finally {
				redirector.server.close();
				target.server.close();
			}
		});
	}

	it('a WhatsApp session text (an inbox reply: a body, no approved template) goes out as a text message, line breaks kept', async () => {
		const text = { channel: 'whatsapp' as const, body: 'Thanks {{ lead.firstName }}!\nSee you Sunday.' } as LeaseMessage['template'];
		const run = stub.addRun({ sender: sender('whatsapp'), messages: nextLeads(1).map((l) => message('whatsapp', text, l)) });
		await onePass(stub, run.runId);
		assert.equal(run.messages[0].outcomes[0]?.outcome, 'sent');
		const [sent] = await sbMessages(sb, 'whatsapp');
		assert.equal(sent.campaignMessageId, run.messages[0].messageId);
		assert.match(sent.body ?? '', /^Thanks .+!\nSee you Sunday\.$/);
		assert.equal((sent as unknown as { meta: { type: string } }).meta.type, 'text');
	});

	it('a refused connection is deferred (nothing reached the provider)', async () => {
		const s = sender('whatsapp');
		const closed = await new Promise<number>((resolve) => {
			const srv = createServer().listen(0, '127.0.0.1', () => {
				const { port } = srv.address() as AddressInfo;
				srv.close(() => resolve(port));
			});
		});
		s.config.baseUrl = `http://127.0.0.1:${closed}`;
		const run = stub.addRun({ sender: s, messages: nextLeads(2).map((l) => message('whatsapp', WHATSAPP, l)) });
		await onePass(stub, run.runId, { maxRetries: 0 });
		for (const m of run.messages) {
			assert.equal(m.outcomes[0]?.outcome, 'deferred');
			assert.equal(m.outcomes[0]?.errorCode, 'ECONNREFUSED');
			assert.equal(m.status, 'queued');
		}
	});

	it('an invalid token fails one message and halts the sender: the rest is deferred, not attempted', async () => {
		await fault(sb, { provider: 'twilio', type: 'invalid-token' });
		const run = stub.addRun({ sender: sender('twilio'), concurrency: 1, messages: nextLeads(3).map((l) => message('sms', SMS, l)) });
		await onePass(stub, run.runId);
		assert.deepEqual(
			run.messages.map((m) => `${m.outcomes[0]?.outcome}:${m.outcomes[0]?.errorCode}`),
			['failed:token_invalid', 'deferred:token_invalid', 'deferred:token_invalid'],
		);
		const faults = (await (await fetch(`${sb.url}/_sandbox/faults`)).json()) as { items: Array<{ fired: number }> };
		assert.equal(faults.items[0].fired, 1, 'only one request reached the provider');
	});

	it('a message the backend refuses to mark sending is not sent and not reported', async () => {
		const run = stub.addRun({ sender: sender('twilio'), messages: nextLeads(2).map((l) => message('sms', SMS, l)) });
		const originalSending = stub.failNext;
		// Expire the lease of the second message right after leasing: the backend rejects it at `sending`.
		const lease = clientFor(stub);
		const l = await lease.lease(run.runId);
		run.messages[1].leaseId = 'another-lease';
		const items = workItemsOf(l as GrantedLease, run.runId, Date.now()).map((w) => {
			const r = renderWorkItem(w);
			return 'rendered' in r ? { ...w, rendered: r.rendered } : w;
		});
		const outcomes = await sendWorkItems(items, { backend: lease, http: fetchHttp });
		assert.equal(outcomes.get(run.messages[0].messageId)?.outcome, 'sent');
		assert.deepEqual(outcomes.get(run.messages[1].messageId), { outcome: 'rejected', reason: 'not_leased' });
		assert.equal((await sbMessages(sb)).length, 1);
		assert.equal(originalSending.size, 0);
	});
});

describe('pacing against the sandbox rate limits', () => {
	it('twilio long code at 1 MPS: the grant paces every message, no 429 ever', async () => {
		const sb = await testSandbox(true);
		const stub = await startStubBackend();
		try {
			const run = stub.addRun({
				sender: senders(sb).twilio,
				ratePerSecond: 1,
				concurrency: 4,
				messages: [1, 2, 3].map((i) => message('sms', SMS, lead(9000 + i))),
			});
			const t0 = Date.now();
			await onePass(stub, run.runId, { maxRetries: 0 });
			assert.ok(Date.now() - t0 >= 1900, 'three slots at 1/s span two seconds');
			assert.deepEqual(
				run.messages.map((m) => m.outcomes[0]?.outcome),
				['sent', 'sent', 'sent'],
				JSON.stringify(run.messages.map((m) => m.outcomes[0])),
			);
		} finally {
			await stub.close();
			await sb.close();
		}
	});
});
