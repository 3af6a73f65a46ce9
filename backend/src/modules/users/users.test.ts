import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { CookieJar, GoogleStack, runFlow, startGoogleSandbox } from '../../test/google-flow';
import { startTestApp, TestApp } from '../../test/test-app';

describe('who may sign in (SIGNUP_MODE=invite)', () => {
  let t: TestApp;
  let google: GoogleStack;
  let org: { organizationId: string; apiKey: string };

  beforeAll(async () => {
    google = await startGoogleSandbox();
    t = await startTestApp({ env: { ...google.env, SIGNUP_MODE: 'invite' } });
    org = await t.createOrg('Invite Only');
  });
  afterAll(async () => {
    await t?.close();
    await google?.close();
  });

  it('the sign-in page learns the policy', async () => {
    assert.deepEqual((await t.request('GET', '/auth/status')).body, { google: true, signupMode: 'invite' });
  });

  it('refuses an address nobody invited, and creates no organization for it', async () => {
    const before = (await t.dataSource.query('SELECT count(*)::int AS n FROM organizations'))[0].n;
    const jar = new CookieJar();
    const { final } = await runFlow(`${t.baseUrl}/auth/google`, jar, t.baseUrl, { email: 'stranger@elsewhere.test' });
    assert.equal(new URL(final).searchParams.get('error'), 'signup_closed');
    assert.ok(!jar.cookies.has('cadence_session'));
    assert.equal((await t.dataSource.query('SELECT count(*)::int AS n FROM organizations'))[0].n, before);
  });

  const invite = async (apiKey: string, email: string) => {
    const res = await t.request('POST', '/api/v1/users/invite', { key: apiKey, body: { email, name: 'Carol' } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as { id: string; email: string; acceptUrl: string };
  };
  const errorOf = (final: string) => new URL(final).searchParams.get('error');
  const session = async (jar: CookieJar) => t.request('GET', '/api/v1/session', { headers: { cookie: jar.header() } });

  it('an invitation does not capture a person: signing in without its link does not join', async () => {
    const invited = await invite(org.apiKey, 'Carol@Invited.test');
    assert.equal(invited.email, 'carol@invited.test');
    assert.match(invited.acceptUrl, /\/auth\/google\?invitation=[A-Za-z0-9_-]{43}$/);
    const jar = new CookieJar();
    const { final } = await runFlow(`${t.baseUrl}/auth/google`, jar, t.baseUrl, { email: 'carol@invited.test' });
    assert.equal(errorOf(final), 'signup_closed');
    assert.ok(!jar.cookies.has('cadence_session'));
    assert.equal((await t.request('GET', '/api/v1/users', { key: org.apiKey })).body.items.length, 0);
  });

  it('the link works only for the invited address', async () => {
    const { acceptUrl } = await invite(org.apiKey, 'carol@invited.test');
    const jar = new CookieJar();
    const { final } = await runFlow(acceptUrl.replace(/^http:\/\/[^/]+/, t.baseUrl), jar, t.baseUrl, { email: 'mallory@elsewhere.test' });
    assert.equal(errorOf(final), 'invitation_invalid');
    assert.ok(!jar.cookies.has('cadence_session'));
  });

  it('the invitee accepts by opening the link and signing in as the invited address', async () => {
    const { acceptUrl } = await invite(org.apiKey, 'carol@invited.test');
    const jar = new CookieJar();
    const { final } = await runFlow(
      `${acceptUrl.replace(/^http:\/\/[^/]+/, t.baseUrl)}&returnTo=%2Fsettings%3Ftab%3Dmail`,
      jar,
      t.baseUrl,
      {
        email: 'carol@invited.test',
      },
    );
    assert.equal(new URL(final).pathname + new URL(final).search, '/settings?tab=mail');
    const me = await session(jar);
    assert.equal(me.body.organization.id, org.organizationId);
    assert.equal(me.body.user.signedUp, true);
    const users = await t.request('GET', '/api/v1/users', { key: org.apiKey });
    assert.deepEqual([users.body.items.length, users.body.invitations.length], [1, 0]);
    // Spent: the same link does nothing for anyone else.
    const again = await runFlow(acceptUrl.replace(/^http:\/\/[^/]+/, t.baseUrl), new CookieJar(), t.baseUrl, {
      email: 'carol@invited.test',
    });
    assert.equal(errorOf(again.final), 'invitation_invalid');
  });

  it("another organization's invitation neither reveals the person's organization nor moves them; returnTo never leaves the site", async () => {
    const other = await t.createOrg('Other');
    const { acceptUrl } = await invite(other.apiKey, 'carol@invited.test');
    const jar = new CookieJar();
    const { final } = await runFlow(acceptUrl.replace(/^http:\/\/[^/]+/, t.baseUrl), jar, t.baseUrl, { email: 'carol@invited.test' });
    assert.equal(errorOf(final), 'invitation_invalid');
    const back = await runFlow(`${t.baseUrl}/auth/google?returnTo=%2F%2Fevil.example%2Fx`, jar, t.baseUrl, { email: 'carol@invited.test' });
    assert.equal(new URL(back.final).toString(), `${t.baseUrl}/settings`);
    assert.equal((await session(jar)).body.organization.id, org.organizationId, 'still in the organization she accepted');
  });

  it('inviting a member of this organization is refused with 409 user_conflict', async () => {
    const res = await t.request('POST', '/api/v1/users/invite', { key: org.apiKey, body: { email: 'CAROL@invited.test' } });
    assert.equal(res.status, 409, JSON.stringify(res.body));
    assert.equal(res.body.code, 'user_conflict');
    assert.match(res.body.message, /carol@invited\.test is already a member/);
  });

  it('a member can be removed: their session ends at once; a pending invitation can be revoked', async () => {
    const jar = new CookieJar();
    await runFlow(`${t.baseUrl}/auth/google`, jar, t.baseUrl, { email: 'carol@invited.test' });
    assert.equal((await session(jar)).status, 200);
    const carol = (await t.request('GET', '/api/v1/users', { key: org.apiKey })).body.items[0] as { id: string };
    assert.equal((await t.request('DELETE', `/api/v1/users/${carol.id}`, { key: org.apiKey })).status, 204);
    assert.equal((await session(jar)).status, 401);
    assert.equal((await t.request('DELETE', `/api/v1/users/${carol.id}`, { key: org.apiKey })).status, 404);

    const pending = await invite(org.apiKey, 'dave@invited.test');
    assert.equal((await t.request('DELETE', `/api/v1/users/invitations/${pending.id}`, { key: org.apiKey })).status, 204);
    const { final } = await runFlow(pending.acceptUrl.replace(/^http:\/\/[^/]+/, t.baseUrl), new CookieJar(), t.baseUrl, {
      email: 'dave@invited.test',
    });
    assert.equal(errorOf(final), 'invitation_invalid');
  });
});
