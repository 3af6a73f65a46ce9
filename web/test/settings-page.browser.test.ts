import assert from 'node:assert/strict';
import { describe } from '@jest/globals';
import { browserHarness } from './harness';

describe('web UI in a real browser: sign in, Settings, Connect Gmail, deny, revoke -> Reconnect', () => {
  const h = browserHarness({ viewport: { width: 1200, height: 820 } });
  const { step } = h;
  const mailbox = (email: string) => h.page.locator('[data-testid="mailbox"]', { hasText: email });

  step('sends a signed-out visitor to the sign-in page, and signs in with Google', async () => {
    await h.page.goto(`${h.t.baseUrl}/settings`);
    await h.page.waitForURL((u) => u.pathname === '/signin');
    await h.page.getByRole('heading', { name: 'Sign in to Cadence' }).waitFor();
    await h.shot('01-sign-in');
    await h.page.getByRole('link', { name: 'Sign in with Google' }).click();
    await h.consent('ann@acme.test', 'Continue');
    await h.page.waitForURL((u) => u.pathname === '/settings');
    await h.page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await h.page.getByText('ann@acme.test').first().waitFor();
    await h.page.getByText('No mailbox yet').waitFor();
    const cookies = await h.page.context().cookies();
    const session = cookies.find((c) => c.name === 'cadence_session');
    assert.ok(session?.httpOnly, 'the session cookie is httpOnly');
    assert.equal(session?.sameSite, 'Lax');
  });

  step('lists a Twilio channel with its status and tests its connection', async () => {
    // The page's own way of calling the API: same-origin fetch with the session cookie and the CSRF token.
    const csrf = (await h.page.context().cookies()).find((c) => c.name === 'cadence_csrf')!.value;
    const created = await h.page.evaluate(
      async ({ baseUrl, csrf }) => {
        const res = await fetch('/api/v1/channels', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
          body: JSON.stringify({
            type: 'twilio',
            name: 'Support line',
            config: { accountSid: `AC${'1'.repeat(32)}`, from: '+14155550100', baseUrl },
            secrets: { authToken: 'sandbox-auth-token-123' },
          }),
        });
        return res.status;
      },
      { baseUrl: h.google.sandbox.url, csrf: decodeURIComponent(csrf) },
    );
    assert.equal(created, 201);
    await h.page.reload();
    const row = h.page.locator('[data-testid="channel"]', { hasText: 'Support line' });
    await row.getByText('Not tested').waitFor();
    await row.getByRole('button', { name: 'Test connection of Support line' }).click();
    await row.getByText('Connected', { exact: true }).waitFor();
  });

  step('Connect Gmail: approve on the consent page, land back on Settings with the mailbox connected', async () => {
    await h.page.getByRole('link', { name: 'Connect Gmail' }).click();
    await h.consent('sales@acme.test', 'Continue');
    await h.page.waitForURL((u) => u.pathname === '/settings');
    await h.page.getByRole('status').filter({ hasText: 'sales@acme.test is connected and ready to send.' }).waitFor();
    const row = mailbox('sales@acme.test');
    await row.getByText('Connected', { exact: true }).waitFor();
    await row.getByText('Primary', { exact: true }).waitFor();
    await row.getByText('Access: Send, Read (reply detection)').waitFor();
    await row.getByTestId('replies-checked').filter({ hasText: 'Replies not checked yet' }).waitFor();
    // What each scope is for, stated on the page.
    await h.page.getByText('What Cadence asks Google for, and why').click();
    await h.page.getByText(/gmail\.readonly: reads the messages that arrive in the inbox after you connect/).waitFor();
    await h.page.getByText(/gmail\.send: sends your campaign emails/).waitFor();
    assert.equal(new URL(h.page.url()).search, '', 'the outcome parameters are cleaned from the address bar');
    await h.shot('02-settings-connected');
  });

  step('denying on the consent page (keyboard only) shows a clear message and connects nothing', async () => {
    await h.page.getByRole('link', { name: 'Connect Gmail' }).focus();
    await h.page.keyboard.press('Enter');
    await h.page.waitForURL((u) => u.pathname.startsWith('/o/oauth2/'));
    await h.page.getByLabel('Signed in as').fill('other@acme.test');
    await h.page.getByRole('button', { name: 'Cancel' }).focus();
    await h.page.keyboard.press('Enter');
    await h.page.waitForURL((u) => u.pathname === '/settings');
    await h.page.getByRole('alert').filter({ hasText: 'Gmail was not connected: access was not granted' }).waitFor();
    // The banner renders before the list has loaded: wait for the list, then count.
    await mailbox('sales@acme.test').waitFor();
    assert.equal(await h.page.locator('[data-testid="mailbox"]').count(), 1);
    await h.shot('03-settings-denied');
  });

  step('after a revoke at Google the next refresh marks the mailbox reauth_required and the page offers Reconnect', async () => {
    const res = await fetch(`${h.google.sandbox.url}/_sandbox/google/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'sales@acme.test' }),
    });
    assert.equal(res.status, 200);
    const row = mailbox('sales@acme.test');
    await row.getByRole('button', { name: 'Test connection of sales@acme.test' }).click();
    await row.getByText('Needs reconnect').waitFor();
    await row.getByRole('link', { name: 'Reconnect sales@acme.test' }).waitFor();
    await row
      .getByText(/invalid_grant/)
      .first()
      .waitFor();
    await h.shot('04-settings-reauth-required');
    // And Reconnect brings it back.
    await row.getByRole('link', { name: 'Reconnect sales@acme.test' }).click();
    await h.consent('sales@acme.test', 'Continue');
    await h.page.waitForURL((u) => u.pathname === '/settings');
    await mailbox('sales@acme.test').getByText('Connected', { exact: true }).waitFor();
    await h.shot('05-settings-reconnected');
  });
});
