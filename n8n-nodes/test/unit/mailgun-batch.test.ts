import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { type RenderItemOptions } from '../../nodes/shared/render-item';
import { emailItem } from '../helpers/email-items';
import type { LeaseLead, LeaseMessage, WorkItem } from '../../nodes/shared/types';
import {
	batchTemplateOf,
	finalizeDraft,
	planMailgunBatches,
	substituteRecipient,
	type MailgunDraft,
} from '../../nodes/CadenceSend/channels/mailgun-batch';

const NEWS = {
	channel: 'email' as const,
	subject: 'Hi {{ lead.first_name }}, news for {{ lead.company | default: "you" }}',
	html: '<html><body><p>Hello {{ lead.first_name }} ({{ lead.company | default: "you" }})</p><a href="https://acme.test/offer?a=1&b=2">offer</a> <a href="{{ unsubscribe_url }}">unsubscribe</a> <small>{{ message.id }}</small></body></html>',
	text: 'Hello {{ lead.first_name }}\nOffer: https://acme.test/offer\nUnsubscribe: {{ unsubscribe_url }}',
};

const item = (
	i: number,
	lead: Partial<LeaseLead> = {},
	template: LeaseMessage['template'] = NEWS,
	options: RenderItemOptions = {},
	tokens: 'lease' | 'inferred' | 'shared' = 'lease',
): WorkItem => emailItem(i, { lead, template, options, tokens });

/** What the recipient of `it` gets from the draft, Mailgun-substituted. */
function delivered(d: MailgunDraft, it: WorkItem) {
	const address = it.message.lead.email!;
	const recipients = [...d.variables.entries()];
	const { content, variables } = finalizeDraft(d, recipients);
	const vars = variables[address];
	const headers: Record<string, string> = {};
	for (const [k, v] of Object.entries(content.headers)) headers[k] = substituteRecipient(v, vars, address);
	return {
		subject: substituteRecipient(content.subject, vars, address),
		html: content.html === undefined ? undefined : substituteRecipient(content.html, vars, address),
		text: substituteRecipient(content.text, vars, address),
		headers,
		vars,
	};
}

function assertExact(d: MailgunDraft, it: WorkItem) {
	const got = delivered(d, it);
	const real = it.rendered as Extract<WorkItem['rendered'], { channel: 'email' }>;
	assert.equal(got.subject, real.subject);
	assert.equal(got.html, real.html);
	assert.equal(got.text, real.text);
	assert.deepEqual(got.headers, real.headers);
	assert.equal(got.vars.id, it.message.messageId);
}

