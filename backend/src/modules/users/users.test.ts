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

  it('an invited address (API key holder) signs in to the inviting organization', async () => {
    const invited = await t.request('POST', '/api/v1/users/invite', {
      key: org.apiKey,
      body: { email: 'Carol@Invited.test', name: 'Carol' },
    });
    assert.equal(invited.status, 201, JSON.stringify(invited.body));
    assert.equal(invited.body.email, 'carol@invited.test');
    assert.equal(invited.body.signedUp, false);
    const jar = new CookieJar();
    const { final } = await runFlow(`${t.baseUrl}/auth/google?returnTo=%2Fsettings%3Ftab%3Dmail`, jar, t.baseUrl, {
      email: 'carol@invited.test',
    });
    assert.equal(new URL(final).pathname + new URL(final).search, '/settings?tab=mail');
    const session = await t.request('GET', '/api/v1/session', { headers: { cookie: jar.header() } });
    assert.equal(session.body.organization.id, org.organizationId);
    assert.equal(session.body.user.signedUp, true);
    const users = await t.request('GET', '/api/v1/users', { key: org.apiKey });
    assert.equal(users.body.items.length, 1);
  });

  it('an address belongs to one organization; returnTo never leaves the site', async () => {
    const other = await t.createOrg('Other');
    const clash = await t.request('POST', '/api/v1/users/invite', { key: other.apiKey, body: { email: 'carol@invited.test' } });
    assert.equal(clash.status, 409);
    assert.equal(clash.body.code, 'user_conflict');
    const jar = new CookieJar();
    const { final } = await runFlow(`${t.baseUrl}/auth/google?returnTo=%2F%2Fevil.example%2Fx`, jar, t.baseUrl, {
      email: 'carol@invited.test',
    });
    assert.equal(new URL(final).toString(), `${t.baseUrl}/settings`);
  });
});
