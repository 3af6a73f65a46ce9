import { renderWorkItem } from '../../shared/render-item';
import type { LeaseMessage, WorkItem } from '../../shared/types';

type Lead = LeaseMessage['lead'];
import { rendered } from './driver';

/**
 * Mailgun batching of personalized, tracked email.
 *
 * Items that share a template, a sender, a campaign, the render options and the lead "shape" (which
 * fields are present) are rendered ONCE more with a placeholder context: every lead value becomes a
 * Mailgun recipient variable (`%recipient.v0%`... in subject, text and headers, `%recipient.h0%`...
 * in html, whose value is the HTML-escaped one), the message id `%recipient.id%`, and each tracking
 * URL is built from a variable in place of its own token (`%recipient.tc%`, `%recipient.to%`,
 * `%recipient.tu%`: click, open and unsubscribe links carry different tokens, so a token seen in a
 * pixel URL cannot unsubscribe anyone; one shared variable when a lease gives one token to all three). Then, for EACH
 * item, Mailgun's substitution of its own variables into that placeholder render must give back
 * exactly its real render (subject, html, text, headers) from Render Message; only such items join
 * a batch. Everything else (a filter or a condition on a variable, links built from lead data,
 * content that already contains `%recipient`) goes out one call per message with its real render.
 */

type EmailContent = { subject: string; html?: string; text: string; headers: Record<string, string> };

/** What a Mailgun call carries: content (with `%recipient.x%` when `templated`) plus per-recipient values. */
export interface MailgunDraft extends EmailContent {
	/** recipient address -> variables; `id` is our message id. */
	variables: Map<string, Record<string, string>>;
	items: WorkItem[];
	/** The content holds recipient variables: the call needs `recipient-variables`. */
	templated: boolean;
}

const RECIPIENT_VAR = /%recipient(?:\.([A-Za-z0-9_.-]+)|_email)%/g;
const REFERENCE = /%recipient\.([A-Za-z0-9_.-]+)%/g;

/** Mailgun's substitution (one pass; an unknown name stays as it is), as the sandbox implements it. */
export function substituteRecipient(value: string, vars: Record<string, string>, address: string): string {
	if (!value.includes('%recipient')) return value;
	return value.replace(RECIPIENT_VAR, (whole, key: string | undefined) => (key === undefined ? address : (vars[key] ?? whole)));
}

/** The escaping liquidjs applies to every output of the email html field (`outputEscape: "escape"`). */
export function liquidEscape(s: string): string {
	return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' })[c]!);
}

function contentOf(item: WorkItem): EmailContent {
	const e = rendered(item, 'email');
	return { subject: e.subject, ...(e.html !== undefined ? { html: e.html } : {}), text: e.text, headers: { ...e.headers } };
}

function fields(c: EmailContent): string[] {
	return [c.subject, c.html ?? '', c.text, ...Object.keys(c.headers), ...Object.values(c.headers)];
}

function referencedNames(c: EmailContent): Set<string> {
	const names = new Set<string>();
	for (const f of fields(c)) for (const m of f.matchAll(REFERENCE)) names.add(m[1]);
	return names;
}

const STANDARD = ['id', 'email', 'phone', 'firstName', 'lastName', 'timezone'] as const;

/** As @cadence/render's context: standard fields trimmed, whitespace-only means absent. */
function present(v: unknown): string | undefined {
	if (typeof v !== 'string') return undefined;
	const t = v.trim();
	return t === '' ? undefined : t;
}

/**
 * The item's lead as recipient variables: strings and numbers become `vN` (N in a fixed order:
 * standard fields, then attributes); absent / whitespace-only values stay absent / empty (so
 * `default` and the missing-variable rule apply as in the real render); booleans, null, arrays and
 * objects stay as they are. `shape` says which is which: same shape = same placeholder lead.
 * Undefined when the lead cannot be expressed that way (`__proto__` attribute).
 */
