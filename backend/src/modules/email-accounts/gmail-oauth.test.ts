import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { ENVELOPE_PATTERN } from '../../common/crypto/secret-box';
import { RuntimeSecrets } from '../../config/runtime-secrets';
import { FakeSender, tickUntil, TriggerReceiver } from '../../test/engine-harness';
import { CookieJar, GoogleStack, navigate, runFlow, startGoogleSandbox } from '../../test/google-flow';
import { startTestApp, TestApp } from '../../test/test-app';
import { GMAIL_READ_SCOPE, GMAIL_SEND_SCOPE } from '../auth/google-endpoints';
import { ReauthRequiredError } from './email-account-tokens';
import { EmailAccount } from './email-account.entity';
import { GmailTokenService } from './gmail-token.service';

describe('Gmail through OAuth: sign-in, Connect Gmail, encrypted tokens, refresh, re-auth', () => {
  let t: TestApp;
  let google: GoogleStack;
  let receiver: TriggerReceiver;
  let jar: CookieJar;
  let csrf: string;
  let organizationId: string;

  const web = async (method: string, path: string, body?: unknown, withCsrf = true) =>
    t.request(method, path, { body, headers: { cookie: jar.header(), ...(withCsrf && csrf && { 'x-csrf-token': csrf }) } });
  const account = async (email: string) => t.dataSource.getRepository(EmailAccount).findOneByOrFail({ organizationId, email });
  const tokens = () => t.app.get(GmailTokenService);
  /** Makes the stored access token look expired, so the next use refreshes. */
  async function expireStoredToken(email: string) {
    const a = await account(email);
    const stored = tokens().open(a);
    await t.dataSource
      .getRepository(EmailAccount)
      .update({ id: a.id }, { tokens: tokens().seal(organizationId, { ...stored, expiresAt: Date.now() - 1000 }) });
    return t.dataSource.getRepository(EmailAccount).findOneByOrFail({ id: a.id });
  }

  beforeAll(async () => {
    google = await startGoogleSandbox();
    receiver = new TriggerReceiver(() => t.app.get(RuntimeSecrets).triggerSigningSecret);
    await receiver.start();
    t = await startTestApp({ env: { ...google.env, SCHEDULER_INTERVAL_MS: '0', N8N_URL: receiver.url, SIGNUP_MODE: 'open' } });
    jar = new CookieJar();
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.stop();
    await google?.close();
  });

  it('signs a person in with Google: a new organization, an httpOnly SameSite session cookie and a CSRF token', async () => {
    const { final } = await runFlow(`${t.baseUrl}/auth/google`, jar, t.baseUrl, { email: 'ann@acme.test' });
    assert.equal(new URL(final).pathname, '/settings');
    assert.ok(jar.cookies.has('cadence_session'));
    const session = await web('GET', '/api/v1/session', undefined, false);
    assert.equal(session.status, 200, JSON.stringify(session.body));
    assert.equal(session.body.user.email, 'ann@acme.test');
    csrf = session.body.csrfToken;
    organizationId = session.body.organization.id;
    assert.ok(csrf && organizationId);
  });

  it('the session cookie is httpOnly and SameSite=Lax; state-changing cookie requests need the CSRF header', async () => {
    const jar2 = new CookieJar();
    const start = await fetch(`${t.baseUrl}/auth/google`, { redirect: 'manual' });
    assert.match(start.headers.getSetCookie().join('\n'), /cadence_oauth=.*HttpOnly.*SameSite=Lax/i);
    await runFlow(`${t.baseUrl}/auth/google`, jar2, t.baseUrl, { email: 'ann@acme.test' });
    const noCsrf = await web('POST', '/api/v1/users/invite', { email: 'bob@acme.test' }, false);
    assert.equal(noCsrf.status, 403);
    assert.equal(noCsrf.body.code, 'csrf_failed');
    const wrong = await t.request('POST', '/api/v1/users/invite', {
      body: { email: 'bob@acme.test' },
      headers: { cookie: jar.header(), 'x-csrf-token': 'x'.repeat(43) },
    });
    assert.equal(wrong.status, 403);
    const ok = await web('POST', '/api/v1/users/invite', { email: 'bob@acme.test' });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    // The invited person is a pending invitation until they open its link, not a member.
    const users = (await web('GET', '/api/v1/users', undefined, false)).body;
    assert.equal(users.items.length, 1);
    assert.deepEqual(
      users.invitations.map((i: { email: string }) => i.email),
      ['bob@acme.test'],
    );
  });

  it('Connect Gmail asks Google for gmail.send + a read scope, offline access, the consent prompt and incremental authorization', async () => {
    const start = await navigate(`${t.baseUrl}/auth/gmail/connect`, jar, t.baseUrl);
    assert.equal(start.status, 302);
    const url = new URL(start.location!);
    assert.ok(url.toString().startsWith(`${google.sandbox.url}/o/oauth2/v2/auth`));
    const scopes = url.searchParams.get('scope')!.split(' ');
    assert.ok(scopes.includes(GMAIL_SEND_SCOPE) && scopes.includes(GMAIL_READ_SCOPE) && scopes.includes('email'));
    assert.equal(url.searchParams.get('access_type'), 'offline');
    assert.equal(url.searchParams.get('prompt'), 'consent');
    assert.equal(url.searchParams.get('include_granted_scopes'), 'true');
    assert.equal(url.searchParams.get('login_hint'), 'ann@acme.test');
    assert.equal(url.searchParams.get('redirect_uri'), `${t.baseUrl}/auth/gmail/callback`);
    assert.match(url.searchParams.get('state')!, /^[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);
    // Signed out, the flow sends the browser to sign in first.
    const anonymous = await navigate(`${t.baseUrl}/auth/gmail/connect`, new CookieJar(), t.baseUrl);
    assert.equal(new URL(anonymous.location!).pathname, '/signin');
  });

  it('Connect Gmail stores the mailbox as connected with its scopes, tokens sealed (ciphertext) in the database', async () => {
    const { final } = await runFlow(`${t.baseUrl}/auth/gmail/connect`, jar, t.baseUrl, { email: 'sales@acme.test' });
    const url = new URL(final);
    assert.equal(url.pathname, '/settings');
    assert.equal(url.searchParams.get('connected'), 'sales@acme.test', final);
    const list = (await web('GET', '/api/v1/email-accounts', undefined, false)).body.items;
    assert.equal(list.length, 1);
    assert.equal(list[0].status, 'connected');
    assert.equal(list[0].isPrimary, true);
    assert.equal(list[0].dailyCap, 2000, 'a Workspace mailbox gets the Workspace cap');
    assert.ok(list[0].scopes.includes(GMAIL_SEND_SCOPE) && list[0].scopes.includes(GMAIL_READ_SCOPE));
    assert.ok(!JSON.stringify(list).includes('tokens'));
    const [row] = await t.dataSource.query('SELECT tokens FROM email_accounts WHERE email = $1', ['sales@acme.test']);
    assert.match(row.tokens, new RegExp(ENVELOPE_PATTERN));
    assert.ok(!/ya29\.|1\/\/0|refresh/i.test(row.tokens), 'no token text in the column');
    const opened = tokens().open(await account('sales@acme.test'));
    assert.match(opened.accessToken, /^ya29\./);
    assert.match(opened.refreshToken!, /^1\/\/0/);
    assert.throws(() => tokens().open({ organizationId: '00000000-0000-4000-8000-000000000000', tokens: row.tokens }), {
      code: 'secret_decryption_failed',
    });
  });

  it('refuses a forged state, a replayed state and a state from another session', async () => {
    const before = await t.dataSource.getRepository(EmailAccount).countBy({ organizationId });
    // Forged: a made-up state, and a real state with its signature altered.
    const forged = await navigate(
      `${t.baseUrl}/auth/gmail/callback?code=4/0Afake&state=${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}.${'A'.repeat(43)}`,
      jar,
      t.baseUrl,
    );
    assert.equal(new URL(forged.location!).searchParams.get('gmail_error'), 'state_invalid');
    const { callbackUrl } = await runFlow(`${t.baseUrl}/auth/gmail/connect`, jar, t.baseUrl, {
      email: 'forged@acme.test',
      stopAtCallback: true,
    });
    const tampered = new URL(callbackUrl);
    const [id, sig] = tampered.searchParams.get('state')!.split('.');
    tampered.searchParams.set('state', `${id}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`);
    assert.equal(new URL((await navigate(tampered.toString(), jar, t.baseUrl)).location!).searchParams.get('gmail_error'), 'state_invalid');
    // Replayed: a tampered signature is refused before the row is touched, so the genuine URL still works once, and only once.
    const first = await navigate(callbackUrl, jar, t.baseUrl);
    assert.equal(new URL(first.location!).searchParams.get('connected'), 'forged@acme.test');
    const again = await navigate(callbackUrl, jar, t.baseUrl);
    assert.equal(new URL(again.location!).searchParams.get('gmail_error'), 'state_invalid');
    // Another session: Mallory starts a flow and sends her callback URL to Ann.
    const mallory = new CookieJar();
    await runFlow(`${t.baseUrl}/auth/google`, mallory, t.baseUrl, { email: 'mallory@evil.test' });
    const { callbackUrl: hers } = await runFlow(`${t.baseUrl}/auth/gmail/connect`, mallory, t.baseUrl, {
      email: 'mallory-mailbox@evil.test',
      stopAtCallback: true,
    });
    const onAnn = await navigate(hers, jar, t.baseUrl);
    assert.equal(new URL(onAnn.location!).searchParams.get('gmail_error'), 'state_invalid');
    const count = await t.dataSource.getRepository(EmailAccount).countBy({ organizationId });
    assert.equal(count, before + 1, 'only the legitimate callback stored a mailbox');
    assert.equal((await t.dataSource.query(`SELECT count(*)::int AS n FROM email_accounts WHERE email LIKE '%evil.test'`))[0].n, 0);
    // A sign-in state cannot be used by another browser either (login CSRF).
    const { callbackUrl: signin } = await runFlow(`${t.baseUrl}/auth/google`, mallory, t.baseUrl, {
      email: 'mallory@evil.test',
      stopAtCallback: true,
    });
    const victim = new CookieJar();
    const landed = await navigate(signin, victim, t.baseUrl);
    assert.equal(new URL(landed.location!).searchParams.get('error'), 'state_invalid');
    assert.ok(!victim.cookies.has('cadence_session'));
  });

  it('a denied consent lands back on Settings with access_denied; an unticked gmail.send stores an unusable mailbox', async () => {
    const denied = await runFlow(`${t.baseUrl}/auth/gmail/connect`, jar, t.baseUrl, { email: 'denied@acme.test', decision: 'deny' });
    assert.equal(new URL(denied.final).searchParams.get('gmail_error'), 'access_denied');
    assert.equal(await t.dataSource.getRepository(EmailAccount).countBy({ email: 'denied@acme.test' }), 0);
    const partial = await runFlow(`${t.baseUrl}/auth/gmail/connect`, jar, t.baseUrl, {
      email: 'readonly@acme.test',
      scopes: [GMAIL_READ_SCOPE],
    });
    assert.equal(new URL(partial.final).searchParams.get('gmail_error'), 'send_scope_missing');
    const a = await account('readonly@acme.test');
    assert.equal(a.status, 'reauth_required');
    assert.equal(a.isPrimary, false);
    assert.match(a.lastError!, /Send email on your behalf/);
    await assert.rejects(tokens().getAccessToken(a), ReauthRequiredError);
  });

  it('concurrent refreshes of one mailbox make a single token call, and the refreshed token is stored sealed', async () => {
    const expired = await expireStoredToken('sales@acme.test');
    const oldAccess = tokens().open(expired).accessToken;
    google.proxy.refreshCalls = 0;
    const results = await Promise.all(Array.from({ length: 12 }, () => tokens().getAccessToken(expired)));
    assert.equal(google.proxy.refreshCalls, 1);
    assert.equal(new Set(results.map((r) => r.accessToken)).size, 1);
    assert.notEqual(results[0].accessToken, oldAccess);
    const stored = tokens().open(await account('sales@acme.test'));
    assert.equal(stored.accessToken, results[0].accessToken);
    assert.ok(stored.expiresAt > Date.now() + 30 * 60_000);
    // Fresh now: no further call.
    await tokens().getAccessToken(await account('sales@acme.test'));
    assert.equal(google.proxy.refreshCalls, 1);
    const test = await web('POST', `/api/v1/email-accounts/${expired.id}/test`);
    assert.equal(test.body.ok, true, JSON.stringify(test.body));
  });

  let campaignId: string;
  let runId: string;

  it('the lease hands n8n a short-lived access token and never the refresh token', async () => {
    const a = await account('sales@acme.test');
    const refreshToken = tokens().open(a).refreshToken!;
    const lead = await web('POST', '/api/v1/leads', { email: 'lead+deliver@example.com', firstName: 'Lee' });
    assert.equal(lead.status, 201, JSON.stringify(lead.body));
    const template = await web('POST', '/api/v1/templates', {
      name: 'Hello',
      channel: 'email',
      subject: 'Hi {{ lead.first_name }}',
      html: '<p>Hello</p>',
      text: 'Hello',
    });
    assert.equal(template.status, 201, JSON.stringify(template.body));
    const created = await web('POST', '/api/v1/campaigns', {
      name: 'Gmail blast',
      type: 'blast',
      sender: { emailAccountId: a.id },
      audience: { leadIds: [lead.body.id] },
      steps: [{ channel: 'email', templateId: template.body.id }],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    campaignId = created.body.id;
    assert.equal((await web('POST', `/api/v1/campaigns/${campaignId}/launch`)).status, 202);
    await tickUntil(t, async () => receiver.triggers.some((tr) => tr.campaignId === campaignId));
    runId = receiver.triggers.find((tr) => tr.campaignId === campaignId)!.runId;
    const lease = await new FakeSender(t).call('POST', `/runs/${runId}/lease`, { max: 1 });
    assert.equal(lease.status, 200, JSON.stringify(lease.body));
    const text = JSON.stringify(lease.body);
    assert.ok(text.includes(tokens().open(await account('sales@acme.test')).accessToken), 'the access token is handed over');
    assert.ok(!text.includes(refreshToken), 'the refresh token never leaves the backend');
    assert.ok(!/refresh/i.test(text), JSON.stringify(lease.body.sender ?? lease.body).slice(0, 400));
  });

  it('a revoked grant: the next refresh marks the mailbox reauth_required and pauses its campaigns with the reason', async () => {
    const res = await fetch(`${google.sandbox.url}/_sandbox/google/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'sales@acme.test' }),
    });
    assert.equal(res.status, 200);
    const expired = await expireStoredToken('sales@acme.test');
    await assert.rejects(
      tokens().getAccessToken(expired),
      (e: Error) => e instanceof ReauthRequiredError && /invalid_grant/.test(e.message),
    );
    const a = await account('sales@acme.test');
    assert.equal(a.status, 'reauth_required');
    assert.match(a.lastError!, /invalid_grant/);
    const campaign = (await web('GET', `/api/v1/campaigns/${campaignId}`, undefined, false)).body;
    assert.equal(campaign.status, 'paused');
    assert.match(
      campaign.statusReason ??
        (await t.dataSource.query('SELECT status_reason FROM campaigns WHERE id = $1', [campaignId]))[0].status_reason,
      /sales@acme\.test needs to be reconnected/,
    );
    // Reconnect: the same row comes back connected.
    const again = await runFlow(`${t.baseUrl}/auth/gmail/connect?accountId=${a.id}`, jar, t.baseUrl, { email: 'sales@acme.test' });
    assert.equal(new URL(again.final).searchParams.get('connected'), 'sales@acme.test');
    const back = await account('sales@acme.test');
    assert.equal(back.id, a.id);
    assert.equal(back.status, 'connected');
    assert.equal(back.lastError, null);
  });

  it('invalid_grant injected at the token endpoint is permanent too; a 503 is transient and leaves the mailbox connected', async () => {
    const fault = async (spec: Record<string, unknown>) =>
      fetch(`${google.sandbox.url}/_sandbox/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(spec),
      });
    await fault({ provider: 'google-oauth', type: 'http-error', status: 503, match: 'sales@acme.test', operation: 'token', times: 10 });
    const expired = await expireStoredToken('sales@acme.test');
    google.proxy.refreshCalls = 0;
    await assert.rejects(tokens().getAccessToken(expired), (e: Error) => !(e instanceof ReauthRequiredError));
    assert.ok(google.proxy.refreshCalls > 1, `retried with backoff (${google.proxy.refreshCalls} calls)`);
    const still = await account('sales@acme.test');
    assert.equal(still.status, 'connected');
    assert.match(still.lastError!, /will be retried/);
    await fetch(`${google.sandbox.url}/_sandbox/faults`, { method: 'DELETE' });
    await fault({ provider: 'google-oauth', type: 'invalid-grant', match: 'sales@acme.test', operation: 'token', times: 1 });
    await assert.rejects(tokens().getAccessToken(await account('sales@acme.test')), ReauthRequiredError);
    assert.equal((await account('sales@acme.test')).status, 'reauth_required');
  });

  it('make primary, and disconnect revokes the grant at Google and deletes the tokens', async () => {
    await runFlow(`${t.baseUrl}/auth/gmail/connect`, jar, t.baseUrl, { email: 'sales@acme.test' });
    const forged = await account('forged@acme.test');
    const primary = await web('POST', `/api/v1/email-accounts/${forged.id}/primary`);
    assert.equal(primary.status, 200, JSON.stringify(primary.body));
    assert.equal(primary.body.isPrimary, true);
    assert.equal((await account('sales@acme.test')).isPrimary, false);
    const grants = async () =>
      (await (await fetch(`${google.sandbox.url}/_sandbox/google/grants`)).json()) as
        { items?: Array<{ email: string }> } | Array<{ email: string }>;
    const hasGrant = async (email: string) => JSON.stringify(await grants()).includes(email);
    assert.ok(await hasGrant('forged@acme.test'));
    const off = await web('POST', `/api/v1/email-accounts/${forged.id}/disconnect`);
    assert.equal(off.status, 200, JSON.stringify(off.body));
    assert.equal(off.body.status, 'disconnected');
    assert.equal(off.body.revoked, true);
    assert.ok(!(await hasGrant('forged@acme.test')), 'the grant is gone at Google');
    const row = await account('forged@acme.test');
    assert.equal(row.tokens, null);
    assert.equal(row.isPrimary, false);
    assert.equal((await account('sales@acme.test')).isPrimary, true, 'another connected mailbox became primary');
    const cap = await web('PATCH', `/api/v1/email-accounts/${row.id}`, { dailyCap: 300 });
    assert.equal(cap.body.dailyCap, 300);
  });

  it('API keys keep working without CSRF; a signed-out browser gets 401; logout ends the session', async () => {
    const { apiKey } = await t.createOrg('Programs');
    assert.equal(
      (await t.request('POST', '/api/v1/users/invite', { key: apiKey, body: { email: 'robot-owner@programs.test' } })).status,
      201,
    );
    assert.equal((await t.request('GET', '/api/v1/email-accounts')).status, 401);
    const out = await web('POST', '/auth/logout');
    assert.equal(out.status, 204);
    assert.equal((await t.request('GET', '/api/v1/session', { headers: { cookie: jar.header() } })).status, 401);
  });
});