describe('mailgun batching: one placeholder render, verified per item', () => {
	it('personalized subject / html / text with tracking and List-Unsubscribe go out as one templated draft', () => {
		const items = [1, 2, 3, 4].map((i) => item(i));
		const drafts = planMailgunBatches(items, 1000, () => true);
		assert.equal(drafts.length, 1);
		const d = drafts[0];
		assert.equal(d.templated, true);
		assert.equal(d.items.length, 4);
		assert.match(d.subject, /^Hi %recipient\.v\d+%, news for %recipient\.v\d+%$/);
		assert.match(
			d.html!,
			/href="https:\/\/api\.cadence\.test\/t\/c\/%recipient\.tc%\?u=[^"]+&amp;i=0"/,
			'click tracking from the click token variable',
		);
		assert.match(d.html!, /<img src="https:\/\/api\.cadence\.test\/t\/o\/%recipient\.to%\.gif"/, 'open pixel from the open token variable');
		assert.match(d.html!, /href="https:\/\/api\.cadence\.test\/u\/%recipient\.tu%"/, 'unsubscribe link not click-tracked');
		assert.match(d.html!, /<small>%recipient\.id%<\/small>/);
		assert.equal(d.headers['List-Unsubscribe'], '<https://api.cadence.test/u/%recipient.tu%>');
		assert.equal(d.headers['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click');
		for (const it of items) assertExact(d, it);
		const v2 = delivered(d, items[1]);
		assert.equal(v2.subject, 'Hi Ada2, news for Acme 2');
		// Three tokens per recipient: the pixel's token is not the unsubscribe link's.
		assert.deepEqual([v2.vars.tc, v2.vars.to, v2.vars.tu], ['tok2-xxxxxxxxxxxx-c', 'tok2-xxxxxxxxxxxx-o', 'tok2-xxxxxxxxxxxx-u']);
		assert.equal(v2.headers['List-Unsubscribe'], '<https://api.cadence.test/u/tok2-xxxxxxxxxxxx-u>');
		assert.ok(v2.html!.includes('/t/o/tok2-xxxxxxxxxxxx-o.gif') && v2.html!.includes('/t/c/tok2-xxxxxxxxxxxx-c?u='));
	});

	it('recipient variables carry only what the content uses', () => {
		const items = [1, 2].map((i) =>
			item(i, { phone: '+14155550100', timezone: 'Europe/Paris', attributes: { company: `Acme ${i}`, plan: 'pro', city: 'Paris' } }),
		);
		const d = planMailgunBatches(items, 1000, () => true)[0];
		const { variables } = finalizeDraft(d, [...d.variables.entries()]);
		// first name (v3) and company (v5) -- their html twins merged, no escaping needed -- message id, click, open and unsubscribe tokens.
		assert.deepEqual(Object.keys(variables['r1@example.com']).sort(), ['id', 'tc', 'to', 'tu', 'v3', 'v5']);
		assert.deepEqual(variables['r2@example.com'], {
			id: 'm-2',
			tc: 'tok2-xxxxxxxxxxxx-c',
			to: 'tok2-xxxxxxxxxxxx-o',
			tu: 'tok2-xxxxxxxxxxxx-u',
			v3: 'Ada2',
			v5: 'Acme 2',
		});
	});

	it('a filter on a variable that changes the value falls back to a single send for that item only', () => {
		const tpl = { ...NEWS, subject: 'Hi {{ lead.first_name | capitalize }}' };
		const ok1 = item(1, { firstName: 'Ada' }, tpl);
		const ok2 = item(2, { firstName: 'Bob' }, tpl);
		const lower = item(3, { firstName: 'carol' }, tpl); // capitalize changes it: "Carol" != "carol"
		assert.ok(batchTemplateOf(ok1));
		assert.equal(batchTemplateOf(lower), undefined);
		const drafts = planMailgunBatches([ok1, lower, ok2], 1000, () => true);
		assert.deepEqual(
			drafts.map((d) => [d.templated, d.items.map((i) => i.message.messageId)]),
			[
				[true, ['m-1', 'm-2']],
				[false, ['m-3']],
			],
		);
		assert.equal(drafts[1].subject, 'Hi Carol');
		for (const it of [ok1, ok2]) assertExact(drafts[0], it);
		// upcase changes every value: nobody is batched.
		const up = { ...NEWS, subject: 'HI {{ lead.first_name | upcase }}' };
		assert.ok(planMailgunBatches([item(1, {}, up), item(2, {}, up)], 1000, () => true).every((d) => !d.templated));
	});

	it('a condition on a variable: items it would change are sent alone', () => {
		const tpl = { ...NEWS, text: '{% if lead.first_name == "Ada" %}VIP {% endif %}Hello {{ lead.first_name }}' };
		const ada = item(1, { firstName: 'Ada' }, tpl);
		const others = [item(2, {}, tpl), item(3, {}, tpl)];
		const drafts = planMailgunBatches([ada, ...others], 1000, () => true);
		assert.deepEqual(
			drafts.map((d) => [d.templated, d.items.length]),
			[
				[false, 1],
				[true, 2],
			],
		);
		assert.equal(drafts[0].text, 'VIP Hello Ada');
	});

	it('a missing value covered by a default forms its own group (lead shape), still batched and exact', () => {
		const withCo = [item(1), item(2)];
		const without = [item(3, { attributes: {} }), item(4, { attributes: {} })];
		const drafts = planMailgunBatches([...withCo, ...without], 1000, () => true);
		assert.deepEqual(
			drafts.map((d) => [d.templated, d.items.length]),
			[
				[true, 2],
				[true, 2],
			],
		);
		assert.match(drafts[1].subject, /news for you$/);
		for (const it of withCo) assertExact(drafts[0], it);
		for (const it of without) assertExact(drafts[1], it);
		// A whitespace-only value counts as missing, as in the real render.
		const blank = [item(5, { attributes: { company: '  ' } }), item(6, { attributes: { company: ' ' } })];
		const b = planMailgunBatches(blank, 1000, () => true);
		assert.equal(b.length, 1);
		for (const it of blank) assertExact(b[0], it);
	});

	it('html escaping: a first name with < and & is escaped in html, raw in subject and text', () => {
		const odd = item(1, { firstName: '<Tom & "Jerry">' });
		const plain = item(2);
		const real = odd.rendered as Extract<WorkItem['rendered'], { channel: 'email' }>;
		assert.match(real.html!, /Hello &lt;Tom &amp; &#34;Jerry&#34;&gt;/);
		assert.equal(real.subject, 'Hi <Tom & "Jerry">, news for Acme 1');
		const drafts = planMailgunBatches([odd, plain], 1000, () => true);
		assert.equal(drafts.length, 1);
		const d = drafts[0];
		assert.match(d.html!, /Hello %recipient\.h\d+%/, 'html uses the escaped variant');
		assert.match(d.subject, /Hi %recipient\.v\d+%/);
		const bt = batchTemplateOf(odd)!;
		const h = Object.entries(bt.vars).find(([k]) => k.startsWith('h'))!;
		assert.equal(h[1], '&lt;Tom &amp; &#34;Jerry&#34;&gt;');
		assertExact(d, odd);
		assertExact(d, plain);
		// A call whose recipients need no escaping merges html variables into the text ones.
		const merged = finalizeDraft(
			d,
			[...d.variables.entries()].filter(([a]) => a === 'r2@example.com'),
		);
		assert.ok(!merged.content.html!.includes('%recipient.h'));
		const both = finalizeDraft(d, [...d.variables.entries()]);
		assert.ok(both.content.html!.includes('%recipient.h'));
		// `| raw` in html with a value that needs escaping cannot be batched.
		const rawTpl = { ...NEWS, html: '<p>{{ lead.first_name | raw }}</p>' };
		assert.equal(batchTemplateOf(item(5, { firstName: 'A & B' }, rawTpl)), undefined);
		assert.ok(batchTemplateOf(item(6, { firstName: 'AB' }, rawTpl)));
	});

	it('links built from lead data, %recipient in the content, duplicate addresses and the cap', () => {
		const linkTpl = { ...NEWS, html: '<a href="https://acme.test/p/{{ lead.first_name }}">you</a>' };
		assert.equal(batchTemplateOf(item(1, {}, linkTpl)), undefined, 'the tracked link encodes the personalized URL');
		assert.equal(batchTemplateOf(item(2, { firstName: '%recipient.x%' })), undefined);
		const a = item(1);
		const b = item(2, { email: 'r1@example.com' });
		const drafts = planMailgunBatches([a, b, item(3), item(4), item(5)], 2, () => true);
		// The same address again closes the open batch (slot order is kept).
		assert.deepEqual(
			drafts.map((d) => d.items.map((i) => i.message.messageId)),
			[['m-1'], ['m-2', 'm-3'], ['m-4', 'm-5']],
		);
		assert.equal(drafts[0].templated, false, 'a batch of one goes out as its real render');
		assert.equal(drafts[0].subject, 'Hi Ada1, news for Acme 1');
		assert.equal(drafts[1].templated, true);
	});

	it('respects the Render options the item was rendered with, and infers tokens the lease does not name', () => {
		const noTrack = [item(1, {}, NEWS, { tracking: false }), item(2, {}, NEWS, { tracking: false })];
		const d = planMailgunBatches(noTrack, 1000, () => true);
		assert.equal(d.length, 1);
		assert.ok(!d[0].html!.includes('/t/c/'));
		for (const it of noTrack) assertExact(d[0], it);
		const inferred = [item(1, {}, NEWS, {}, 'inferred'), item(2, {}, NEWS, {}, 'inferred')];
		const i = planMailgunBatches(inferred, 1000, () => true);
		assert.equal(i.length, 1);
		for (const it of inferred) assertExact(i[0], it);
		assert.equal(delivered(i[0], inferred[1]).vars.tu, 'tok2-xxxxxxxxxxxx-u');
		// One token in every link (a lease from before purpose-bound tokens): one variable serves all three.
		const shared = [item(1, {}, NEWS, {}, 'shared'), item(2, {}, NEWS, {}, 'shared')];
		const s = planMailgunBatches(shared, 1000, () => true);
		assert.equal(s.length, 1);
		for (const it of shared) assertExact(s[0], it);
		assert.ok(!s[0].html!.includes('%recipient.to%') && !s[0].headers['List-Unsubscribe'].includes('%recipient.tu%'));
		assert.deepEqual(
			Object.keys(delivered(s[0], shared[1]).vars).filter((k) => k.startsWith('t')),
			['tc'],
		);
	});

	it('batching off: one draft per item with its real render', () => {
		const drafts = planMailgunBatches([item(1), item(2)], 1000, () => true, false);
		assert.deepEqual(
			drafts.map((d) => [d.templated, d.subject]),
			[
				[false, 'Hi Ada1, news for Acme 1'],
				[false, 'Hi Ada2, news for Acme 2'],
			],
		);
	});
});
