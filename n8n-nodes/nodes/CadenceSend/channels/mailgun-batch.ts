import type { WorkItem } from '../../shared/types';
import { rendered } from './driver';

/** What a Mailgun call carries: content with `%recipient.x%` placeholders plus per-recipient values. */
export interface MailgunDraft {
	subject: string;
	html?: string;
	text: string;
	headers: Record<string, string>;
	/** recipient address -> variables; `id` is our message id. */
	variables: Map<string, Record<string, string>>;
	items: WorkItem[];
}

const KEYS = ['unsub', 'click', 'pixel', 'id'] as const;

function htmlEscape(s: string): string {
	return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The per-message values Cadence itself put into a rendered email (never the lead's data). */
export function perMessageValues(item: WorkItem): Record<string, string> {
	const t = item.message.tracking ?? {};
	const vars: Record<string, string> = { id: item.message.messageId };
	if (t.clickBaseUrl) vars.click = t.clickBaseUrl;
	if (t.openPixelUrl) vars.pixel = t.openPixelUrl;
	if (t.unsubscribeUrl) {
		let normalized = t.unsubscribeUrl;
		try {
			normalized = new URL(t.unsubscribeUrl).toString();
		} catch {
			/* keep as is */
		}
		vars.unsub = normalized;
	}
	return vars;
}

function toSkeleton(value: string, vars: Record<string, string>): string {
	let out = value;
	for (const key of KEYS) {
		const v = vars[key];
		if (!v || v.length < 8) continue;
		out = out.split(htmlEscape(v)).join(`%recipient.${key}%`).split(v).join(`%recipient.${key}%`);
	}
	return out;
}

function fromSkeleton(value: string, vars: Record<string, string>): string {
	return value.replace(/%recipient\.([a-z]+)%/g, (m, k: string) => vars[k] ?? m);
}

/**
 * The rendered message with Cadence's per-message values (message id, tracking and unsubscribe
 * URLs) replaced by `%recipient.x%`, or undefined when that is not exact. The round trip is
 * checked: Mailgun's substitution must give back exactly the rendered bytes; anything else
 * (lead-personalized content, HTML-escaped variants, text already containing `%recipient.`)
 * is sent one call per message.
 */
export function skeletonOf(item: WorkItem): { key: string; subject: string; html?: string; text: string; headers: Record<string, string>; vars: Record<string, string> } | undefined {
	const email = rendered(item, 'email');
	const vars = perMessageValues(item);
	const all = [email.subject, email.html ?? '', email.text, ...Object.values(email.headers)];
	if (all.some((s) => s.includes('%recipient'))) return undefined;
	const subject = toSkeleton(email.subject, vars);
	const html = email.html !== undefined ? toSkeleton(email.html, vars) : undefined;
	const text = toSkeleton(email.text, vars);
	const headers: Record<string, string> = {};
	for (const [k, v] of Object.entries(email.headers)) headers[k] = toSkeleton(v, vars);
	const back = [fromSkeleton(subject, vars), html !== undefined ? fromSkeleton(html, vars) : '', fromSkeleton(text, vars), ...Object.values(headers).map((h) => fromSkeleton(h, vars))];
	if (back.some((s, i) => s !== all[i])) return undefined;
	const key = JSON.stringify([subject, html ?? null, text, headers]);
	return { key, subject, ...(html !== undefined ? { html } : {}), text, headers, vars };
}

/**
 * Groups consecutive-in-time items with identical skeletons into batch drafts of at most
 * `maxRecipients` distinct addresses; `sameWindow(a, b)` keeps a batch inside the pacing window.
 */
export function planMailgunBatches(items: WorkItem[], maxRecipients: number, sameWindow: (first: WorkItem, next: WorkItem) => boolean, batching = true): MailgunDraft[] {
	const drafts: MailgunDraft[] = [];
	const open = new Map<string, MailgunDraft>();
	for (const item of items) {
		const address = (item.message.lead.email ?? '').trim();
		const sk = batching ? skeletonOf(item) : undefined;
		if (!sk) {
			const email = rendered(item, 'email');
			drafts.push({ subject: email.subject, ...(email.html !== undefined ? { html: email.html } : {}), text: email.text, headers: { ...email.headers }, variables: new Map([[address, { id: item.message.messageId }]]), items: [item] });
			continue;
		}
		let draft = open.get(sk.key);
		if (draft && (draft.variables.size >= maxRecipients || draft.variables.has(address) || !sameWindow(draft.items[0]!, item))) {
			open.delete(sk.key);
			draft = undefined;
		}
		if (!draft) {
			draft = { subject: sk.subject, ...(sk.html !== undefined ? { html: sk.html } : {}), text: sk.text, headers: sk.headers, variables: new Map(), items: [] };
			open.set(sk.key, draft);
			drafts.push(draft);
		}
		draft.variables.set(address, sk.vars);
		draft.items.push(item);
	}
	return drafts;
}