function leadVariables(lead: Lead): { shape: string; values: string[] } | undefined {
	let shape = '';
	const values: string[] = [];
	for (const key of STANDARD) {
		const v = present(lead[key]);
		if (v === undefined) shape += '0';
		else {
			shape += '1';
			values.push(v);
		}
	}
	const attrs = attributesOf(lead);
	for (const key in attrs) {
		if (!Object.hasOwn(attrs, key)) continue;
		if (key === '__proto__') return undefined;
		const value = attrs[key];
		shape += `|${key.length}:${key}`;
		if (typeof value === 'string') {
			// Whitespace-only: the renderer makes it "" (missing for outputs, falsy for `default`).
			if (value.trim() === '') shape += 'e';
			else {
				shape += 's';
				values.push(value);
			}
		} else if (typeof value === 'number' && Number.isFinite(value)) {
			shape += 'n';
			values.push(String(value));
		} else shape += `x${JSON.stringify(value ?? null)}`;
	}
	return { shape, values };
}

function attributesOf(lead: Lead): Record<string, unknown> {
	return lead.attributes && typeof lead.attributes === 'object' && !Array.isArray(lead.attributes) ? lead.attributes : {};
}

/** The lead of the placeholder render: each variable value replaced by `%recipient.<prefix>N%`. */
function placeholderLead(lead: Lead, prefix: 'v' | 'h'): Lead {
	let n = 0;
	const ref = () => `%recipient.${prefix}${n++}%`;
	const l: Lead = { id: '', email: null, phone: null, firstName: null, lastName: null, timezone: null, attributes: {} };
	for (const key of STANDARD) if (present(lead[key]) !== undefined) (l as unknown as Record<string, unknown>)[key] = ref();
	const attrs = attributesOf(lead);
	for (const key in attrs) {
		if (!Object.hasOwn(attrs, key)) continue;
		const value = attrs[key];
		if (typeof value === 'string') l.attributes![key] = value.trim() === '' ? '' : ref();
		else if (typeof value === 'number' && Number.isFinite(value)) l.attributes![key] = ref();
		else l.attributes![key] = value;
	}
	return l;
}

/** Each tracking URL of the lease, the purpose of its token, and the recipient variable standing for that token. */
const TRACKING_LINKS = [
	['clickBaseUrl', 'click', 'tc'],
	['openPixelUrl', 'open', 'to'],
	['unsubscribeUrl', 'unsubscribe', 'tu'],
] as const;
type TrackingUrlKey = (typeof TRACKING_LINKS)[number][0];

/** The token a tracking URL carries: the lease's token of its purpose, else the URL's last path segment. */
function tokenIn(url: string, given: string | null | undefined): string | undefined {
	if (given) return given;
	try {
		return (
			new URL(url).pathname
				.split('/')
				.filter(Boolean)
				.pop()
				?.replace(/\.gif$/, '') || undefined
		);
	} catch {
		return undefined;
	}
}

const templateIds = new WeakMap<object, string>();
const templateIdsBySource = new Map<string, string>();
let nextTemplateId = 0;
/** A short id per template source (items of one lease often share the template object). */
function templateId(template: object): string {
	let id = templateIds.get(template);
	if (id === undefined) {
		const source = JSON.stringify(template);
		id = templateIdsBySource.get(source);
		if (id === undefined) {
			if (templateIdsBySource.size >= 1000) templateIdsBySource.clear();
			id = String(nextTemplateId++);
			templateIdsBySource.set(source, id);
		}
		templateIds.set(template, id);
	}
	return id;
}

interface Prepared {
	key: string;
	/** Recipient variable name (`tc`, `to`, `tu`) -> this item's token it stands for. */
	tokens: Record<string, string>;
	values: string[];
	bases: Record<TrackingUrlKey, string | null>;
}

/** The group key of an item and its own values, or undefined when it cannot be batched. */
function prepare(item: WorkItem): Prepared | undefined {
	const m = item.message;
	const t = m.tracking ?? {};
	const tokens: Prepared['tokens'] = {};
	const bases: Prepared['bases'] = { clickBaseUrl: null, openPixelUrl: null, unsubscribeUrl: null };
	for (const [k, purpose, own] of TRACKING_LINKS) {
		const u = t[k];
		if (!u) continue;
		const token = tokenIn(u, t.tokens?.[purpose]);
		if (!token || !u.includes(token)) return undefined;
		// A token another link already carries keeps that link's variable (leases with one token for every link).
		const name = Object.keys(tokens).find((n) => tokens[n] === token) ?? own;
		tokens[name] = token;
		bases[k] = u.split(token).join(`%recipient.${name}%`);
	}
	const lv = leadVariables(m.lead);
	if (!lv) return undefined;
	const key = JSON.stringify([
		item.sender.channelId,
		m.channel,
		templateId(m.template),
		m.campaign ?? null,
		item.renderOptions ?? null,
		bases.clickBaseUrl,
		bases.openPixelUrl,
		bases.unsubscribeUrl,
		lv.shape,
	]);
	return { key, tokens, values: lv.values, bases };
}

