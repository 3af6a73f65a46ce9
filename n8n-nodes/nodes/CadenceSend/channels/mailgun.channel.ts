import type { default as MailgunClass } from 'mailgun.js' with { 'resolution-mode': 'import' };
import { networkCodeOf, type ProviderError } from '../../shared/outcome';
import type { Sender, WorkItem } from '../../shared/types';
import { str, type ChannelDriver, type DriverDeps } from './driver';
import { finalizeDraft, planMailgunBatches, type MailgunDraft } from './mailgun-batch';

// mailgun.js ships CommonJS with ESM-only typings: load the CJS build with its ESM type.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Mailgun = require('mailgun.js') as typeof MailgunClass;

export interface MailgunOptions {
	batching: boolean;
	maxRecipients: number;
	/** Items whose grant slots lie within this window may share one batch call. */
	batchWindowMs: number;
	dueAt: (item: WorkItem) => number;
}

type MailgunClient = ReturnType<MailgunClass['client']>;
type MakeRequest = (url: string, method: string, config?: Record<string, unknown>, options?: unknown) => Promise<unknown>;

/**
 * mailgun.js's axios follows up to 21 redirects and the client has no option against it: a redirect
 * from the base URL would carry the message, and on the same host the API key, wherever it points. Its
 * request provider passes per-call axios options through, so every call gets `maxRedirects: 0` (a 3xx
 * then fails the call like any other status). Fails loudly if a mailgun.js update moves that provider.
 */
export function withoutRedirects(client: MailgunClient): MailgunClient {
	const provider = (client as unknown as { request?: { requestProvider?: { makeRequest?: MakeRequest } } }).request?.requestProvider;
	if (!provider || typeof provider.makeRequest !== 'function')
		throw new Error('mailgun.js: cannot turn off redirects (request provider not found)');
	const makeRequest = provider.makeRequest.bind(provider);
	provider.makeRequest = (url, method, config, options) => makeRequest(url, method, { ...(config ?? {}), maxRedirects: 0 }, options);
	return client;
}

const NETWORK_TEXT = /^(E[A-Z_]+|ERR_[A-Z_]+|UND_ERR\w*)$/;

/**
 * Mailgun messages API through mailgun.js. Messages whose real render is reproduced exactly by
 * Mailgun's substitution of their own recipient variables into one placeholder render of their
 * template (see mailgun-batch.ts) go out as one call with recipient-variables; everything else
 * one call per message. Every message carries `v:cadence_message_id` and `X-Cadence-Message-Id`.
 */
export function mailgunDriver(sender: Sender, deps: DriverDeps, options: MailgunOptions): ChannelDriver {
	const domain = str(sender.config.domain) ?? '';
	const from = str(sender.config.from) ?? `postmaster@${domain}`;
	let client: ReturnType<MailgunClass['client']> | undefined;
	const drafts = new WeakMap<WorkItem, MailgunDraft>();
	const makeClient = () =>
		withoutRedirects(
			new Mailgun(FormData).client({
				username: 'api',
				key: str(sender.secrets.apiKey) ?? '',
				url: str(sender.config.baseUrl) ?? 'https://api.mailgun.net',
				timeout: deps.requestTimeoutMs,
			}),
		);
	return {
		provider: 'mailgun',
		limits: () => ({}),
		plan(items) {
			const planned = planMailgunBatches(
				items,
				options.maxRecipients,
				(a, b) => options.dueAt(b) - options.dueAt(a) <= options.batchWindowMs,
				options.batching,
			);
			for (const d of planned) for (const it of d.items) drafts.set(it, d);
			return planned.map((d) => d.items);
		},
		prepare() {
			client ??= makeClient();
		},
		async send(unit) {
			client ??= makeClient();
			const planned = drafts.get(unit[0]);
			// The engine may drop items the backend refused to mark: send only what is left.
			const keep = new Set(unit);
			const draft = planned ?? planMailgunBatches(unit, options.maxRecipients, () => true, false)[0];
			const recipients = [...draft.variables.entries()].filter((_, i) => keep.has(draft.items[i]));
			const batch = draft.templated;
			const { content, variables } = finalizeDraft(draft, recipients);
			const single = recipients[0][1];
			const data: Record<string, unknown> = {
				from,
				// One comma-separated field, not 1,000 form parts (Mailgun accepts both), unless an
				// address itself has a comma or quoting.
				to: recipients.some(([a]) => /[,"<>]/.test(a))
					? recipients.map(([address]) => address)
					: recipients.map(([address]) => address).join(', '),
				subject: content.subject,
				text: content.text,
				...(content.html !== undefined ? { html: content.html } : {}),
				'v:cadence_message_id': batch ? '%recipient.id%' : single.id,
				'h:X-Cadence-Message-Id': batch ? '%recipient.id%' : single.id,
			};
			for (const [k, v] of Object.entries(content.headers)) data[`h:${k}`] = v;
			// An answer written in the inbox replies in the lead's thread. Only such one-message campaigns carry
			// threading for Mailgun, and a lease serves one campaign, so a threaded unit is that one message.
			const threading = recipients.length === 1 ? keepThreading(unit, single.id) : undefined;
			if (threading?.inReplyTo) {
				data['h:In-Reply-To'] = threading.inReplyTo;
				if (threading.references?.length) data['h:References'] = threading.references.join(' ');
			}
			if (batch) data['recipient-variables'] = JSON.stringify(variables);
			const res = await client.messages.create(domain, data as never);
			if (!res.id) throw Object.assign(new Error(res.message ?? 'accepted without an id'), { status: 502 });
			return unit.map(() => res.id!);
		},
		toProviderError(err): ProviderError {
			const e = err as { status?: number; message?: string; details?: unknown; type?: string };
			if (e?.type === 'MailgunAPIError' && typeof e.status === 'number') {
				if (typeof e.details === 'string' && NETWORK_TEXT.test(e.message ?? '')) {
					return { message: e.details, networkCode: networkCodeOf({ code: e.message, message: e.details }) ?? e.message! };
				}
				const detail =
					typeof e.details === 'object' && e.details
						? (e.details as { message?: string }).message
						: typeof e.details === 'string'
							? e.details
							: undefined;
				return { status: e.status, message: detail ?? e.message ?? `HTTP ${e.status}` };
			}
			if (typeof e?.status === 'number') return { status: e.status, message: e.message ?? `HTTP ${e.status}` };
			return { message: e?.message ?? String(err), networkCode: networkCodeOf(err) ?? 'ENETWORK' };
		},
	};
}

/** The threading of the message with this id in the unit, if any. */
function keepThreading(unit: WorkItem[], messageId: string) {
	return unit.find((it) => it.message.messageId === messageId)?.message.threading ?? undefined;
}
