import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { endpointRefusal } from '../../nodes/CadenceSend/channels/endpoint-check';
import type { ChannelDriver } from '../../nodes/CadenceSend/channels/driver';
import { sendWorkItems } from '../../nodes/CadenceSend/engine';
import { fetchHttp } from '../../nodes/shared/http';
import type { Provider } from '../../nodes/shared/outcome';
import type { Sender, WorkItem } from '../../nodes/shared/types';

const SANDBOX = { customEndpoints: true, allowlist: ['127.0.0.1'] };
const STRICT = { customEndpoints: false, allowlist: [] };

const sender = (kind: Sender['kind'], baseUrl: unknown, endpointPolicy?: Sender['endpointPolicy']): Sender => ({
	kind,
	channelId: 'c',
	config: baseUrl === undefined ? {} : { baseUrl },
	secrets: { authToken: 'secret' },
	...(endpointPolicy ? { endpointPolicy } : {}),
});

const refused = (provider: Provider, s: Sender) => endpointRefusal(provider, s)?.errorCode;

describe("the Send node checks the channel's base URL again", () => {
	it('never a cloud metadata address, whatever the policy and allowlist say', () => {
		const everything = { customEndpoints: true, allowlist: ['169.254.169.254', 'fd00:ec2::254', 'metadata.google.internal'] };
		for (const url of [
			'http://169.254.169.254',
			'http://169.254.169.254:80/',
			'http://0xa9fea9fe',
			'http://[::ffff:169.254.169.254]',
			'http://[fd00:ec2::254]',
			'http://metadata.google.internal',
			'http://METADATA.google.internal.',
		])
			assert.equal(refused('twilio', sender('twilio', url, everything)), 'channel_base_url_refused', url);
	});

	it('no literal loopback or private address unless allowlisted, and no other host unless custom endpoints are on', () => {
		for (const url of ['http://127.0.0.2:4010', 'http://10.0.0.5', 'http://[::1]:3000', 'http://192.168.1.1', 'http://localhost:5678'])
			assert.equal(refused('mailgun', sender('mailgun', url, SANDBOX)), 'channel_base_url_refused', url);
		assert.equal(refused('mailgun', sender('mailgun', 'http://127.0.0.1:4010', SANDBOX)), undefined, 'the allowlisted sandbox');
		assert.equal(refused('mailgun', sender('mailgun', 'https://proxy.example.com', SANDBOX)), undefined, 'a public custom endpoint');
		for (const policy of [STRICT, undefined]) {
			assert.equal(
				refused('mailgun', sender('mailgun', 'http://127.0.0.1:4010', policy)),
				'channel_base_url_refused',
				'custom endpoints off',
			);
			assert.equal(refused('mailgun', sender('mailgun', 'https://proxy.example.com', policy)), 'channel_base_url_refused');
			assert.equal(refused('mailgun', sender('mailgun', 'http://api.mailgun.net', policy)), 'channel_base_url_refused', 'plain http');
		}
	});

	it("accepts the provider's own hosts over https under the strict policy, and no baseUrl at all", () => {
		assert.equal(refused('mailgun', sender('mailgun', 'https://api.eu.mailgun.net/', STRICT)), undefined);
		assert.equal(refused('twilio', sender('twilio', 'https://api.dublin.ie1.twilio.com')), undefined);
		assert.equal(refused('whatsapp', sender('whatsapp', 'https://graph.facebook.com')), undefined);
		assert.equal(refused('whatsapp', sender('whatsapp', 'https://api.twilio.com')), 'channel_base_url_refused', "another provider's host");
		assert.equal(refused('twilio', sender('twilio', 'https://api.twilio.com.evil.example')), 'channel_base_url_refused');
		assert.equal(refused('twilio', sender('twilio', undefined)), undefined, "the driver's default is the provider's host");
		assert.equal(refused('twilio', sender('twilio', 'https://api.twilio.com/2010-04-01')), 'channel_base_url_refused', 'an origin only');
		assert.equal(refused('gmail', sender('gmail', 'http://127.0.0.1:1')), undefined, "Gmail's API URL is the operator's, not checked");
	});

	it('a refused URL fails every message with a stable code, before anything is marked or sent', async () => {
		let calls = 0;
		const driver: ChannelDriver = {
			provider: 'twilio',
			limits: () => ({}),
			async send() {
				calls++;
				return ['P'];
			},
			toProviderError: (e) => ({ message: String(e) }),
		};
		const marks: string[][] = [];
		const backend = { sending: async (_r: string, _l: string, ids: string[]) => (marks.push(ids), { accepted: ids, rejected: [] }) };
		const work = (baseUrl: string): WorkItem[] =>
			[0, 1].map((slot) => ({
				runId: 'r',
				leaseId: 'L',
				leaseExpiresAt: new Date(Date.now() + 60_000).toISOString(),
				leasedAt: Date.now(),
				slot,
				grant: { count: 2, startInMs: 0, intervalMs: 0, ratePerSecond: 0, concurrency: 2 },
				sender: sender('twilio', baseUrl, SANDBOX),
				message: { messageId: `m${slot}`, channel: 'sms', lead: { id: `l${slot}` }, template: { channel: 'sms', body: 'x' } },
				rendered: { channel: 'sms', body: 'x', encoding: 'GSM-7', segments: 1, characters: 1 },
			}));
		const out = await sendWorkItems(work('http://169.254.169.254'), { backend, http: fetchHttp, createDriver: () => driver });
		for (const o of out.values()) {
			assert.equal(o.outcome, 'failed');
			assert.equal(o.outcome === 'failed' && o.errorCode, 'channel_base_url_refused');
		}
		assert.equal(calls, 0, 'the provider was not called');
		assert.deepEqual(marks, [], 'nothing was marked sending');
		const ok = await sendWorkItems(work('http://127.0.0.1:4010'), { backend, http: fetchHttp, createDriver: () => driver });
		assert.deepEqual(
			[...ok.values()].map((o) => o.outcome),
			['sent', 'sent'],
		);
		assert.equal(calls, 2);
	});
});