/** One placeholder render of a group: subject, text, headers from the `v` context, html from the `h` context. */
function placeholderRender(p: Prepared, item: WorkItem): EmailContent | undefined {
	const options = item.renderOptions ?? {};
	const m = item.message;
	const as = (prefix: 'v' | 'h'): WorkItem => ({
		...item,
		message: {
			...m,
			messageId: '%recipient.id%',
			lead: placeholderLead(m.lead, prefix),
			tracking: { ...(m.tracking ?? {}), ...p.bases },
		},
	});
	const v = renderWorkItem(as('v'), options);
	if (!('rendered' in v) || v.rendered.channel !== 'email') return undefined;
	let html = v.rendered.html;
	if (html !== undefined) {
		const h = renderWorkItem(as('h'), options);
		if (!('rendered' in h) || h.rendered.channel !== 'email' || h.rendered.html === undefined) return undefined;
		html = h.rendered.html;
	}
	return {
		subject: v.rendered.subject,
		...(html !== undefined ? { html } : {}),
		text: v.rendered.text,
		headers: { ...v.rendered.headers },
	};
}

/** A placeholder string cut at its recipient variables: literal, name, literal, ..., literal ('' = %recipient_email%). */
type Compiled = string[];

function compile(value: string): Compiled {
	const parts: string[] = [];
	let last = 0;
	for (const m of value.matchAll(RECIPIENT_VAR)) {
		parts.push(value.slice(last, m.index), m[1] ?? '');
		last = m.index + m[0].length;
	}
	parts.push(value.slice(last));
	return parts;
}

/** Whether Mailgun's substitution of `vars` into the compiled placeholder gives exactly `real` (builds no string). */
function reproduces(parts: Compiled, vars: Record<string, string>, address: string, real: string): boolean {
	let pos = 0;
	for (let i = 0; i < parts.length; i++) {
		const name = parts[i];
		const piece = i % 2 === 0 ? name : name === '' ? address : (vars[name] ?? `%recipient.${name}%`);
		if (!real.startsWith(piece, pos)) return false;
		pos += piece.length;
	}
	return pos === real.length;
}

interface Group {
	content: EmailContent;
	names: Set<string>;
	subject: Compiled;
	html?: Compiled;
	text: Compiled;
	headers: Array<[string, Compiled]>;
}

export interface BatchTemplate {
	key: string;
	content: EmailContent;
	/** This item's recipient variables (the names the content uses, plus `id`). */
	vars: Record<string, string>;
}

/** Placeholder renders by group key (null: the group cannot be batched). */
export type PlaceholderCache = Map<string, Group | null>;

/**
 * The batch template an item can go out with, or undefined. Correct by construction: Mailgun's
 * substitution of the item's own variables into the placeholder render must reproduce its real
 * render exactly; the real render must not itself contain `%recipient` (Mailgun would substitute it).
 */
