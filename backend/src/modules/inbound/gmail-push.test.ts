import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { tickUntil } from '../../test/engine-harness';
import { CookieJar, GoogleStack, runFlow, startGoogleSandbox } from '../../test/google-flow';
import { startTestApp, TestApp } from '../../test/test-app';
import { EmailAccount } from '../email-accounts/email-account.entity';
import { GmailTokenService } from '../email-accounts/gmail-token.service';
import { GmailInboxSync } from './gmail-inbox-sync.service';

const MAILBOX = 'push@acme.test';
const TOPIC = 'projects/cadence-test/topics/gmail';
const PUSH_TOKEN = 'push-token-0123456789abcdefghijklmnopqrstuvwxyz';

describe('Gmail push: users.watch through Pub/Sub, a push endpoint authenticated by its URL token', () => {
  let t: TestApp;
  let google: GoogleStack;
  let account: EmailAccount;
  const stored = () => t.dataSource.getRepository(EmailAccount).findOneByOrFail({ id: account.id });
  const push = (token: string, body: unknown) =>
    fetch(`${t.baseUrl}/webhooks/gmail/push/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const notification = (emailAddress: string) => ({
    message: { data: Buffer.from(JSON.stringify({ emailAddress, historyId: 1 })).toString('base64'), messageId: '1' },
    subscription: 'projects/cadence-test/subscriptions/gmail-push',
  });

  beforeAll(async () => {
    google = await startGoogleSandbox();
    t = await startTestApp({
      env: {
        ...google.env,
        SCHEDULER_INTERVAL_MS: '0',
        GMAIL_SYNC_INTERVAL_MS: '0',
        SIGNUP_MODE: 'open',
        GMAIL_PUBSUB_TOPIC: TOPIC,
        GMAIL_PUSH_TOKEN: PUSH_TOKEN,
      },
    });
    const jar = new CookieJar();
    await runFlow(`${t.baseUrl}/auth/google`, jar, t.baseUrl, { email: 'ann@acme.test' });
    await runFlow(`${t.baseUrl}/auth/gmail/connect`, jar, t.baseUrl, { email: MAILBOX });
    account = await t.dataSource.getRepository(EmailAccount).findOneByOrFail({ email: MAILBOX });
    await fetch(`${google.sandbox.url}/_sandbox/gmail/pubsub`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ topicName: TOPIC, pushEndpoint: `${t.baseUrl}/webhooks/gmail/push/${PUSH_TOKEN}` }),
    });
  });
  afterAll(async () => {
    await t?.close();
    await google?.close();
  });

  it('a sync registers the watch on the configured topic (100 units) and remembers when it expires', async () => {
    const outcome = await t.app.get(GmailInboxSync).sync(account.organizationId, account.id);
    assert.equal(outcome.unitsCharged, 100 + 1);
    const watches = (await (await fetch(`${google.sandbox.url}/_sandbox/gmail/watches`)).json()) as {
      items: Array<{ email: string; topicName: string; labelIds: string[] }>;
    };
    assert.deepEqual(
      watches.items.map((w) => [w.email, w.topicName, w.labelIds]),
      [[MAILBOX, TOPIC, ['INBOX']]],
    );
    const expires = (await stored()).watchExpiresAt!;
    assert.ok(expires.getTime() > Date.now() + 6 * 24 * 3600_000, String(expires));
    // Renewed only when less than a day is left: the next sync does not pay for it again.
    assert.equal((await t.app.get(GmailInboxSync).sync(account.organizationId, account.id)).unitsCharged, 2);
  });

  it('mail arriving in the inbox is pushed by Gmail and the mailbox is read at once', async () => {
    const before = (await stored()).historyId;
    // Someone writes to the mailbox (sent by that mailbox to itself: it lands in INBOX too).
    const { accessToken } = await t.app.get(GmailTokenService).getAccessToken(await stored());
    const raw = [`From: ${MAILBOX}`, `To: ${MAILBOX}`, 'Subject: note', '', 'hello', ''].join('\r\n');
    const upload = await fetch(`${google.sandbox.url}/gmail/v1/users/me/messages/send`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ raw: Buffer.from(raw).toString('base64url') }),
    });
    assert.equal(upload.status, 200);
    await fetch(`${google.sandbox.url}/_sandbox/gmail/reply`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messageId: ((await upload.json()) as { id: string }).id, from: 'stranger@example.com', text: 'hi' }),
    });
    await tickUntil(t, async () => (await stored()).historyId !== before, 10_000);
    const log = (await (await fetch(`${google.sandbox.url}/_sandbox/webhooks?provider=gmail`)).json()) as {
      items: Array<{ url: string; event: string; state: string }>;
    };
    assert.ok(log.items.some((i) => i.event === 'push' && i.url.endsWith(`/webhooks/gmail/push/${PUSH_TOKEN}`)));
    // A stranger's email is read but not recorded: nobody we wrote to.
    assert.equal((await t.dataSource.query(`SELECT count(*)::int AS n FROM message_events`))[0].n, 0);
  });

  it('refuses a wrong token (403) and a malformed notification (400); an unknown address syncs nothing', async () => {
    const wrong = await push('x'.repeat(PUSH_TOKEN.length), notification(MAILBOX));
    assert.equal(wrong.status, 403);
    assert.equal(((await wrong.json()) as { code: string }).code, 'invalid_signature');
    const malformed = await push(PUSH_TOKEN, { message: { data: 'not base64 json' } });
    assert.equal(malformed.status, 400);
    assert.equal(((await malformed.json()) as { code: string }).code, 'invalid_inbound_message');
    const missing = await push(PUSH_TOKEN, {});
    assert.equal(missing.status, 400);
    const unknown = await push(PUSH_TOKEN, notification('nobody@acme.test'));
    assert.equal(unknown.status, 200);
    assert.deepEqual(await unknown.json(), { ok: true, mailboxes: 0 });
  });

  it('a mailbox whose grant was revoked: the sync fails, and the reason is kept for Settings', async () => {
    await fetch(`${google.sandbox.url}/_sandbox/google/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: MAILBOX }),
    });
    const tokens = t.app.get(GmailTokenService);
    const a = await stored();
    await t.dataSource
      .getRepository(EmailAccount)
      .update({ id: a.id }, { tokens: tokens.seal(a.organizationId, { ...tokens.open(a), expiresAt: Date.now() - 1000 }) });
    await assert.rejects(t.app.get(GmailInboxSync).sync(a.organizationId, a.id));
    const after = await stored();
    assert.equal(after.status, 'reauth_required');
    assert.match(after.inboundError ?? '', /invalid_grant|reconnect|revoked/i);
  });
});
