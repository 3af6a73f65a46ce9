// A WhatsApp template campaign end to end with a real n8n and the provider sandbox (issue 16): the
// business account's templates synced, the sample CSV of one downloaded and filled with 1,000 rows (some
// bad), imported, launched at 80 msg/s through three parallel runs, paused and resumed; delivered / read /
// failed come back by webhook and are counted; a retry of the retryable failures sends exactly those once
// more; the export of failures lists the rest with the error code and its title; an unapproved template is
// refused before launch; a second campaign is cancelled mid-way. At the sandbox, no one-second window
// holds more than 80 messages and none is refused with 130429.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startStack, waitFor } from './stack.mjs';

const PHONE_ID = '106540352249001';
const WABA = '102290129349001';
const TOKEN = 'EAAG-e2e-whatsapp';
const APP_SECRET = 'e2e-whatsapp-app-secret';
const VERIFY = 'e2e-verify-token';
const RATE = 80;
const ROWS = 1000;
const BAD = 25; // rows whose phone number cannot be a number
/** RFC 4180 rows (quoted cells may hold commas, quotes and line breaks). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}
// Real North American area codes; exchanges 200-300 skipping the N11 service code 211 (not a number).
const AREAS = ['415', '510', '650', '408', '212', '646', '718', '917', '305', '312', '617', '303', '206', '512'];
/** A valid, distinct US national number per index (up to 1,400) ending in `suffix` (the sandbox's convention). */
function nationalNumber(i, suffix) {
  const block = Math.floor(i / AREAS.length);
  return `${AREAS[i % AREAS.length]}${200 + block + (block >= 11 ? 1 : 0)}${suffix}`;
}
const csvCell = (v) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

