/**
 * Microbenchmark: renders/s for an email with click tracking + open pixel + unsubscribe headers,
 * and for an SMS, with the parse cache (what the n8n node does) and without it (every render
 * re-parses, as a naive implementation would). Run with `npm run bench`.
 */
import { performance } from 'node:perf_hooks';
import { buildRenderContext, renderTemplate } from '../index';
import type { MessageTemplate, RenderContext, RenderOptions } from '../index';
import { htmlEngine, textEngine } from '../liquid-engine';

const DURATION_MS = Number(process.env.BENCH_MS ?? 1500);

const email: MessageTemplate = {
  channel: 'email',
  subject: "{{ lead.first_name | default: 'Hi' }}, your {{ lead.plan | upcase }} plan renews soon",
  html: `<!doctype html><html><head><style>p { font-family: sans-serif }</style></head><body>
<h1>Hello {{ lead.first_name | default: "there" }},</h1>
<p>Thanks for using Cadence at {{ lead.company }}. Your plan <b>{{ lead.plan }}</b> renews on {{ lead.renewal }}.</p>
{% if lead.vip %}<p>As a VIP you get <a href="https://example.com/vip?c={{ campaign.id }}">early access</a>.</p>{% endif %}
<p><a href="https://example.com/pricing">Pricing</a> · <a href='https://example.com/docs/getting-started#setup'>Docs</a> ·
<a href="https://example.com/blog?utm_source=email&amp;utm_campaign={{ campaign.id }}">Blog</a> · <a href="mailto:help@example.com">Help</a></p>
<ul>{% for feature in lead.features %}<li>{{ feature | capitalize }}</li>{% endfor %}</ul>
<p>{{ sender.name }}<br>{{ sender.company_name }}</p>
<p style="font-size:12px"><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>
</body></html>`,
};

const sms: MessageTemplate = {
  channel: 'sms',
  body: "Hi {{ lead.first_name | default: 'there' }}, your {{ lead.plan }} plan renews on {{ lead.renewal }}. Reply STOP to opt out.",
};

// liquidjs builds a new Intl.DateTimeFormat for every month/day name (%b, %B, %a, %A), which
// costs more than the rest of a render; measured separately so the figure is visible.
const smsWithDate: MessageTemplate = {
  channel: 'sms',
  body: "Hi {{ lead.first_name | default: 'there' }}, your plan renews on {{ lead.renewal | date: '%b %d' }}.",
};

function contextFor(i: number): RenderContext {
  return buildRenderContext({
    lead: {
      id: `lead-${i}`,
      email: `lead${i}@example.com`,
      firstName: i % 10 === 0 ? null : `Lead${i}`,
      lastName: 'Example',
      attributes: { company: `Company ${i}`, plan: 'pro', vip: i % 3 === 0, renewal: '2026-12-01', features: ['sequences', 'whatsapp'] },
    },
    sender: { name: 'Bob', companyName: 'Cadence' },
    campaign: { id: 'c-1', name: 'Renewals' },
    message: { id: `m-${i}` },
  });
}

function optionsFor(i: number): RenderOptions {
  return {
    tracking: { clickBaseUrl: 'https://t.cadence.example/c/m-' + i, openPixelUrl: `https://t.cadence.example/o/m-${i}.gif` },
    unsubscribe: { url: `https://app.cadence.example/u/m-${i}?sig=abc`, mailto: 'unsubscribe@cadence.example' },
  };
}

function measure(label: string, template: MessageTemplate, cached: boolean): number {
  const contexts = Array.from({ length: 256 }, (_, i) => contextFor(i));
  const options = Array.from({ length: 256 }, (_, i) => optionsFor(i));
  const run = (i: number): void => {
    if (!cached) {
      htmlEngine.clearCache();
      textEngine.clearCache();
    }
    const result = renderTemplate(template, contexts[i & 255], options[i & 255]);
    if (result.status !== 'rendered') throw new Error(`unexpected ${JSON.stringify(result)}`);
  };
  for (let i = 0; i < 2000; i++) run(i); // warm-up: JIT and, when cached, the parse cache
  let count = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < DURATION_MS) {
    for (let i = 0; i < 200; i++) run(count++);
    elapsed = performance.now() - start;
  }
  const perSecond = Math.round((count / elapsed) * 1000);
  console.log(`${label.padEnd(44)} ${perSecond.toLocaleString('en-US').padStart(10)} renders/s`);
  return perSecond;
}

const emailCached = measure('email + tracking + unsubscribe (cached)', email, true);
const emailNaive = measure('email + tracking + unsubscribe (re-parsed)', email, false);
const smsCached = measure('sms (cached)', sms, true);
const smsNaive = measure('sms (re-parsed)', sms, false);
measure("sms with | date: '%b %d' (cached)", smsWithDate, true);
console.log(`cache speed-up: email x${(emailCached / emailNaive).toFixed(1)}, sms x${(smsCached / smsNaive).toFixed(1)}`);
