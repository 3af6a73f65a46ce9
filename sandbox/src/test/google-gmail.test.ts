import { afterAll, beforeAll, beforeEach, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { OAuth2Client } from 'google-auth-library';
import { gmail as gmailApi, type gmail_v1 } from '@googleapis/gmail';
import type { RunningSandbox } from '../sandbox-server';
import { api, startReceiver, testSandbox, type Receiver } from './helpers';

const CLIENT_ID = 'cadence-test.apps.googleusercontent.com';
const CLIENT_SECRET = 'GOCSPX-test-secret';
const REDIRECT = 'http://127.0.0.1:9/oauth/callback';
const SEND = 'https://www.googleapis.com/auth/gmail.send';
const READ = 'https://www.googleapis.com/auth/gmail.readonly';
const USER = 'alice@acme.test';

function oauthClient(base: string): OAuth2Client {
  return new OAuth2Client({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUri: REDIRECT,
    // Without an unknown expiry the client only refreshes on 401 when told to (same against Google).
    forceRefreshOnFailure: true,
    endpoints: {
      oauth2AuthBaseUrl: `${base}/o/oauth2/v2/auth`,
      oauth2TokenUrl: `${base}/token`,
      oauth2RevokeUrl: `${base}/revoke`,
      tokenInfoUrl: `${base}/tokeninfo`,
    },
  });
}

function decodeHtml(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Loads the consent page like a browser, then presses a button with the chosen boxes ticked. */
async function consent(authUrl: string, decision: 'allow' | 'deny', untick: string[] = []): Promise<URL> {
  const page = await fetch(authUrl);
  assert.equal(page.status, 200);
  const html = await page.text();
  const request = decodeHtml(/name="request" value="([^"]*)"/.exec(html)![1]);
  const email = decodeHtml(/name="email" value="([^"]*)"/.exec(html)![1]);
  const form = new URLSearchParams({ request, email, decision });
  for (const m of html.matchAll(/name="scope" value="([^"]*)"/g)) {
    const scope = decodeHtml(m[1]);
    if (!untick.includes(scope)) form.append('scope', scope);
  }
  const base = new URL(authUrl).origin;
  const res = await fetch(`${base}/o/oauth2/v2/auth/decision`, { method: 'POST', body: form, redirect: 'manual' });
  assert.equal(res.status, 302);
  return new URL(res.headers.get('location')!);
}

