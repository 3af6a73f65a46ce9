import { startSandbox, type RunningSandbox } from '@cadence/sandbox';

export const TWILIO_SID = 'AC' + 'c'.repeat(32);
export const TWILIO_FROM = '+15551230000';
export const MG_DOMAIN = 'mg.cadence.test';
export const WA_PHONE_ID = '106540352242922';
export const GMAIL_USER = 'alice@acme.test';
export const GMAIL_SEND = 'https://www.googleapis.com/auth/gmail.send';

export function testSandbox(rateLimits = false): Promise<RunningSandbox> {
	return startSandbox({
		port: 0,
		host: '127.0.0.1',
		seed: 'n8n-nodes',
		rateLimits,
		timing: { firstEventDelayMs: 10, eventSpacingMs: 10, webhookRetryBaseMs: 30, webhookTimeoutMs: 500, webhookMaxAttempts: 1 },
	});
}

export async function sbApi<T = Record<string, unknown>>(sb: RunningSandbox, method: string, path: string, body?: unknown): Promise<T> {
	const res = await fetch(sb.url + path, {
		method,
		headers: { 'content-type': 'application/json' },
		...(body !== undefined ? { body: JSON.stringify(body) } : {}),
	});
	const text = await res.text();
	if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
	return (text ? JSON.parse(text) : {}) as T;
}

export interface SbMessage {
	provider: string;
	to: string;
	campaignMessageId?: string;
	providerMessageId: string;
	subject?: string;
	body?: string;
	html?: string;
	variables?: Record<string, string>;
	headers?: Record<string, string>;
	threadId?: string;
	meta?: Record<string, unknown>;
}

export async function sbMessages(sb: RunningSandbox, provider?: string): Promise<SbMessage[]> {
	return (await sbApi<{ items: SbMessage[] }>(sb, 'GET', `/_sandbox/messages?limit=10000${provider ? `&provider=${provider}` : ''}`)).items;
}

export async function sbDuplicates(sb: RunningSandbox): Promise<number> {
	return (await sbApi<{ total: number }>(sb, 'GET', '/_sandbox/duplicates')).total;
}

export async function fault(sb: RunningSandbox, spec: Record<string, unknown>): Promise<void> {
	await sbApi(sb, 'POST', '/_sandbox/faults', spec);
}

/** What the backend's lease states when the operator runs the sandbox on loopback (CUSTOM_PROVIDER_URLS=on, PROVIDER_URL_ALLOWLIST=127.0.0.1). */
export const SANDBOX_ENDPOINT_POLICY = { customEndpoints: true, allowlist: ['127.0.0.1'] };

export function senders(sb: RunningSandbox, gmailToken = '') {
	return {
		twilio: {
			kind: 'twilio' as const,
			channelId: 'ch-twilio',
			config: { accountSid: TWILIO_SID, from: TWILIO_FROM, baseUrl: sb.url, maxConcurrentCalls: 1, callDelaySeconds: 0 },
			secrets: { authToken: 'twilio-token' },
			endpointPolicy: SANDBOX_ENDPOINT_POLICY,
		},
		mailgun: {
			kind: 'mailgun' as const,
			channelId: 'ch-mailgun',
			config: { domain: MG_DOMAIN, from: `Cadence <news@${MG_DOMAIN}>`, baseUrl: sb.url },
			secrets: { apiKey: 'key-mailgun' },
			endpointPolicy: SANDBOX_ENDPOINT_POLICY,
		},
		whatsapp: {
			kind: 'whatsapp' as const,
			channelId: 'ch-whatsapp',
			config: { phoneNumberId: WA_PHONE_ID, baseUrl: sb.url },
			secrets: { accessToken: 'EAAG-token' },
			endpointPolicy: SANDBOX_ENDPOINT_POLICY,
		},
		gmail: {
			kind: 'gmail' as const,
			channelId: 'ch-gmail',
			config: { email: GMAIL_USER, gmailApiBaseUrl: sb.url },
			secrets: { accessToken: gmailToken, expiresAt: new Date(Date.now() + 3600_000).toISOString() },
		},
	};
}

export function gmailToken(sb: RunningSandbox): string {
	const oauth = (sb.states as unknown as { oauth: { issueAccessToken(c: string, e: string, s: string[]): { token: string } } }).oauth;
	return oauth.issueAccessToken('cadence-test.apps.googleusercontent.com', GMAIL_USER, [GMAIL_SEND]).token;
}