describe('WhatsApp template campaign end to end with a real n8n', () => {
  let s;
  let channelId;

  beforeAll(async () => {
    // The sandbox holds the number to Meta's 80 msg/s (its default) and answers 130429 beyond it.
    s = await startStack();
    await s.sandboxApi('POST', '/credentials/whatsapp', {
      phoneNumberId: PHONE_ID,
      accessToken: TOKEN,
      wabaId: WABA,
      appSecret: APP_SECRET,
      // The portfolio's tier allows 10,000 recipients a day: the template sync reads it into the quota ledger.
      messagingLimitTier: 'TIER_10K',
    });
    const channel = await s.api('POST', '/channels', {
      type: 'whatsapp',
      name: 'WhatsApp',
      config: { phoneNumberId: PHONE_ID, businessAccountId: WABA, baseUrl: s.sandboxUrl, ratePerSecond: RATE },
      secrets: { accessToken: TOKEN, appSecret: APP_SECRET, verifyToken: VERIFY },
    });
    assert.equal(channel.status, 201, JSON.stringify(channel.body));
    channelId = channel.body.id;
    const subscribed = await s.sandboxApi('POST', '/whatsapp/webhook', {
      url: channel.body.webhookUrls.callback,
      verifyToken: VERIFY,
      appSecret: APP_SECRET,
      phoneNumberId: PHONE_ID,
    });
    assert.equal(subscribed.verified, true, JSON.stringify(subscribed));
    // n8n's start (credential and workflow import) takes minutes on a loaded two-core machine.
  }, 480_000);
  afterAll(() => s?.stop());

  const templateNamed = async (name) => {
    const list = await s.api('GET', `/whatsapp/templates?channelId=${channelId}&limit=500`);
    return list.body.items.find((t) => t.name === name);
  };
  const campaignFor = async (name, spec, audience, settings) => {
    const template = await s.api('POST', '/templates', { name, channel: 'whatsapp', whatsapp: spec });
    assert.equal(template.status, 201, JSON.stringify(template.body));
    const campaign = await s.api('POST', '/campaigns', {
      name,
      type: 'blast',
      sender: { channelId },
      audience,
      steps: [{ channel: 'whatsapp', templateId: template.body.id }],
      settings,
    });
    assert.equal(campaign.status, 201, JSON.stringify(campaign.body));
    return campaign.body.id;
  };
  const progress = async (id) => (await s.api('GET', `/campaigns/${id}/progress`)).body;
  const sandboxMessages = async () => {
    const items = [];
    for (let offset = 0; ; offset += 1000) {
      const page = await s.sandboxApi('GET', `/messages?provider=whatsapp&limit=1000&offset=${offset}`);
      items.push(...page.items);
      if (page.items.length < 1000) return items;
    }
  };

  it('sync, sample CSV, import of 1,000 rows, launch at 80/s, pause/resume, webhooks counted, retry, export; the rate held every second', async () => {
    const synced = await s.api('POST', '/whatsapp/templates/sync', { channelId });
    assert.equal(synced.status, 200, JSON.stringify(synced.body));
    assert.ok(synced.body.channels[0].templates >= 6);
    assert.deepEqual(synced.body.channels[0].limits, {
      throughputLevel: 'STANDARD',
      throughputPerSecond: RATE,
      messagingLimitTier: 'TIER_10K',
      dailyLimit: 10_000,
    });
    const summer = await templateNamed('summer_launch');
    assert.equal(summer.status, 'APPROVED');

    // The sample CSV names exactly the columns the template needs; the file is filled in that shape.
    const sample = await fetch(`${s.backendUrl}/api/v1/whatsapp/templates/${summer.id}/sample.csv`, {
      headers: { authorization: `Bearer ${s.key}` },
    });
    assert.equal(sample.status, 200);
    const header = (await sample.text()).split('\r\n')[0].split(',');
    assert.deepEqual(header, [
      'country_code',
      'phone_number',
      'first_name',
      'whatsapp_opt_in',
      'header_param_1',
      'body_param_1',
      'body_param_2',
      'button_url_param',
    ]);
    // Last four digits are the sandbox's convention: 9991 fails (131026, proves not delivered), 9997 is
    // read; the rest follow its seeded rates. Every 40th row is bad (a phone number that is no number).
    const rows = Array.from({ length: ROWS }, (_, i) => {
      const suffix = i % 50 === 7 ? '9991' : i % 9 === 4 ? '9997' : String(1000 + (i % 97));
      const phone = i % 40 === 39 ? 'not-a-phone' : nationalNumber(i, suffix);
      const values = { country_code: '1', phone_number: phone, first_name: `Ann ${i}`, whatsapp_opt_in: 'yes' };
      Object.assign(values, {
        header_param_1: `Ann ${i}`,
        body_param_1: `Ann ${i}`,
        body_param_2: `${10 + (i % 30)}%`,
        button_url_param: `c${i}`,
      });
      return header.map((h) => csvCell(values[h])).join(',');
    });
    assert.equal(rows.filter((r) => r.includes('not-a-phone')).length, BAD);
    const imported = await fetch(`${s.backendUrl}/api/v1/leads/import?returnIds=true`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.key}`, 'content-type': 'text/csv' },
      body: [header.join(','), ...rows].join('\r\n'),
    }).then((r) => r.json());
    assert.equal(imported.rows, ROWS);
    assert.equal(imported.failed, BAD, JSON.stringify(imported.errors?.slice(0, 3)));
    assert.equal(imported.created, ROWS - BAD);
    const leadIds = imported.leadIds;

    // An unapproved template is refused before launch, with a code that says so.
    const paused = await campaignFor(
      'Winter',
      { name: 'winter_promo', language: 'en_US', parameters: ['{{ lead.first_name }}'] },
      { leadIds },
      {},
    );
    const refused = await s.api('POST', `/campaigns/${paused}/launch`);
    assert.equal(refused.status, 422);
    assert.equal(refused.body.code, 'whatsapp_template_not_approved');
    assert.equal((await s.sandboxApi('GET', '/messages?provider=whatsapp&limit=1')).total, 0, 'nothing was sent');

    const id = await campaignFor('Summer', summer.suggestedSpec, { leadIds }, { ratePerSecond: RATE, shards: 3, concurrency: 16 });
    assert.equal((await s.api('POST', `/campaigns/${id}/launch`)).status, 202);

    // Pause once some went out: nothing more reaches the sandbox while paused (what was in flight settles).
    await waitFor(
      async () => (await progress(id)).counts.sent + (await progress(id)).counts.delivered >= 100,
      'the first 100 sends',
      120_000,
      100,
    );
    assert.equal((await s.api('POST', `/campaigns/${id}/pause`)).status, 200);
    await new Promise((r) => setTimeout(r, 5000)); // a chunk marked `sending` before the pause still goes
    const whilePaused = (await s.sandboxApi('GET', '/messages?provider=whatsapp&limit=1')).total;
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal((await s.sandboxApi('GET', '/messages?provider=whatsapp&limit=1')).total, whilePaused, 'no send while paused');
    assert.ok(whilePaused < ROWS - BAD, `paused after ${whilePaused}`);
    assert.equal((await s.api('POST', `/campaigns/${id}/resume`)).status, 200);
    await s.campaignDone(id, 240_000);

    // Every recipient once; the rate held in every second, and Meta's throughput limit never answered.
    const sent = await sandboxMessages();
    assert.equal(sent.length, ROWS - BAD);
    assert.equal(new Set(sent.map((m) => m.to)).size, ROWS - BAD);
    assert.equal((await s.sandboxApi('GET', '/duplicates')).total, 0);
    const {
      items: [pace],
    } = await s.sandboxApi('GET', `/arrivals?key=whatsapp:${PHONE_ID}&limit=${RATE}`);
    console.log(`whatsapp pacing: ${pace.averagePerSecond}/s, most in one second ${pace.maxInWindow}, margin ${pace.marginMs} ms`);
    assert.ok(pace.maxInWindow <= RATE, `${pace.maxInWindow} messages in one second at ${pace.maxWindowStartAt}`);
    assert.equal(pace.rateLimited, 0, 'no 130429');

    // The webhooks: once the sandbox has posted every message's last status, the backend's counts match.
    const hooks = async (event) =>
      (await s.sandboxApi('GET', `/webhooks?provider=whatsapp&event=${encodeURIComponent(event)}`)).items.filter(
        (d) => d.state === 'delivered',
      );
    let failedHooks = [];
    let readHooks = [];
    await waitFor(
      async () => {
        failedHooks = await hooks('status:failed');
        readHooks = await hooks('status:read');
        const delivered = await hooks('status:delivered');
        return failedHooks.length + delivered.length === ROWS - BAD;
      },
      'every status webhook posted',
      60_000,
      500,
    );
    const failedIds = new Set(failedHooks.map((d) => d.messageId));
    const failedAtSandbox = sent.filter((m) => failedIds.has(m.id));
    assert.ok(failedAtSandbox.length >= 19, `${failedAtSandbox.length} failed`);
    assert.ok(readHooks.length >= 100, `${readHooks.length} read`);
    await waitFor(
      async () => {
        const counts = (await progress(id)).counts;
        return counts.failed === failedAtSandbox.length && counts.delivered === ROWS - BAD - failedAtSandbox.length;
      },
      'delivered and failed counted',
      60_000,
      250,
    );
    // A read follows its delivered status: some may still have been on their way above.
    const analytics = await waitFor(
      async () => {
        readHooks = await hooks('status:read');
        const a = (await s.api('GET', `/campaigns/${id}/analytics`)).body;
        return a.totals?.read === readHooks.length ? a : false;
      },
      `read counted (${readHooks.length})`,
      60_000,
      500,
    );
    assert.equal(analytics.totals.failed, failedAtSandbox.length);

    // Retry: the failures whose code proves nothing reached the recipient (131026) go once more, no others.
    // Every failure the sandbox posts is 131026 (undeliverable): all are retryable.
    const retryable = failedAtSandbox;
    const retry = await s.api('POST', `/campaigns/${id}/retry`, {});
    assert.equal(retry.status, 200, JSON.stringify(retry.body));
    assert.equal(retry.body.retried, retryable.length);
    await s.campaignDone(id, 120_000);
    await waitFor(
      async () => (await sandboxMessages()).length === ROWS - BAD + retryable.length,
      'the retried messages at the sandbox',
      60_000,
      500,
    );
    const after = await sandboxMessages();
    const perNumber = new Map();
    for (const m of after) perNumber.set(m.to, (perNumber.get(m.to) ?? 0) + 1);
    const twice = [...perNumber].filter(([, n]) => n === 2).map(([to]) => to);
    assert.deepEqual(twice.sort(), retryable.map((m) => m.to).sort(), 'exactly the retryable failures, once more');
    assert.ok([...perNumber.values()].every((n) => n <= 2));

    // The export of failures: the numbers that failed again, each with its code and what it means.
    await waitFor(async () => (await progress(id)).counts.failed === retryable.length, 'the retries failed again', 60_000, 250);
    const csv = await fetch(`${s.backendUrl}/api/v1/campaigns/${id}/messages.csv?status=failed`, {
      headers: { authorization: `Bearer ${s.key}` },
    }).then((r) => r.text());
    const [cols, ...table] = parseCsv(csv);
    const records = table.map((row) => Object.fromEntries(row.map((v, i) => [cols[i], v])));
    assert.equal(records.length, retryable.length);
    for (const r of records) {
      assert.equal(r.error_code, '131026');
      assert.equal(r.error_title, 'Message undeliverable');
      // The first send and the retry; a lease whose slot passed unused (slot_missed) is not an attempt.
      assert.equal(Number(r.attempts), 2, r.attempts);
    }
  }, 600_000);

  it('cancel mid-way: what was not sent is skipped and never reaches the sandbox', async () => {
    const before = (await s.sandboxApi('GET', '/messages?provider=whatsapp&limit=1')).total;
    const leads = await s.api(
      'POST',
      '/leads',
      Array.from({ length: 400 }, (_, i) => ({
        phone: `+1${nationalNumber(i + 1000, '1000')}`,
        firstName: `C${i}`,
        consent: { whatsapp: true },
      })),
    );
    assert.equal(leads.body.failed, 0, JSON.stringify(leads.body.errors?.slice(0, 3)));
    const id = await campaignFor(
      'Cancelled',
      { name: 'spring_offer', language: 'en_US', parameters: ['{{ lead.first_name }}'] },
      { leadIds: leads.body.ids },
      { ratePerSecond: 20 },
    );
    assert.equal((await s.api('POST', `/campaigns/${id}/launch`)).status, 202);
    await waitFor(
      async () => (await progress(id)).counts.sent + (await progress(id)).counts.delivered >= 20,
      'the first sends',
      60_000,
      100,
    );
    assert.equal((await s.api('POST', `/campaigns/${id}/cancel`)).status, 200);
    const done = await s.campaignDone(id, 60_000);
    assert.equal(done.status, 'cancelled');
    // What was marked `sending` before the cancel still goes; after that nothing more reaches the sandbox.
    await new Promise((r) => setTimeout(r, 6000));
    const reached = (await s.sandboxApi('GET', '/messages?provider=whatsapp&limit=1')).total - before;
    await new Promise((r) => setTimeout(r, 4000));
    assert.equal(
      (await s.sandboxApi('GET', '/messages?provider=whatsapp&limit=1')).total - before,
      reached,
      'nothing sent after the cancel',
    );
    assert.ok(reached < 400 && reached >= 20, `${reached} reached the sandbox`);
    const counts = (await progress(id)).counts;
    assert.equal(counts.sent + counts.delivered + counts.failed, reached, JSON.stringify(counts));
    assert.ok(counts.skipped > 0, JSON.stringify(counts));
  }, 180_000);

  it('inbox answer on WhatsApp: the lead writes, the reply goes out through n8n as free text inside the 24-hour window and is delivered', async () => {
    const phone = `+1${nationalNumber(1390, '7700')}`;
    const lead = await s.api('POST', '/leads', { phone, firstName: 'Quinn', consent: { whatsapp: true } });
    assert.equal(lead.status, 201, JSON.stringify(lead.body));
    const text = 'Do you deliver on Saturdays?';
    await s.sandboxApi('POST', '/whatsapp/inbound', { phoneNumberId: PHONE_ID, from: phone.slice(1), text });
    let conversation;
    await waitFor(
      async () => {
        const list = await s.api('GET', `/conversations?search=${encodeURIComponent(phone)}`);
        conversation = list.body.items?.find((c) => c.address === phone);
        return conversation?.lastPreview === text;
      },
      'the conversation the lead opened',
      30_000,
      200,
    );
    const thread = await s.api('GET', `/conversations/${conversation.id}`);
    assert.ok(Date.parse(thread.body.replyWindowClosesAt) > Date.now() + 23 * 3_600_000, thread.body.replyWindowClosesAt);
    const answer = await s.api('POST', `/conversations/${conversation.id}/messages`, { text: 'Yes, until 14:00.\nQuinn from Acme' });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    // A reply campaign is hidden from the campaign routes: its message is what to watch.
    await waitFor(async () => (await sandboxMessages()).some((m) => m.to === phone.slice(1)), 'the answer at the sandbox', 60_000, 200);
    const sent = (await sandboxMessages()).filter((m) => m.to === phone.slice(1));
    assert.equal(sent.length, 1, 'one message to the lead');
    assert.equal(sent[0].meta.type, 'text');
    assert.equal(sent[0].body, 'Yes, until 14:00.\nQuinn from Acme');
    assert.equal(sent[0].campaignMessageId, answer.body.messageId);
    // Inside the window the sandbox (like Meta) delivers it; outside it would fail with 131047.
    await waitFor(
      async () => {
        const [row] = (await s.db.query('SELECT status FROM messages WHERE id = $1', [answer.body.messageId])).rows;
        return row.status === 'delivered' || row.status === 'read';
      },
      'the answer delivered',
      30_000,
      200,
    );
  }, 120_000);
});