function rawMessage(headers: Record<string, string>, body: string): string {
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}`);
  return Buffer.from([...lines, 'Content-Type: text/plain; charset=UTF-8', '', body].join('\r\n')).toString('base64url');
}

describe('google oauth + gmail', () => {
  let sb: RunningSandbox;
  let rx: Receiver;

  const connect = async (scopes: string[], extra: Record<string, string | boolean> = {}) => {
    const oauth = oauthClient(sb.url);
    const url = oauth.generateAuthUrl({
      access_type: 'offline',
      prompt: 'consent',
      scope: scopes,
      state: 'st-1',
      login_hint: USER,
      ...extra,
    });
    const back = await consent(url, 'allow');
    const { tokens } = await oauth.getToken(back.searchParams.get('code')!);
    oauth.setCredentials(tokens);
    return { oauth, tokens, gmail: gmailApi({ version: 'v1', auth: oauth as never, rootUrl: `${sb.url}/` }) };
  };

  beforeAll(async () => {
    sb = await testSandbox();
    rx = await startReceiver();
  });
  afterAll(async () => {
    await sb.close();
    await rx.close();
  });
  beforeEach(async () => {
    // Callbacks of the previous test may still be in flight; let them land before clearing.
    await sb.webhooksIdle();
    sb.reset(true);
    rx.requests.length = 0;
  });

  it('renders an escaped consent page with one box per scope; deny redirects with access_denied', async () => {
    const q = new URLSearchParams({
      client_id: '<script>x</script>',
      redirect_uri: REDIRECT,
      response_type: 'code',
      scope: `openid email ${SEND}`,
      state: 's"1',
    });
    const html = await (await fetch(`${sb.url}/o/oauth2/v2/auth?${q}`)).text();
    assert.ok(!html.includes('<script>x</script>'));
    assert.ok(html.includes('&lt;script&gt;x&lt;/script&gt;'));
    assert.match(html, /name="scope" value="https:\/\/www.googleapis.com\/auth\/gmail.send" checked/);
    assert.match(html, /value="deny"/);
    const back = await consent(`${sb.url}/o/oauth2/v2/auth?${q}`, 'deny');
    assert.equal(back.searchParams.get('error'), 'access_denied');
    assert.equal(back.searchParams.get('state'), 's"1');
  });

  it('issues code, refresh token and an HS256 id_token; userinfo and tokeninfo answer', async () => {
    const { tokens, oauth } = await connect(['openid', 'email', 'profile', SEND, READ]);
    assert.ok(tokens.access_token?.startsWith('ya29.'));
    assert.ok(tokens.refresh_token);
    assert.equal(tokens.token_type, 'Bearer');
    const [h, p, s] = tokens.id_token!.split('.');
    assert.equal(createHmac('sha256', CLIENT_SECRET).update(`${h}.${p}`).digest('base64url'), s);
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as { email: string; aud: string; iss: string };
    assert.equal(claims.email, USER);
    assert.equal(claims.aud, CLIENT_ID);
    const info = await fetch(`${sb.url}/oauth2/v3/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(((await info.json()) as { email: string }).email, USER);
    const ti = await oauth.getTokenInfo(tokens.access_token!);
    assert.ok(ti.scopes.includes(SEND));
    assert.equal(ti.email, USER);
    // Codes are single-use.
    await assert.rejects(
      oauth.getToken('4/0Areused'),
      (e: { response?: { data?: { error?: string } } }) => e.response?.data?.error === 'invalid_grant',
    );
  });

  it('honours unticked scopes (granular consent) and incremental authorization', async () => {
    const oauth = oauthClient(sb.url);
    const first = await consent(
      oauth.generateAuthUrl({ access_type: 'offline', scope: ['openid', 'email', SEND, READ], login_hint: USER }),
      'allow',
      [SEND],
    );
    assert.ok(!first.searchParams.get('scope')!.includes(SEND));
    const { tokens } = await oauth.getToken(first.searchParams.get('code')!);
    assert.ok(!tokens.scope!.includes(SEND));
    oauth.setCredentials(tokens);
    const gmail = gmailApi({ version: 'v1', auth: oauth as never, rootUrl: `${sb.url}/` });
    await assert.rejects(
      gmail.users.messages.send({ userId: 'me', requestBody: { raw: rawMessage({ From: USER, To: 'x@example.com', Subject: 's' }, 'b') } }),
      (e: { status: number; errors?: { reason: string }[] }) => {
        assert.equal(e.status, 403);
        return true;
      },
    );
    // Ask for gmail.send only, with include_granted_scopes: the new token carries both grants.
    const second = await consent(oauth.generateAuthUrl({ scope: [SEND], include_granted_scopes: true, login_hint: USER }), 'allow');
    const scopes = second.searchParams.get('scope')!.split(' ');
    assert.ok(scopes.includes(SEND) && scopes.includes(READ) && scopes.includes('openid'));
    const again = await oauth.getToken(second.searchParams.get('code')!);
    assert.equal(again.tokens.refresh_token, undefined, 'no second refresh token without prompt=consent');
  });

  it('sends raw RFC 2822 through users.messages.send and records headers, recipients and campaign id', async () => {
    const { gmail } = await connect([SEND, READ]);
    const raw = rawMessage(
      {
        From: `Alice <${USER}>`,
        To: 'Lead <lead@example.com>',
        Cc: 'boss@example.com',
        Subject: 'Quarterly plan',
        'Message-ID': '<cm-1@cadence.test>',
        'X-Cadence-Message-Id': 'cm-1',
        'List-Unsubscribe': '<https://app.example/u/1>',
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
      'Hello there',
    );
    const sent = await gmail.users.messages.send({ userId: 'me', requestBody: { raw } });
    assert.equal(sent.status, 200);
    assert.ok(sent.data.id && sent.data.threadId);
    assert.deepEqual(sent.data.labelIds, ['SENT']);
    const { body } = await api<{
      items: {
        to: string;
        subject: string;
        body: string;
        campaignMessageId: string;
        threadId: string;
        headers: Record<string, string>;
        from: string;
      }[];
    }>(sb.url, 'GET', '/_sandbox/messages?provider=gmail');
    assert.deepEqual(body.items.map((m) => m.to).sort(), ['boss@example.com', 'lead@example.com']);
    const lead = body.items.find((m) => m.to === 'lead@example.com')!;
    assert.equal(lead.subject, 'Quarterly plan');
    assert.equal(lead.campaignMessageId, 'cm-1');
    assert.equal(lead.threadId, sent.data.threadId);
    assert.equal(lead.headers['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click');
    assert.equal(lead.body.trim(), 'Hello there');

    // A follow-up naming the thread and the original Message-ID stays in the thread.
    const follow = await gmail.users.messages.send({
      userId: 'me',
      requestBody: {
        threadId: sent.data.threadId,
        raw: rawMessage(
          {
            From: USER,
            To: 'lead@example.com',
            Subject: 'Re: Quarterly plan',
            'In-Reply-To': '<cm-1@cadence.test>',
            References: '<cm-1@cadence.test>',
          },
          'Following up',
        ),
      },
    });
    assert.equal(follow.data.threadId, sent.data.threadId);
  });

  it('accepts the upload forms of messages.send (media and multipart/related)', async () => {
    const { tokens } = await connect([SEND]);
    const mime = [`From: ${USER}`, 'To: up@example.com', 'Subject: Uploaded', 'X-Cadence-Message-Id: cm-up', '', 'via upload'].join('\r\n');
    const media = await fetch(`${sb.url}/upload/gmail/v1/users/me/messages/send?uploadType=media`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.access_token}`, 'content-type': 'message/rfc822' },
      body: mime,
    });
    assert.equal(media.status, 200);
    const first = (await media.json()) as { id: string; threadId: string };
    const boundary = 'b0undary';
    const multipart = [
      `--${boundary}`,
      'Content-Type: application/json; charset=UTF-8',
      '',
      JSON.stringify({ threadId: first.threadId }),
      `--${boundary}`,
      'Content-Type: message/rfc822',
      '',
      mime.replace('cm-up', 'cm-up-2'),
      `--${boundary}--`,
      '',
    ].join('\r\n');
    const mp = await fetch(`${sb.url}/upload/gmail/v1/users/me/messages/send?uploadType=multipart`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.access_token}`, 'content-type': `multipart/related; boundary=${boundary}` },
      body: multipart,
    });
    assert.equal(mp.status, 200);
    assert.equal(((await mp.json()) as { threadId: string }).threadId, first.threadId);
    const { body } = await api<{ items: { campaignMessageId: string; subject: string }[] }>(
      sb.url,
      'GET',
      '/_sandbox/messages?to=up@example.com',
    );
    assert.deepEqual(
      body.items.map((m) => m.campaignMessageId),
      ['cm-up', 'cm-up-2'],
    );
  });

  it('shows replies in history.list as new INBOX messages in the same thread', async () => {
    const { gmail } = await connect([SEND, READ]);
    const profile = await gmail.users.getProfile({ userId: 'me' });
    assert.equal(profile.data.emailAddress, USER);
    const start = profile.data.historyId!;
    const sent = await gmail.users.messages.send({
      userId: 'me',
      requestBody: {
        raw: rawMessage({ From: USER, To: 'lead+reply@example.com', Subject: 'Coffee?', 'Message-ID': '<cm-2@cadence.test>' }, 'Shall we?'),
      },
    });
    let reply: gmail_v1.Schema$Message | undefined;
    for (let i = 0; i < 100 && !reply; i++) {
      const h = await gmail.users.history.list({ userId: 'me', startHistoryId: start, historyTypes: ['messageAdded'], labelId: 'INBOX' });
      reply = h.data.history
        ?.flatMap((x) => x.messagesAdded ?? [])
        .map((x) => x.message!)
        .find((m) => m.id !== sent.data.id);
      if (!reply) await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(reply, 'reply appears in history');
    assert.equal(reply.threadId, sent.data.threadId);
    assert.ok(reply.labelIds!.includes('INBOX'));
    const full = await gmail.users.messages.get({
      userId: 'me',
      id: reply.id!,
      format: 'metadata',
      metadataHeaders: ['In-Reply-To', 'From', 'Subject'],
    });
    const headers = Object.fromEntries(full.data.payload!.headers!.map((h) => [h.name, h.value]));
    assert.equal(headers['In-Reply-To'], '<cm-2@cadence.test>');
    assert.equal(headers.From, 'lead+reply@example.com');
    assert.equal(headers.Subject, 'Re: Coffee?');
    const raw = await gmail.users.messages.get({ userId: 'me', id: reply.id!, format: 'raw' });
    assert.match(Buffer.from(raw.data.raw!, 'base64url').toString(), /References: <cm-2@cadence.test>/);
    const thread = await gmail.users.threads.get({ userId: 'me', id: sent.data.threadId! });
    assert.equal(thread.data.messages!.length, 2);
  });

  it('an out-of-office (+ooo) answers into the thread with RFC 3834 headers; users.watch pushes the change to the topic’s endpoint', async () => {
    const { gmail } = await connect([SEND, READ]);
    await api(sb.url, 'PUT', '/_sandbox/gmail/pubsub', { topicName: 'projects/p/topics/gmail', pushEndpoint: `${rx.url}/push` });
    await assert.rejects(
      gmail.users.watch({ userId: 'me', requestBody: { topicName: 'not-a-topic' } }),
      (e: { status: number }) => e.status === 400,
    );
    const watch = await gmail.users.watch({ userId: 'me', requestBody: { topicName: 'projects/p/topics/gmail', labelIds: ['INBOX'] } });
    assert.ok(Number(watch.data.expiration) > Date.now() + 6 * 24 * 3600_000);
    // Two watch calls cost 200 of the user's 250 units a second: the send waits for the quota to refill.
    await new Promise((r) => setTimeout(r, 1000));
    const sent = await gmail.users.messages.send({
      userId: 'me',
      requestBody: {
        raw: rawMessage({ From: USER, To: 'away+ooo@example.com', Subject: 'Coffee?', 'Message-ID': '<cm-9@cadence.test>' }, 'Shall we?'),
      },
    });
    // Only the INBOX answer is pushed, not the SENT message.
    const [push] = await rx.waitFor((r) => r.path === '/push');
    const note = JSON.parse(push.body) as { message: { data: string }; subscription: string };
    const data = JSON.parse(Buffer.from(note.message.data, 'base64').toString()) as { emailAddress: string; historyId: number };
    assert.equal(data.emailAddress, USER);
    const thread = await gmail.users.threads.get({ userId: 'me', id: sent.data.threadId!, format: 'full' });
    assert.equal(thread.data.messages!.length, 2);
    const answer = thread.data.messages![1];
    const raw = Buffer.from(
      (await gmail.users.messages.get({ userId: 'me', id: answer.id!, format: 'raw' })).data.raw!,
      'base64url',
    ).toString();
    assert.match(raw, /^Auto-Submitted: auto-replied$/m);
    assert.match(raw, /^Subject: Automatic reply: Coffee\?$/m);
    assert.match(raw, /^In-Reply-To: <cm-9@cadence.test>$/m);
    assert.equal(String(data.historyId), (await gmail.users.getProfile({ userId: 'me' })).data.historyId);
    await gmail.users.stop({ userId: 'me' });
    assert.deepEqual((await api<{ items: unknown[] }>(sb.url, 'GET', '/_sandbox/gmail/watches')).body.items, []);
    assert.equal(rx.requests.filter((r) => r.path === '/push').length, 1);
  });

  it('puts a bounce notification into the thread and fetches the tracking pixel / one-click unsubscribe', async () => {
    const { gmail } = await connect([SEND, READ]);
    const sent = await gmail.users.messages.send({
      userId: 'me',
      requestBody: { raw: rawMessage({ From: USER, To: 'gone+bounce@example.com', Subject: 'Hi' }, 'x') },
    });
    const html = `<p>Hi</p><img src="${rx.url}/open/cm-3" width="1"><a href="${rx.url}/click/cm-3">link</a>`;
    const raw = Buffer.from(
      [
        `From: ${USER}`,
        'To: fan+click+unsubscribe@example.com',
        'Subject: Promo',
        `List-Unsubscribe: <${rx.url}/unsub/cm-3>`,
        'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
        'Content-Type: text/html; charset=UTF-8',
        '',
        html,
      ].join('\r\n'),
    ).toString('base64url');
    await gmail.users.messages.send({ userId: 'me', requestBody: { raw } });
    await rx.waitFor((r) => r.path === '/open/cm-3');
    await rx.waitFor((r) => r.path === '/click/cm-3');
    const [unsub] = await rx.waitFor((r) => r.path === '/unsub/cm-3');
    assert.equal(unsub.method, 'POST');
    assert.equal(unsub.body, 'List-Unsubscribe=One-Click');
    for (let i = 0; i < 100; i++) {
      const t = await gmail.users.threads.get({ userId: 'me', id: sent.data.threadId!, format: 'metadata', metadataHeaders: ['From'] });
      if (t.data.messages!.length === 2) {
        assert.match(String(t.data.messages![1].payload!.headers![0].value), /mailer-daemon@googlemail.com/);
        return;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.fail('bounce notification never arrived');
  });

  it('answers 401 for expired tokens (the client refreshes) and invalid_grant once revoked', async () => {
    const { gmail, oauth } = await connect([SEND, READ]);
    await api(sb.url, 'POST', '/_sandbox/google/expire', { email: USER });
    const raw401 = await fetch(`${sb.url}/gmail/v1/users/me/profile`, {
      headers: { authorization: `Bearer ${oauth.credentials.access_token}` },
    });
    assert.equal(raw401.status, 401);
    assert.equal(((await raw401.json()) as { error: { status: string } }).error.status, 'UNAUTHENTICATED');
    const profile = await gmail.users.getProfile({ userId: 'me' });
    assert.equal(profile.data.emailAddress, USER, 'OAuth2Client refreshed and retried');

    await api(sb.url, 'POST', '/_sandbox/google/revoke', { email: USER });
    await assert.rejects(gmail.users.getProfile({ userId: 'me' }), (e: { response?: { data?: { error?: string } }; message: string }) => {
      assert.match(JSON.stringify(e.response?.data ?? e.message), /invalid_grant/);
      return true;
    });
  });

  it('revokes through /revoke like Google (the whole grant goes)', async () => {
    const { oauth, tokens } = await connect([SEND]);
    await oauth.revokeToken(tokens.access_token!);
    const res = await fetch(`${sb.url}/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token!,
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
      }),
    });
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
  });

  it('answers invalid_grant on demand through a fault', async () => {
    const { tokens } = await connect([SEND]);
    await api(sb.url, 'POST', '/_sandbox/faults', { provider: 'google-oauth', type: 'invalid-grant', match: USER, times: 1 });
    const refresh = () =>
      fetch(`${sb.url}/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: tokens.refresh_token!,
          client_id: CLIENT_ID,
          client_secret: CLIENT_SECRET,
        }),
      });
    assert.equal((await refresh()).status, 400);
    assert.equal((await refresh()).status, 200);
  });

  it('enforces the per-user quota (429 rateLimitExceeded) and the daily cap (403 dailyLimitExceeded)', async () => {
    const { gmail, tokens } = await connect([SEND, READ]);
    const raw = rawMessage({ From: USER, To: 'a@example.com', Subject: 's' }, 'b');
    const post = () =>
      fetch(`${sb.url}/gmail/v1/users/me/messages/send`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.access_token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ raw }),
      });
    // 250 units/s and 100 units per send: the third immediate send is over.
    assert.equal((await post()).status, 200);
    assert.equal((await post()).status, 200);
    const limited = await post();
    assert.equal(limited.status, 429);
    const body = (await limited.json()) as { error: { code: number; errors: { reason: string; domain: string }[]; status: string } };
    assert.equal(body.error.errors[0].reason, 'rateLimitExceeded');
    assert.equal(body.error.status, 'RESOURCE_EXHAUSTED');

    await api(sb.url, 'PUT', '/_sandbox/rate-limits', { gmail: { quotaUnitsPerSecond: 100000, dailyCaps: { [USER]: 3 } } });
    assert.equal((await post()).status, 200);
    await assert.rejects(
      gmail.users.messages.send({ userId: 'me', requestBody: { raw } }),
      (e: { status: number; response?: { data?: { error?: { errors?: { reason: string }[] } } } }) => {
        assert.equal(e.status, 403);
        assert.equal(e.response?.data?.error?.errors?.[0]?.reason, 'dailyLimitExceeded');
        return true;
      },
    );
  });

  it('a revoked-token fault answers 401 and kills the grant so the refresh fails too', async () => {
    const { gmail } = await connect([SEND, READ]);
    await api(sb.url, 'POST', '/_sandbox/faults', { provider: 'gmail', type: 'revoked-token', times: 1 });
    await assert.rejects(
      gmail.users.messages.send({ userId: 'me', requestBody: { raw: rawMessage({ From: USER, To: 'a@example.com', Subject: 's' }, 'b') } }),
      (e: { message: string; response?: { data?: unknown } }) => {
        assert.match(JSON.stringify(e.response?.data ?? e.message), /invalid_grant/);
        return true;
      },
    );
    assert.equal((await api<{ total: number }>(sb.url, 'GET', '/_sandbox/messages?provider=gmail')).body.total, 0);
  });
});
