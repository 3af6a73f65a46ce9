import { gmailRfcMessageId } from '@cadence/contracts';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { RuntimeSecrets } from '../../config/runtime-secrets';
import { FakeSender, tickUntil, TriggerReceiver } from '../../test/engine-harness';
import { CookieJar, GoogleStack, runFlow, startGoogleSandbox } from '../../test/google-flow';
import { startTestApp, TestApp } from '../../test/test-app';
import { EmailAccount } from '../email-accounts/email-account.entity';
import { GmailTokenService } from '../email-accounts/gmail-token.service';
import { MessageEventRecorder } from '../webhooks/message-event.recorder';
import { GMAIL_UNITS, GmailInboxSync, SyncOutcome } from './gmail-inbox-sync.service';

const MAILBOX = 'sales@acme.test';

describe('Gmail reply detection: history sync, classification, matching, quota', () => {
  let t: TestApp;
  let google: GoogleStack;
  let receiver: TriggerReceiver;
  const jar = new CookieJar();
  let csrf: string;
  let organizationId: string;
  let account: EmailAccount;

  const web = async (method: string, path: string, body?: unknown) =>
    t.request(method, `/api/v1${path}`, { body, headers: { cookie: jar.header(), 'x-csrf-token': csrf } });
  const sync = async (): Promise<SyncOutcome> => {
    const outcome = await t.app.get(GmailInboxSync).sync(organizationId, account.id);
    await t.app.get(MessageEventRecorder).drain();
    return outcome;
  };
  const stored = () => t.dataSource.getRepository(EmailAccount).findOneByOrFail({ id: account.id });
  const inboundEvents = () =>
    t.dataSource.query<Array<{ type: string; to_address: string | null; payload: Record<string, unknown> }>>(
      `SELECT e.type, m.to_address, e.payload FROM message_events e LEFT JOIN messages m ON m.id = e.message_id
        WHERE e.source = 'gmail' ORDER BY m.to_address`,
    );
  const mailbox = async () =>
    (await (await fetch(`${google.sandbox.url}/_sandbox/gmail/mailboxes/${MAILBOX}`)).json()) as {
      historyId: string;
      messages: Array<{ id: string; labelIds: string[] }>;
    };

  beforeAll(async () => {
    google = await startGoogleSandbox();
    receiver = new TriggerReceiver(() => t.app.get(RuntimeSecrets).triggerSigningSecret);
    await receiver.start();
    t = await startTestApp({
      env: { ...google.env, SCHEDULER_INTERVAL_MS: '0', GMAIL_SYNC_INTERVAL_MS: '0', N8N_URL: receiver.url, SIGNUP_MODE: 'open' },
    });
    // The sends below go out back to back rather than at the lease's pace.
    await fetch(`${google.sandbox.url}/_sandbox/rate-limits`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ enabled: false }),
    });
    await runFlow(`${t.baseUrl}/auth/google`, jar, t.baseUrl, { email: 'ann@acme.test' });
    const session = await t.request('GET', '/api/v1/session', { headers: { cookie: jar.header() } });
    csrf = session.body.csrfToken;
    organizationId = session.body.organization.id;
    await runFlow(`${t.baseUrl}/auth/gmail/connect`, jar, t.baseUrl, { email: MAILBOX });
    account = await t.dataSource.getRepository(EmailAccount).findOneByOrFail({ organizationId, email: MAILBOX });
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.stop();
    await google?.close();
  });

  it('the first sync starts from the mailbox’s current historyId (users.getProfile) and reads no message', async () => {
    const outcome = await sync();
    assert.deepEqual(outcome, { read: 0, recorded: 0, resynced: false, unitsCharged: GMAIL_UNITS.getProfile });
    assert.equal((await stored()).historyId, (await mailbox()).historyId);
  });

  let sentTo: Map<string, string>;

  it('a person’s reply is `replied` on the right message, an out-of-office `auto_replied`, a bounce fails and suppresses', async () => {
    const emails = ['ann+reply@example.com', 'bob+ooo@example.com', 'cy+bounce@example.com', 'dee+deliver@example.com'];
    const leads = (
      await web(
        'POST',
        '/leads',
        emails.map((email) => ({ email })),
      )
    ).body.ids as string[];
    const template = (await web('POST', '/templates', { name: 'Hi', channel: 'email', subject: 'Quick question', text: 'Hello there' }))
      .body.id;
    const campaign = (
      await web('POST', '/campaigns', {
        name: 'Gmail replies',
        type: 'blast',
        sender: { emailAccountId: account.id },
        audience: { leadIds: leads },
        steps: [{ channel: 'email', templateId: template }],
      })
    ).body.id;
    assert.equal((await web('POST', `/campaigns/${campaign}/launch`)).status, 202);
    await tickUntil(t, async () => receiver.triggers.some((tr) => tr.campaignId === campaign));
    const runId = receiver.triggers.find((tr) => tr.campaignId === campaign)!.runId;

    // Send as the n8n Gmail node does: our RFC Message-ID, through the mailbox, the Gmail id reported back.
    const sender = new FakeSender(t);
    const lease = (await sender.call('POST', `/runs/${runId}/lease`, {})).body;
    await sender.call('POST', `/runs/${runId}/sending`, {
      leaseId: lease.leaseId,
      messageIds: lease.items.map((i: { messageId: string }) => i.messageId),
    });
    const { accessToken } = await t.app.get(GmailTokenService).getAccessToken(await stored());
    sentTo = new Map();
    const results = [];
    for (const item of lease.items as Array<{ messageId: string; to: string }>) {
      const raw = [
        `From: Sales <${MAILBOX}>`,
        `To: ${item.to}`,
        'Subject: Quick question',
        `Message-ID: ${gmailRfcMessageId(item.messageId, MAILBOX)}`,
        `X-Cadence-Message-Id: ${item.messageId}`,
        'Content-Type: text/plain; charset=UTF-8',
        '',
        'Hello there',
        '',
      ].join('\r\n');
      const res = await fetch(`${google.sandbox.url}/gmail/v1/users/me/messages/send`, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ raw: Buffer.from(raw).toString('base64url') }),
      });
      assert.equal(res.status, 200, await res.clone().text());
      const { id } = (await res.json()) as { id: string };
      sentTo.set(item.to, item.messageId);
      results.push({ messageId: item.messageId, outcome: 'sent', providerMessageId: id });
    }
    assert.equal((await sender.call('POST', `/runs/${runId}/results`, { leaseId: lease.leaseId, results })).status, 200);

    // The sandbox's recipients answer moments later, into the mailbox's INBOX.
    await tickUntil(t, async () => (await mailbox()).messages.filter((m) => m.labelIds.includes('INBOX')).length >= 3, 10_000);
    const outcome = await sync();
    assert.equal(outcome.read, 3);
    assert.equal(outcome.recorded, 3);
    assert.equal(outcome.unitsCharged, GMAIL_UNITS.historyList + 3 * GMAIL_UNITS.messagesGet);
    assert.equal((await stored()).historyId, (await mailbox()).historyId);

    const events = await inboundEvents();
    assert.deepEqual(
      events.map((e) => [e.to_address, e.type, e.payload.kind]),
      [
        ['ann+reply@example.com', 'replied', 'human'],
        ['bob+ooo@example.com', 'auto_replied', 'auto_reply'],
        ['cy+bounce@example.com', 'failed', 'bounce'],
      ],
    );
    // The conversation gets the new part only, with what threads it.
    assert.equal(events[0].payload.text, 'Thanks, sounds interesting. Can you tell me more?');
    assert.equal(events[0].payload.inReplyTo, gmailRfcMessageId(sentTo.get('ann+reply@example.com')!, MAILBOX));
    assert.equal(events[0].payload.from, 'ann+reply@example.com');
    assert.ok(events[0].payload.providerThreadId);
    assert.equal(events[1].payload.reason, 'Auto-Submitted: auto-replied');

    const [bounced] = await t.dataSource.query(`SELECT status, error_code FROM messages WHERE to_address = 'cy+bounce@example.com'`);
    assert.deepEqual(bounced, { status: 'failed', error_code: 'bounced' });
    const suppressed = await t.dataSource.query(`SELECT address, reason, source FROM suppressions WHERE organization_id = $1`, [
      organizationId,
    ]);
    assert.deepEqual(suppressed, [{ address: 'cy+bounce@example.com', reason: 'bounced', source: 'gmail_inbound' }]);
  });

  it('reads are charged to the mailbox’s send ledger: a quiet sync costs one history.list (2 units = 1/50 of a send)', async () => {
    const tat = async () =>
      new Date(
        (
          await t.dataSource.query<Array<{ tat: Date }>>('SELECT tat FROM sender_ledgers WHERE sender_key = $1', [
            `email_account:${account.id}`,
          ])
        )[0].tat,
      ).getTime();
    const tatBefore = await tat();
    const start = Date.now();
    const outcome = await sync();
    const end = Date.now();
    assert.deepEqual(outcome, { read: 0, recorded: 0, resynced: false, unitsCharged: GMAIL_UNITS.historyList });
    // 2 units / 100 units per send / 2 sends a second = 10 ms of sending, after the slots sends already hold (or now).
    const tatAfter = await tat();
    if (tatBefore > end) assert.equal(tatAfter - tatBefore, 10);
    else assert.ok(tatAfter >= start + 10 - 2 && tatAfter <= end + 10 + 2, `${tatAfter - start} ms after the sync started`);
  });

  it('reading the same history again records nothing twice', async () => {
    const count = async () => (await t.dataSource.query(`SELECT count(*)::int AS n FROM message_events WHERE source = 'gmail'`))[0].n;
    const before = await count();
    const first = (await t.dataSource.query(`SELECT min(payload->>'providerMessageId') AS x FROM message_events WHERE source = 'gmail'`))[0]
      .x;
    assert.ok(first);
    await t.dataSource
      .getRepository(EmailAccount)
      .update({ id: account.id }, { historyId: String(Number((await mailbox()).historyId) - 4) });
    const outcome = await sync();
    assert.ok(outcome.read >= 1, JSON.stringify(outcome));
    assert.equal(await count(), before);
  });

  it('an answer without In-Reply-To / References, from an address we never wrote to, is matched by its Gmail thread', async () => {
    const ann = sentTo.get('ann+reply@example.com')!;
    const [{ provider_message_id: gmailId }] = await t.dataSource.query('SELECT provider_message_id FROM messages WHERE id = $1', [ann]);
    const reply = await fetch(`${google.sandbox.url}/_sandbox/gmail/reply`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messageId: gmailId, from: 'assistant@example.com', text: 'Ann asked me to answer: yes.', bareHeaders: true }),
    });
    assert.equal(reply.status, 200, await reply.clone().text());
    const outcome = await sync();
    assert.deepEqual([outcome.read, outcome.recorded], [1, 1]);
    const [event] = await t.dataSource.query(
      `SELECT type, payload->>'from' AS "from", payload->>'inReplyTo' AS "inReplyTo" FROM message_events WHERE message_id = $1 AND payload->>'from' = 'assistant@example.com'`,
      [ann],
    );
    assert.deepEqual(event, { type: 'replied', from: 'assistant@example.com', inReplyTo: null });
  });

  it('an expired historyId (404) falls back to a bounded resync that still finds a reply that came meanwhile', async () => {
    const dee = sentTo.get('dee+deliver@example.com')!;
    const reply = await fetch(`${google.sandbox.url}/_sandbox/gmail/reply`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        messageId: (await t.dataSource.query('SELECT provider_message_id FROM messages WHERE id = $1', [dee]))[0].provider_message_id,
        text: 'Not interested, thanks.',
      }),
    });
    assert.equal(reply.status, 200, await reply.clone().text());
    await t.dataSource.getRepository(EmailAccount).update({ id: account.id }, { historyId: '1' });
    const outcome = await sync();
    assert.equal(outcome.resynced, true);
    assert.equal(outcome.recorded, 1, JSON.stringify(outcome));
    assert.equal((await stored()).historyId, (await mailbox()).historyId);
    const [event] = await t.dataSource.query(
      `SELECT type, payload->>'text' AS text FROM message_events WHERE message_id = $1 AND source = 'gmail'`,
      [dee],
    );
    assert.deepEqual(event, { type: 'replied', text: 'Not interested, thanks.' });
  });

  it('pages through a long history and reads at most 100 messages per sync; the next sync goes on from there', async () => {
    const dee = sentTo.get('dee+deliver@example.com')!;
    const [{ provider_message_id: gmailId }] = await t.dataSource.query('SELECT provider_message_id FROM messages WHERE id = $1', [dee]);
    for (let i = 0; i < 120; i++) {
      const res = await fetch(`${google.sandbox.url}/_sandbox/gmail/reply`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ messageId: gmailId, from: `someone${i}@example.com`, text: `note ${i}`, bareHeaders: true }),
      });
      assert.equal(res.status, 200);
    }
    const first = await sync();
    // Pages of 50: two pages (100 messages), then the third would pass the bound.
    assert.deepEqual([first.read, first.unitsCharged], [100, 3 * GMAIL_UNITS.historyList + 100 * GMAIL_UNITS.messagesGet]);
    assert.notEqual((await stored()).historyId, (await mailbox()).historyId);
    const second = await sync();
    assert.equal(second.read, 20);
    assert.equal((await stored()).historyId, (await mailbox()).historyId);
  });
});
