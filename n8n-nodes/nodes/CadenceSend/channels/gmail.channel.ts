import { gmailRfcMessageId } from '@cadence/contracts';
import { gmail as gmailApi, type gmail_v1 } from '@googleapis/gmail';
import MailComposer from 'nodemailer/lib/mail-composer';
import { TOKEN_RETRY_AFTER_MS, networkCodeOf } from '../../shared/outcome';
import { parseRetryAfter } from '../../shared/time';
import type { Sender, WorkItem } from '../../shared/types';
import { rendered, str, type ChannelDriver, type DriverDeps } from './driver';

/** Builds the RFC 5322 message with nodemailer's MailComposer (threading headers kept). */
export async function buildGmailMime(item: WorkItem, from: string): Promise<Buffer> {
	const email = rendered(item, 'email');
	const t = item.message.threading ?? {};
	const references = (t.references ?? []).filter(Boolean);
	const composer = new MailComposer({
		from,
		to: item.message.lead.email ?? '',
		subject: email.subject,
		text: email.text,
		...(email.html !== undefined ? { html: email.html } : {}),
		// The backend names it in follow-ups' threading (same helper): keep the two in step.
		messageId: gmailRfcMessageId(item.message.messageId, from),
		...(t.inReplyTo ? { inReplyTo: t.inReplyTo } : {}),
		...(references.length ? { references } : t.inReplyTo ? { references: [t.inReplyTo] } : {}),
		headers: { 'X-Cadence-Message-Id': item.message.messageId, ...email.headers },
	});
	return new Promise((resolve, reject) => composer.compile().build((err, msg) => (err ? reject(err) : resolve(msg))));
}

/**
 * Gmail `users.messages.send` with the short-lived access token the lease carries (the refresh
 * token never leaves the backend). No automatic retries (googleapis-common would retry).
 */
export function gmailDriver(sender: Sender, deps: DriverDeps): ChannelDriver {
	const base = (str(sender.config.gmailApiBaseUrl) ?? 'https://gmail.googleapis.com').replace(/\/+$/, '');
	const from = str(sender.config.from) ?? str(sender.config.email) ?? '';
	const token = str(sender.secrets.accessToken) ?? '';
	const expiresAt = str(sender.secrets.expiresAt);
	let client: gmail_v1.Gmail | undefined;
	return {
		provider: 'gmail',
		limits: () => ({}),
		precheck() {
			if (!token)
				return {
					outcome: 'deferred',
					errorCode: 'token_missing',
					errorMessage: 'the lease carries no Gmail access token',
					retryAfterMs: TOKEN_RETRY_AFTER_MS,
				};
			if (expiresAt && Date.parse(expiresAt) < deps.clock.now() + 5000) {
				return {
					outcome: 'deferred',
					errorCode: 'token_expired',
					errorMessage: 'the Gmail access token expired before sending',
					retryAfterMs: 0,
				};
			}
			return undefined;
		},
		prepare() {
			client ??= gmailApi({ version: 'v1', rootUrl: `${base}/` });
		},
		async send([item]) {
			client ??= gmailApi({ version: 'v1', rootUrl: `${base}/` });
			const raw = (await buildGmailMime(item, from)).toString('base64url');
			const threadId = item.message.threading?.threadId;
			const res = await client.users.messages.send(
				{ userId: 'me', requestBody: { raw, ...(threadId ? { threadId } : {}) } },
				{ headers: { Authorization: `Bearer ${token}` }, retry: false, timeout: deps.requestTimeoutMs },
			);
			if (!res.data.id) throw Object.assign(new Error('accepted without a message id'), { status: 502 });
			return [res.data.id];
		},
		toProviderError(err) {
			const e = err as {
				status?: number;
				response?: { status?: number; headers?: unknown; data?: { error?: { errors?: Array<{ reason?: string }>; message?: string } } };
				message?: string;
			};
			const status = e.response?.status ?? e.status;
			if (typeof status === 'number') {
				const data = e.response?.data?.error;
				const reason = data?.errors?.[0]?.reason;
				const h = e.response?.headers as ({ get?: (n: string) => string | null } & Record<string, string>) | undefined;
				const ra = parseRetryAfter((typeof h?.get === 'function' ? h.get('retry-after') : h?.['retry-after']) ?? undefined);
				return {
					status,
					...(reason ? { code: reason } : {}),
					message: data?.message ?? e.message ?? `HTTP ${status}`,
					...(ra !== undefined ? { retryAfterMs: ra } : {}),
				};
			}
			return { message: e?.message ?? String(err), networkCode: networkCodeOf(err) ?? 'ENETWORK' };
		},
	};
}
