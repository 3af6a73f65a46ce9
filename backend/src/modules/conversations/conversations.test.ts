import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { buildRenderContext, renderTemplate } from '@cadence/render';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { RuntimeSecrets } from '../../config/runtime-secrets';
import { FakeSender, tickUntil, TriggerReceiver } from '../../test/engine-harness';
import { startTestApp, TestApp } from '../../test/test-app';
import { MessageEventRecorder } from '../webhooks/message-event.recorder';

const TOKEN = 'conversations-twilio-token';
const OUR_NUMBER = '+14155550100';
const PUBLIC_URL = 'https://cadence.example.com';

describe('replies: what they stop, and the conversations they open', () => {
  let t: TestApp;
  let key: string;
  let orgId: string;
  let otherKey: string;
  let receiver: TriggerReceiver;
  let twilio: string;
  let smsTemplate: string;
  let sid = 0;

  const api = (method: string, path: string, body?: unknown, headers?: Record<string, string>, as = key) =>
    t.request(method, `/api/v1${path}`, { key: as, body, ...(headers && { headers }) });
  const drain = () => t.app.get(MessageEventRecorder).drain();

  /** A signed Twilio inbound SMS, applied (the inbox drained). */
  async function inboundSms(from: string, text: string, messageSid = `SM${String(++sid).padStart(32, '0')}`) {
    const path = `/webhooks/twilio/${twilio}/inbound`;
    const params: Record<string, string> = { MessageSid: messageSid, From: from, To: OUR_NUMBER, Body: text };
    // Twilio signs the public URL it called.
    let data = `${PUBLIC_URL}${path}`;
    for (const k of Object.keys(params).sort()) data += k + params[k];
    const res = await fetch(`${t.baseUrl}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': createHmac('sha1', TOKEN).update(data).digest('base64'),
      },
      body: new URLSearchParams(params),
    });
    assert.equal(res.status, 200);
    await drain();
    return messageSid;
  }

  async function lead(phone: string, firstName: string): Promise<string> {
    const res = await api('POST', '/leads', { phone, firstName, consent: { sms: true } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.id;
  }

  /** A two-step SMS sequence for these leads, launched and materialized; step 2 waits an hour. */
  async function sequence(name: string, leadIds: string[], settings: Record<string, unknown> = {}): Promise<string> {
    const res = await api('POST', '/campaigns', {
      name,
      type: 'sequence',
      sender: { channelId: twilio },
      audience: { leadIds },
      settings: { startAt: '2099-01-01T00:00:00Z', ...settings },
      steps: [
        { channel: 'sms', templateId: smsTemplate },
        { channel: 'sms', templateId: smsTemplate, delaySeconds: 3600, condition: { type: 'no_reply' } },
      ],
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    // Scheduled far ahead, so nothing is leased behind the test's back; the rows are there to stop.
    assert.equal((await api('POST', `/campaigns/${res.body.id}/launch`)).status, 202);
    await tickUntil(t, async () => (await api('GET', `/campaigns/${res.body.id}`)).body.materialized);
    return res.body.id;
  }

  /** Step 1 of this lead went out (as a provider would have it), so a reply matches it. */
  async function sent(campaignId: string, leadId: string): Promise<string> {
    // An UPDATE through TypeORM's query() answers [rows, affected].
    const [[row]] = await t.dataSource.query(
      `UPDATE messages SET status = 'sent', sent_at = now(), due_at = NULL WHERE campaign_id = $1 AND lead_id = $2 AND position = 0 RETURNING id`,
      [campaignId, leadId],
    );
    return row.id;
  }

  const rows = (campaignId: string, leadId: string) =>
    t.dataSource.query(
      'SELECT position, status, skip_reason, stopped_by_message_id, replied_at FROM messages WHERE campaign_id = $1 AND lead_id = $2 ORDER BY position',
      [campaignId, leadId],
    );
  const conversationOf = async (address: string) => {
    const list = await api('GET', `/conversations?search=${encodeURIComponent(address)}`);
    assert.equal(list.status, 200, JSON.stringify(list.body));
    return list.body.items.find((c: { address: string }) => c.address === address);
  };

  beforeAll(async () => {
    receiver = new TriggerReceiver(() => t.app.get(RuntimeSecrets).triggerSigningSecret);
    await receiver.start();
    t = await startTestApp({ env: { SCHEDULER_INTERVAL_MS: '0', N8N_URL: receiver.url, PUBLIC_URL } });
    ({ apiKey: key, organizationId: orgId } = await t.createOrg());
    otherKey = (await t.createOrg('Other')).apiKey;
    twilio = (
      await api('POST', '/channels', {
        type: 'twilio',
        name: 'Line',
        config: { accountSid: `AC${'1'.repeat(32)}`, from: OUR_NUMBER },
        secrets: { authToken: TOKEN },
      })
    ).body.id;
    smsTemplate = (await api('POST', '/templates', { name: 'S', channel: 'sms', body: 'Hi {{ lead.first_name }}' })).body.id;
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  it("a person's reply marks the message, stops the lead's remaining steps in every running campaign, and opens a conversation", async () => {
    const ada = await lead('+14155551001', 'Ada');
    const bob = await lead('+14155551002', 'Bob');
    const first = await sequence('First', [ada, bob]);
    const second = await sequence('Second', [ada, bob]);
    const answered = await sent(first, ada);
    await sent(first, bob);

    await inboundSms('+14155551001', 'Yes, call me tomorrow');

    const [one, two] = await rows(first, ada);
    assert.ok(one.replied_at, 'the answered message is marked replied');
    assert.equal(one.status, 'sent', 'a reply is not a delivery status');
    assert.deepEqual([two.status, two.skip_reason, two.stopped_by_message_id], ['skipped', 'replied', answered]);
    for (const r of await rows(second, ada))
      assert.deepEqual([r.status, r.skip_reason, r.stopped_by_message_id], ['skipped', 'replied', answered]);
    // Bob did not reply: nothing of his moved.
    assert.deepEqual(
      (await rows(second, bob)).map((r: { status: string }) => r.status),
      ['queued', 'queued'],
    );
    assert.equal((await rows(first, bob))[1].status, 'queued');

    const conversation = await conversationOf('+14155551001');
    assert.equal(conversation.lead.id, ada);
    assert.equal(conversation.channel, 'sms');
    assert.equal(conversation.senderId, twilio);
    assert.equal(conversation.status, 'open');
    assert.equal(conversation.unreadCount, 1);
    assert.equal(conversation.lastPreview, 'Yes, call me tomorrow');

    const thread = await api('GET', `/conversations/${conversation.id}`);
    assert.equal(thread.status, 200);
    assert.deepEqual(
      thread.body.entries.map((e: { direction: string; status: string }) => [e.direction, e.status]),
      [
        ['outbound', 'sent'],
        ['inbound', 'replied'],
      ],
    );
    assert.equal(thread.body.entries[0].campaignName, 'First');
    assert.equal(thread.body.entries[1].text, 'Yes, call me tomorrow');
  });

  it('a replayed webhook and a late, older reply change nothing that already happened', async () => {
    const cy = await lead('+14155551003', 'Cy');
    const campaign = await sequence('Replays', [cy]);
    const message = await sent(campaign, cy);
    const messageSid = await inboundSms('+14155551003', 'Interested');
    await inboundSms('+14155551003', 'Interested', messageSid);
    const conversation = await conversationOf('+14155551003');
    assert.equal(conversation.unreadCount, 1, 'the replay is not a second reply');
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM message_events WHERE conversation_id = $1`, [conversation.id]);
    assert.equal(n, 1);

    // Out of order: a reply that happened earlier arrives after the first one.
    const [{ replied_at: before }] = await t.dataSource.query('SELECT replied_at FROM messages WHERE id = $1', [message]);
    const earlier = new Date(new Date(before).getTime() - 60_000);
    await t.app.get(MessageEventRecorder).enqueue([
      {
        organizationId: orgId,
        messageId: message,
        source: 'test',
        eventId: 'late-reply',
        type: 'replied',
        occurredAt: earlier,
        payload: { from: '+14155551003', text: 'An earlier note', kind: 'human' },
      },
    ]);
    await drain();
    const [{ replied_at: after }] = await t.dataSource.query('SELECT replied_at FROM messages WHERE id = $1', [message]);
    assert.equal(new Date(after).getTime(), earlier.getTime(), 'the first reply time is kept');
    const again = await api('GET', `/conversations/${conversation.id}`);
    assert.equal(again.body.lastPreview, 'Interested', 'the preview stays the latest message');
    assert.equal(again.body.unreadCount, 2);
    assert.deepEqual(
      again.body.entries.filter((e: { direction: string }) => e.direction === 'inbound').map((e: { text: string }) => e.text),
      ['An earlier note', 'Interested'],
    );
  });

  it("stopOnReply: 'this_campaign' stops only the answered campaign", async () => {
    const dee = await lead('+14155551004', 'Dee');
    const only = await sequence('Only this', [dee], { stopOnReply: 'this_campaign' });
    assert.equal((await api('GET', `/campaigns/${only}`)).body.settings.stopOnReply, 'this_campaign');
    const other = await sequence('Other', [dee]);
    await sent(only, dee);
    await inboundSms('+14155551004', 'Not now');
    assert.equal((await rows(only, dee))[1].skip_reason, 'replied');
    assert.deepEqual(
      (await rows(other, dee)).map((r: { status: string }) => r.status),
      ['queued', 'queued'],
    );
  });

  it('an automatic answer (out-of-office) stops nothing, is shown marked, and counts as no unread reply', async () => {
    const eve = await lead('+14155551005', 'Eve');
    const campaign = await sequence('Auto', [eve]);
    const message = await sent(campaign, eve);
    await t.app.get(MessageEventRecorder).enqueue([
      {
        organizationId: orgId,
        messageId: message,
        source: 'test',
        eventId: 'ooo-1',
        type: 'auto_replied',
        occurredAt: new Date(),
        payload: { from: '+14155551005', text: 'I am away until Monday', kind: 'auto_reply', reason: 'out-of-office pattern' },
      },
    ]);
    await drain();
    const [, two] = await rows(campaign, eve);
    assert.equal(two.status, 'queued');
    const [one] = await rows(campaign, eve);
    assert.equal(one.replied_at, null);
    const conversation = await conversationOf('+14155551005');
    assert.equal(conversation.unreadCount, 0);
    const thread = await api('GET', `/conversations/${conversation.id}`);
    assert.equal(thread.body.entries.at(-1).autoReason, 'out-of-office pattern');
  });

  it('an unmatched inbound opens a conversation by address: with the lead who has it, or without a lead (then it cannot be answered)', async () => {
    const fay = await lead('+14155551006', 'Fay');
    await inboundSms('+14155551006', 'Saw your ad');
    const known = await conversationOf('+14155551006');
    assert.equal(known.lead.id, fay);
    await inboundSms('+14155559999', 'Who is this?');
    const stranger = await conversationOf('+14155559999');
    assert.equal(stranger.lead, null);
    const refused = await api('POST', `/conversations/${stranger.id}/messages`, { text: 'Hello' });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.code, 'conversation_not_replyable');
  });

  it("an answer is refused once the lead's address changed: it would go to another number", async () => {
    const jo = await lead('+14155551010', 'Jo');
    await inboundSms('+14155551010', 'Call me on my other phone');
    const conversation = await conversationOf('+14155551010');
    assert.equal((await api('PATCH', `/leads/${jo}`, { phone: '+14155551011' })).status, 200);
    const refused = await api('POST', `/conversations/${conversation.id}/messages`, { text: 'Sure' });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.code, 'conversation_not_replyable');
  });

  it('WhatsApp: a free-form answer goes out inside the 24-hour window the lead opened, and is refused once it closed', async () => {
    const PHONE_ID = '106540352249777';
    const wa = await api('POST', '/channels', {
      type: 'whatsapp',
      name: 'WhatsApp line',
      config: { phoneNumberId: PHONE_ID },
      secrets: { accessToken: 'EAAG-conversations', appSecret: 'wa-app-secret', verifyToken: 'wa-verify' },
    });
    assert.equal(wa.status, 201, JSON.stringify(wa.body));
    const ida = await api('POST', '/leads', { phone: '+14155551020', firstName: 'Ida', consent: { whatsapp: true } });
    assert.equal(ida.status, 201, JSON.stringify(ida.body));
    const inbound = async (from: string, text: string, id: string) => {
      const raw = JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [
          {
            id: 'waba',
            changes: [
              {
                field: 'messages',
                value: {
                  messaging_product: 'whatsapp',
                  metadata: { display_phone_number: '15550001111', phone_number_id: PHONE_ID },
                  contacts: [{ profile: { name: 'Ida' }, wa_id: from }],
                  messages: [{ from, id, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text } }],
                },
              },
            ],
          },
        ],
      });
      const res = await fetch(`${t.baseUrl}/webhooks/whatsapp/${wa.body.id}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hub-signature-256': `sha256=${createHmac('sha256', 'wa-app-secret').update(raw).digest('hex')}`,
        },
        body: raw,
      });
      assert.equal(res.status, 200);
      await drain();
    };
    await inbound('14155551020', 'Is the offer still on?', 'wamid.window-1');
    const conversation = await conversationOf('+14155551020');
    assert.equal(conversation.channel, 'whatsapp');
    const thread = await api('GET', `/conversations/${conversation.id}`);
    const closes = Date.parse(thread.body.replyWindowClosesAt);
    assert.ok(Math.abs(closes - (Date.now() + 24 * 3_600_000)) < 60_000, thread.body.replyWindowClosesAt);

    const answer = await api('POST', `/conversations/${conversation.id}/messages`, { text: 'Yes, until Sunday {not Liquid}' });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    assert.equal(answer.body.status, 'queued');
    // The one-off template is a session text (no approved template), rendered as typed.
    const [template] = await t.dataSource.query(
      `SELECT t.channel, t.whatsapp, t.body FROM messages m JOIN campaign_steps s ON s.id = m.step_id JOIN templates t ON t.id = s.template_id
        WHERE m.id = $1`,
      [answer.body.messageId],
    );
    assert.equal(template.channel, 'whatsapp');
    assert.equal(template.whatsapp, null);
    const rendered = renderTemplate({ channel: 'whatsapp', body: template.body }, buildRenderContext({}));
    assert.equal(rendered.status === 'rendered' && rendered.channel === 'whatsapp' && rendered.text, 'Yes, until Sunday {not Liquid}');

    // 25 hours later (the lead's message moved back in time): only an approved template may go out.
    await t.dataSource.query(`UPDATE message_events SET occurred_at = occurred_at - interval '25 hours' WHERE conversation_id = $1`, [
      conversation.id,
    ]);
    const late = await api('POST', `/conversations/${conversation.id}/messages`, { text: 'Still there?' });
    assert.equal(late.status, 409, JSON.stringify(late.body));
    assert.equal(late.body.code, 'whatsapp_window_closed');
    assert.match(late.body.message, /24-hour window .* closed/);
    // A campaign template cannot be free text: WhatsApp campaigns name an approved template.
    const free = await api('POST', '/templates', { name: 'Free', channel: 'whatsapp', body: 'Hello' });
    assert.equal(free.status, 422);
    assert.equal(free.body.code, 'template_invalid');
    // A new message from the lead opens the window again.
    await inbound('14155551020', 'Hello?', 'wamid.window-2');
    assert.equal((await api('POST', `/conversations/${conversation.id}/messages`, { text: 'Here!' })).status, 201);
  });

  it('filters, assignment, status and read state; a new reply reopens a closed conversation', async () => {
    const gus = await lead('+14155551007', 'Gus');
    await inboundSms('+14155551007', 'Pricing please');
    const conversation = await conversationOf('+14155551007');
    const [member] = await t.dataSource.query(
      `INSERT INTO users (organization_id, email, name) VALUES ($1, 'agent@acme.test', 'Agent') RETURNING id`,
      [orgId],
    );
    const assigned = await api('PATCH', `/conversations/${conversation.id}`, { assigneeId: member.id, status: 'closed' });
    assert.equal(assigned.status, 200, JSON.stringify(assigned.body));
    assert.equal(assigned.body.assignee.email, 'agent@acme.test');
    assert.equal(assigned.body.status, 'closed');
    const ids = async (query: string) => (await api('GET', `/conversations?${query}`)).body.items.map((c: { id: string }) => c.id);
    assert.deepEqual(await ids(`assigneeId=${member.id}`), [conversation.id]);
    assert.ok((await ids('status=closed')).includes(conversation.id));
    assert.ok(!(await ids('status=open')).includes(conversation.id));
    assert.ok((await ids('unread=true')).includes(conversation.id));
    assert.ok(!(await ids('channel=email')).includes(conversation.id));
    assert.deepEqual(await ids('search=gus'), [conversation.id], 'search finds the lead by name');

    const summary = (await api('GET', '/conversations/summary')).body.unread;
    const read = await api('POST', `/conversations/${conversation.id}/read`);
    assert.equal(read.status, 200);
    assert.equal(read.body.unreadCount, 0);
    assert.equal((await api('GET', '/conversations/summary')).body.unread, summary - 1);
    assert.ok(!(await ids('unread=true')).includes(conversation.id));

    await inboundSms('+14155551007', 'Still there?');
    const reopened = await api('GET', `/conversations/${conversation.id}`);
    assert.equal(reopened.body.status, 'open');
    assert.equal(reopened.body.unreadCount, 1);
    assert.equal(reopened.body.lead.id, gus);

    const stranger = await api('PATCH', `/conversations/${conversation.id}`, { assigneeId: '00000000-0000-4000-8000-000000000000' });
    assert.equal(stranger.status, 400);
    assert.equal(stranger.body.code, 'assignee_not_found');
    assert.equal((await api('PATCH', `/conversations/${conversation.id}`, { status: 'gone' })).status, 400);
    assert.equal((await api('GET', '/conversations?status=gone')).body.code, 'validation_failed');
    assert.equal((await api('GET', '/conversations?cursor=nope')).body.code, 'invalid_cursor');
    assert.equal((await api('PATCH', `/conversations/${conversation.id}`, { assigneeId: null })).body.assignee, null);
  });

  it('pages by most recent activity', async () => {
    const first = await api('GET', '/conversations?limit=2');
    assert.equal(first.body.items.length, 2);
    assert.ok(first.body.nextCursor);
    const next = await api('GET', `/conversations?limit=2&cursor=${first.body.nextCursor}`);
    const all = [...first.body.items, ...next.body.items];
    assert.equal(new Set(all.map((c: { id: string }) => c.id)).size, all.length, 'no conversation on two pages');
    const times = all.map((c: { lastActivityAt: string }) => new Date(c.lastActivityAt).getTime());
    assert.deepEqual(
      times,
      [...times].sort((a, b) => b - a),
    );
  });

  it('the reply composer sends once through the campaign engine (lease, sending, report), hidden from campaign lists', async () => {
    const hal = await lead('+14155551008', 'Hal');
    await inboundSms('+14155551008', 'Can you send the brochure? {{ not liquid }}');
    const conversation = await conversationOf('+14155551008');
    const body = { text: 'Sure, {{ here }} it is' };
    const headers = { 'idempotency-key': 'reply-hal-1' };
    const first = await api('POST', `/conversations/${conversation.id}/messages`, body, headers);
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.body.status, 'queued');
    const retry = await api('POST', `/conversations/${conversation.id}/messages`, body, headers);
    assert.equal(retry.status, 201);
    assert.equal(retry.body.messageId, first.body.messageId, 'a retry answers the first answer');
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM campaigns WHERE type = 'reply' AND conversation_id = $1`, [
      conversation.id,
    ]);
    assert.equal(n, 1, 'one reply, whatever the retries');
    const reused = await api('POST', `/conversations/${conversation.id}/messages`, { text: 'other' }, headers);
    assert.equal(reused.status, 422);

    const campaigns = (await api('GET', '/campaigns?limit=500')).body.items.map((c: { id: string }) => c.id);
    assert.ok(!campaigns.includes(first.body.campaignId), 'reply campaigns are not listed');
    for (const [method, path] of [
      ['GET', ''],
      ['POST', '/cancel'],
      ['POST', '/launch'],
      ['POST', '/duplicate'],
    ])
      assert.equal(
        (await api(method, `/campaigns/${first.body.campaignId}${path}`)).status,
        404,
        `${method} ${path}: not a campaign of the API`,
      );
    const templates = (await api('GET', '/templates?limit=500')).body.items.map((c: { name: string }) => c.name);
    assert.ok(!templates.some((name: string) => name.startsWith('Reply to')), 'one-off reply templates are not listed');
    assert.equal((await api('GET', `/conversations/${conversation.id}`)).body.status, 'waiting');

    // n8n's side: the run trigger went out, the lease hands over exactly this message with the text as typed.
    const [run] = await t.dataSource.query('SELECT id FROM campaign_runs WHERE campaign_id = $1', [first.body.campaignId]);
    assert.ok(run, 'launching the reply started a run');
    const leased: Array<Record<string, any>> = [];
    const sender = new FakeSender(t, (item) => {
      leased.push(item);
      return { outcome: 'sent' };
    });
    await sender.drain(run.id);
    assert.equal(leased.length, 1);
    assert.equal(leased[0].messageId, first.body.messageId);
    assert.equal(leased[0].to, '+14155551008');
    assert.equal(leased[0].campaign.type, 'reply');
    const rendered = renderTemplate(leased[0].template, buildRenderContext({ lead: leased[0].lead, campaign: leased[0].campaign }));
    assert.equal((rendered as { body?: string }).body, 'Sure, {{ here }} it is', 'the text is sent as typed, not as Liquid');

    const thread = await api('GET', `/conversations/${conversation.id}`);
    const reply = thread.body.entries.at(-1);
    assert.deepEqual([reply.direction, reply.isReply, reply.status, reply.text], ['outbound', true, 'sent', 'Sure, {{ here }} it is']);
    assert.equal(thread.body.entries.at(-2).text, 'Can you send the brochure? {{ not liquid }}');
    assert.equal((await rows(first.body.campaignId, hal))[0].status, 'sent');
    // The lead's history names the conversation of the answer (its campaign is not one of the API).
    const history = (await api('GET', `/leads/${hal}/messages`)).body.items;
    assert.equal(history.find((m: { id: string }) => m.id === first.body.messageId).campaign.conversationId, conversation.id);
  });

  it('an email answer threads on the lead\'s latest email (In-Reply-To, References, thread id) with "Re:" its subject', async () => {
    const mailgun = (
      await api('POST', '/channels', {
        type: 'mailgun',
        name: 'MG',
        config: { domain: 'mg.example.com', from: 'Team <team@mg.example.com>' },
        secrets: { apiKey: 'key-1', webhookSigningKey: 'sign-1' },
      })
    ).body.id;
    await api('POST', '/leads', { email: 'ivy@example.com', firstName: 'Ivy' });
    await t.app.get(MessageEventRecorder).enqueue([
      {
        organizationId: orgId,
        source: 'mailgun_inbound',
        eventId: 'mail-1',
        type: 'replied',
        occurredAt: new Date(),
        payload: {
          from: 'ivy@example.com',
          to: 'team@mg.example.com',
          subject: 'Re: Spring offer',
          text: 'Which plan fits a team of five?',
          rfcMessageId: '<answer-2@mail.example.com>',
          inReplyTo: '<offer-1@mg.example.com>',
          references: '<offer-1@mg.example.com>',
          kind: 'human',
        },
        replyFrom: { channel: 'email', address: 'Ivy@Example.com', channelId: mailgun },
      },
    ]);
    await drain();
    const conversation = await conversationOf('ivy@example.com');
    assert.equal(conversation.channel, 'email');
    assert.equal(conversation.subject, 'Re: Spring offer');
    const reply = await api('POST', `/conversations/${conversation.id}/messages`, { text: 'The Team plan.' });
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    const [run] = await t.dataSource.query('SELECT id FROM campaign_runs WHERE campaign_id = $1', [reply.body.campaignId]);
    const leased: Array<Record<string, any>> = [];
    await new FakeSender(t, (item) => {
      leased.push(item);
      return { outcome: 'sent' };
    }).drain(run.id);
    assert.equal(leased.length, 1);
    assert.deepEqual(leased[0].threading, {
      inReplyTo: '<answer-2@mail.example.com>',
      references: ['<offer-1@mg.example.com>', '<answer-2@mail.example.com>'],
      threadId: null,
    });
    const rendered = renderTemplate(leased[0].template, buildRenderContext({ lead: leased[0].lead, campaign: leased[0].campaign }));
    assert.equal((rendered as { subject?: string }).subject, 'Re: Spring offer');
    assert.equal((rendered as { text?: string }).text?.startsWith('The Team plan.'), true);
  });

  it('another organization sees none of it: 404 on every conversation route', async () => {
    const conversation = await conversationOf('+14155551001');
    assert.deepEqual((await api('GET', '/conversations', undefined, undefined, otherKey)).body.items, []);
    for (const [method, path, body] of [
      ['GET', `/conversations/${conversation.id}`, undefined],
      ['PATCH', `/conversations/${conversation.id}`, { status: 'closed' }],
      ['POST', `/conversations/${conversation.id}/read`, undefined],
      ['POST', `/conversations/${conversation.id}/messages`, { text: 'hi' }],
    ] as const) {
      const res = await api(method, path, body, undefined, otherKey);
      assert.equal(res.status, 404, `${method} ${path}`);
      assert.equal(res.body.code, 'conversation_not_found');
    }
    assert.equal((await api('GET', `/conversations/${conversation.id}`)).body.status, 'open', 'untouched');
  });
});
