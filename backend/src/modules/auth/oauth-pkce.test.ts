import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { CookieJar, GoogleStack, navigate, runFlow, startGoogleSandbox } from '../../test/google-flow';
import { startTestApp, TestApp } from '../../test/test-app';

/** The sandbox's Google checks PKCE like Google does: a code issued with a challenge needs its verifier. */
describe('Google OAuth with PKCE', () => {
  let t: TestApp;
  let google: GoogleStack;

  beforeAll(async () => {
    google = await startGoogleSandbox();
    t = await startTestApp({ env: { ...google.env, SIGNUP_MODE: 'open' } });
  });
  afterAll(async () => {
    await t?.close();
    await google?.close();
  });

  it('the authorization request carries an S256 code challenge', async () => {
    const start = await navigate(`${t.baseUrl}/auth/google`, new CookieJar(), t.baseUrl);
    const consent = new URL(start.location!);
    assert.match(consent.searchParams.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.equal(consent.searchParams.get('code_challenge_method'), 'S256');
  });

  it('the callback redeems the code with its verifier: the sign-in completes', async () => {
    const jar = new CookieJar();
    const { final } = await runFlow(`${t.baseUrl}/auth/google`, jar, t.baseUrl, { email: 'pkce@example.test' });
    assert.equal(new URL(final).searchParams.get('error'), null, final);
    assert.ok(jar.cookies.has('cadence_session'));
  });

  it('the verifier is spent with the state: nothing of it stays in the database', async () => {
    const rows: Array<{ n: number }> = await t.dataSource.query(
      'SELECT count(*)::int AS n FROM oauth_states WHERE code_verifier IS NOT NULL AND expires_at > now()',
    );
    const n = rows[0]?.n;
    // The first test's flow was never finished; the second's row was consumed by its callback.
    assert.equal(n, 1);
  });
});