export function batchTemplateOf(item: WorkItem, cache: PlaceholderCache = new Map()): BatchTemplate | undefined {
	const real = rendered(item, 'email');
	if (real.subject.includes('%recipient') || real.text.includes('%recipient') || real.html?.includes('%recipient')) return undefined;
	for (const k in real.headers) if (k.includes('%recipient') || real.headers[k].includes('%recipient')) return undefined;
	const address = (item.message.lead.email ?? '').trim();
	if (address === '') return undefined;
	const p = prepare(item);
	if (!p) return undefined;
	let group = cache.get(p.key);
	if (group === undefined) {
		const content = placeholderRender(p, item);
		group = content
			? {
					content,
					names: referencedNames(content),
					subject: compile(content.subject),
					...(content.html !== undefined ? { html: compile(content.html) } : {}),
					text: compile(content.text),
					headers: Object.entries(content.headers).map(([k, v]): [string, Compiled] => [k, compile(v)]),
				}
			: null;
		cache.set(p.key, group);
	}
	if (!group) return undefined;
	const vars: Record<string, string> = { id: item.message.messageId };
	for (const name of group.names) {
		if (name === 'id') continue;
		let value: string | undefined;
		if (Object.hasOwn(p.tokens, name)) value = p.tokens[name];
		else if (/^[vh]\d+$/.test(name)) {
			const raw = p.values[Number(name.slice(1))];
			if (raw !== undefined && name[0] === 'h') {
				value = liquidEscape(raw);
				// An html variable may be merged into its text twin (same values in the whole call).
				vars[`v${name.slice(1)}`] = raw;
			} else value = raw;
		}
		if (value === undefined) return undefined;
		vars[name] = value;
	}
	if (!reproduces(group.subject, vars, address, real.subject) || !reproduces(group.text, vars, address, real.text)) return undefined;
	if (
		(group.html === undefined) !== (real.html === undefined) ||
		(group.html !== undefined && !reproduces(group.html, vars, address, real.html!))
	)
		return undefined;
	if (Object.keys(real.headers).length !== group.headers.length) return undefined;
	for (const [k, parts] of group.headers)
		if (!Object.hasOwn(real.headers, k) || !reproduces(parts, vars, address, real.headers[k])) return undefined;
	return { key: p.key, content: group.content, vars };
}

/**
 * The content and recipient-variables of one call for the given recipients: an html variable whose
 * value equals its text twin for every recipient of the call is merged into it, and each recipient
 * carries only the names the content uses (plus `id`).
 */
export function finalizeDraft(
	draft: MailgunDraft,
	recipients: Array<[string, Record<string, string>]>,
): { content: EmailContent; variables: Record<string, Record<string, string>> } {
	let html = draft.html;
	if (html !== undefined && draft.templated) {
		const names = new Set([...html.matchAll(REFERENCE)].map((m) => m[1]).filter((n) => /^h\d+$/.test(n)));
		for (const name of names) {
			const twin = `v${name.slice(1)}`;
			if (recipients.every(([, v]) => v[name] !== undefined && v[name] === v[twin]))
				html = html.split(`%recipient.${name}%`).join(`%recipient.${twin}%`);
		}
	}
	const content: EmailContent = {
		subject: draft.subject,
		...(html !== undefined ? { html } : {}),
		text: draft.text,
		headers: draft.headers,
	};
	const used = referencedNames(content);
	used.add('id');
	const variables: Record<string, Record<string, string>> = {};
	for (const [address, vars] of recipients) {
		const kept: Record<string, string> = {};
		for (const [k, v] of Object.entries(vars)) if (used.has(k)) kept[k] = v;
		variables[address] = kept;
	}
	return { content, variables };
}

/**
 * Groups items with the same batch template, due together (`sameWindow`, their grant slots), with
 * distinct addresses, into drafts of at most `maxRecipients`; every other item is a draft of its
 * own with its real render.
 */
export function planMailgunBatches(
	items: WorkItem[],
	maxRecipients: number,
	sameWindow: (first: WorkItem, next: WorkItem) => boolean,
	batching = true,
): MailgunDraft[] {
	const drafts: MailgunDraft[] = [];
	const open = new Map<string, MailgunDraft>();
	const cache: PlaceholderCache = new Map();
	for (const item of items) {
		const address = (item.message.lead.email ?? '').trim();
		const bt = batching && maxRecipients > 1 ? batchTemplateOf(item, cache) : undefined;
		if (!bt) {
			drafts.push({ ...contentOf(item), variables: new Map([[address, { id: item.message.messageId }]]), items: [item], templated: false });
			continue;
		}
		let draft = open.get(bt.key);
		if (draft && (draft.variables.size >= maxRecipients || draft.variables.has(address) || !sameWindow(draft.items[0], item))) {
			open.delete(bt.key);
			draft = undefined;
		}
		if (!draft) {
			draft = { ...bt.content, headers: { ...bt.content.headers }, variables: new Map(), items: [], templated: true };
			open.set(bt.key, draft);
			drafts.push(draft);
		}
		draft.variables.set(address, bt.vars);
		draft.items.push(item);
	}
	// A "batch" of one goes out as its real render, without recipient-variables.
	return drafts.map((d) =>
		d.templated && d.items.length === 1 ? { ...contentOf(d.items[0]), variables: d.variables, items: d.items, templated: false } : d,
	);
}
