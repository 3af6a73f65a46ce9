import assert from 'node:assert/strict';
import { describe } from '@jest/globals';
import { CookieJar, runFlow } from '../../backend/src/test/google-flow';
import { browserHarness } from './harness';

const SID = `AC${'1'.repeat(32)}`;

describe('Settings in a real browser: channels (add, test, edit, webhook URL, remove), API keys, team', () => {
  const h = browserHarness({ viewport: { width: 1280, height: 900 } });
  const { step } = h;
  const channel = (name: string) => h.page.locator('[data-testid="channel"]', { hasText: name });
  const confirm = async (title: string, button: string) => {
    const dialog = h.page.getByRole('dialog', { name: title });
    await dialog.getByRole('button', { name: button }).click();
    await dialog.waitFor({ state: 'hidden' });
  };
  const inputValue = (label: string) => h.page.getByLabel(label, { exact: true }).inputValue();

  step('signs in and lands on Settings with every section', async () => {
    await h.signIn('ann@acme.test', '/settings');
    for (const name of ['Mailboxes', 'Channels', 'Team', 'API keys']) await h.page.getByRole('heading', { name, level: 2 }).waitFor();
    await h.page.getByText('Anyone can sign up on this server, but they get an organization of their own').waitFor();
  });

  step('the channel form shows the API’s validation error next to the field, readably', async () => {
    await h.page.getByRole('button', { name: 'Add channel' }).click();
    const form = h.page.getByRole('form', { name: 'Add a channel' });
    assert.equal(await form.getByLabel('Type').inputValue(), 'twilio');
    await form.getByLabel('Name (required)').fill('SMS line');
    await form.getByLabel('Account SID (required)').fill('AC123');
    await form.getByLabel('From number').fill('+14155550100');
    await form.getByLabel('Auth Token (required)').fill('sandbox-auth-token-123');
    await form.getByRole('button', { name: 'Add channel' }).click();
    await form.getByRole('alert').filter({ hasText: '(validation_failed)' }).waitFor();
    const sid = form.getByLabel('Account SID (required)');
    assert.equal(await sid.getAttribute('aria-invalid'), 'true');
    const describedBy = (await sid.getAttribute('aria-describedby'))!.split(' ');
    const errorText = await h.page.locator(`[id="${describedBy.at(-1)}"]`).textContent();
    assert.equal(errorText, 'accountSid must look like AC followed by 32 hex digits');
    await h.shot('settings-channel-validation');
  });

  let channelId: string;

  step('adds a Twilio channel pointing at the sandbox, sees its webhook URLs, and tests it: Connected', async () => {
    const form = h.page.getByRole('form', { name: 'Add a channel' });
    await form.getByLabel('Account SID (required)').fill(SID);
    await form.getByText('Advanced: rate, daily cap, API endpoint').click();
    await form.getByLabel('API base URL').fill(h.google.sandbox.url);
    await form.getByRole('button', { name: 'Add channel' }).click();
    await form.waitFor({ state: 'detached' });
    const row = channel('SMS line');
    await row.getByText('Not tested').waitFor();
    // The new channel opens its webhook URLs: the next thing to do is paste them at Twilio.
    const inbound = await inputValue('Incoming messages URL of SMS line');
    const match = /^http:\/\/127\.0\.0\.1:\d+\/webhooks\/twilio\/([0-9a-f-]{36})\/inbound$/.exec(inbound);
    assert.ok(match, inbound);
    channelId = match[1]!;
    assert.match(await inputValue('Status callback URL of SMS line'), new RegExp(`/webhooks/twilio/${channelId}/status$`));
    // The URL is the channel's: an unsigned call on this server reaches it and is refused for its signature.
    const unsigned = await fetch(`${h.t.baseUrl}${new URL(inbound).pathname}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'From=%2B14155550111&Body=STOP',
    });
    assert.equal(unsigned.status, 403);

    await row.getByRole('button', { name: 'Test connection of SMS line' }).click();
    await row.getByText('Connected', { exact: true }).first().waitFor();
    await row.getByRole('status').filter({ hasText: '✓ Connected' }).waitFor();
  });

  step('copies the webhook URL to the clipboard', async () => {
    await h.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.t.baseUrl });
    await channel('SMS line').getByRole('button', { name: 'Copy Incoming messages URL of SMS line' }).click();
    await channel('SMS line').getByText('Copied to the clipboard.').waitFor();
    const copied = await h.page.evaluate<string>('navigator.clipboard.readText()');
    assert.equal(copied, await inputValue('Incoming messages URL of SMS line'));
    await h.shot('settings-channel-added');
  });

  step('edits it with the secret left blank: the stored secret stays and the new number is shown', async () => {
    await channel('SMS line').getByRole('button', { name: 'Edit SMS line' }).click();
    const form = h.page.getByRole('form', { name: 'Edit SMS line' });
    const token = form.getByLabel('Auth Token');
    assert.equal(await token.inputValue(), '', 'a secret is never shown back');
    await form.getByText('Saved (…-123). Leave empty to keep it as it is.').waitFor();
    assert.equal(await form.getByLabel('From number').inputValue(), '+14155550100');
    await form.getByLabel('From number').fill('+14155550199');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await form.waitFor({ state: 'detached' });
    const row = channel('SMS line');
    await row.getByText('+14155550199').waitFor();
    await row.getByText('Not tested').waitFor();
    const stored = await h.apiFromPage<{ secrets: Record<string, string>; config: Record<string, unknown> }>(
      'GET',
      `/channels/${channelId}`,
    );
    assert.deepEqual(stored.body.secrets, { authToken: '…-123' });
    assert.equal(stored.body.config.baseUrl, h.google.sandbox.url);
    await row.getByRole('button', { name: 'Test connection of SMS line' }).click();
    await row.getByRole('status').filter({ hasText: '✓ Connected' }).waitFor();
  });

  step('a failing connection test is shown inline with its code and message', async () => {
    await channel('SMS line').getByRole('button', { name: 'Edit SMS line' }).click();
    const form = h.page.getByRole('form', { name: 'Edit SMS line' });
    await form.getByText('Advanced: rate, daily cap, API endpoint').click();
    // A port nothing listens on (loopback is allowed for the sandbox in these tests).
    await form.getByLabel('API base URL').fill('http://127.0.0.1:9');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await form.waitFor({ state: 'detached' });
    const row = channel('SMS line');
    await row.getByRole('button', { name: 'Test connection of SMS line' }).click();
    await row.getByRole('alert').filter({ hasText: 'Could not reach http://127.0.0.1:9' }).filter({ hasText: '(unreachable)' }).waitFor();
    await row.getByText('Error', { exact: true }).waitFor();
  });

  step('creates an API key, reads it once, uses it from a program, revokes it: the same call is then refused', async () => {
    await h.page.getByLabel('New key name').fill('ci script');
    await h.page.getByRole('button', { name: 'Create key' }).click();
    const panel = h.page.getByRole('region', { name: 'New API key ci script' });
    await panel.getByText('you won’t see it again').waitFor();
    const key = await panel.getByLabel('API key', { exact: true }).inputValue();
    assert.match(key, /^cad_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    await h.shot('settings-api-key-created');
    const call = () => fetch(`${h.t.baseUrl}/api/v1/leads`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal((await call()).status, 200);

    await panel.getByRole('button', { name: 'I have copied it' }).click();
    await panel.waitFor({ state: 'detached' });
    assert.ok(!(await h.page.content()).includes(key), 'once dismissed, the key is nowhere on the page');
    const row = h.page.locator('[data-testid="api-key"]', { hasText: 'ci script' });
    await row.getByText(`cad_${key.split('_')[1]}_…`).waitFor();
    await row.getByText('Active').waitFor();

    await row.getByRole('button', { name: 'Revoke API key ci script' }).click();
    await confirm('Revoke the API key “ci script”?', 'Revoke key');
    await row.getByText('Revoked').waitFor();
    const after = await call();
    assert.equal(after.status, 401);
    assert.equal(((await after.json()) as { code: string }).code, 'api_key_revoked');
  });

  step('invites a teammate, sees the pending invitation and revokes it; inviting a member shows the API’s error', async () => {
    await h.page.getByLabel('Email to invite').fill('bob@acme.test');
    await h.page.getByRole('button', { name: 'Invite', exact: true }).click();
    const panel = h.page.getByRole('region', { name: 'Invitation for bob@acme.test' });
    assert.match(await panel.getByLabel('Invitation link', { exact: true }).inputValue(), /\/auth\/google\?invitation=[A-Za-z0-9_-]{43}$/);
    const pending = h.page.locator('[data-testid="invitation"]', { hasText: 'bob@acme.test' });
    await pending.waitFor();
    await panel.getByRole('button', { name: 'Done' }).click();

    await h.page.getByLabel('Email to invite').fill('ann@acme.test');
    await h.page.getByRole('button', { name: 'Invite', exact: true }).click();
    await h.page.getByRole('alert').filter({ hasText: 'ann@acme.test is already a member of this organization (user_conflict)' }).waitFor();
    await h.shot('settings-team');

    await pending.getByRole('button', { name: 'Revoke the invitation for bob@acme.test' }).click();
    await confirm('Revoke the invitation for bob@acme.test?', 'Revoke invitation');
    await pending.waitFor({ state: 'detached' });
    await h.page.getByText('No pending invitation.').waitFor();
  });

  step('removes a member who joined by invitation, after confirming', async () => {
    // Setup outside the flow under test: Carol accepts an invitation in her own browser.
    const invited = await h.apiFromPage<{ acceptUrl: string }>('POST', '/users/invite', { email: 'carol@acme.test' });
    assert.equal(invited.status, 201);
    const carol = new CookieJar();
    await runFlow(invited.body.acceptUrl.replace(/^https?:\/\/[^/]+/, h.t.baseUrl), carol, h.t.baseUrl, { email: 'carol@acme.test' });
    assert.equal((await fetch(`${h.t.baseUrl}/api/v1/session`, { headers: { cookie: carol.header() } })).status, 200);

    await h.page.reload();
    const member = h.page.locator('[data-testid="member"]', { hasText: 'carol@acme.test' });
    await member.getByText('Active').waitFor();
    assert.equal(
      await h.page.locator('[data-testid="member"]', { hasText: 'ann@acme.test' }).getByRole('button').count(),
      0,
      'no Remove for yourself',
    );
    await member.getByRole('button', { name: 'Remove carol@acme.test' }).click();
    await confirm('Remove carol@acme.test?', 'Remove member');
    await member.waitFor({ state: 'detached' });
    assert.equal((await fetch(`${h.t.baseUrl}/api/v1/session`, { headers: { cookie: carol.header() } })).status, 401);
  });

  step('removing a channel a campaign sends with shows the API’s refusal; once free it is removed', async () => {
    const template = await h.apiFromPage<{ id: string }>('POST', '/templates', { name: 'Hi', channel: 'sms', body: 'Hi' });
    const campaign = await h.apiFromPage<{ id: string }>('POST', '/campaigns', {
      name: 'Spring promo',
      type: 'blast',
      sender: { channelId },
      audience: { all: true },
      steps: [{ channel: 'sms', templateId: template.body.id }],
    });
    assert.equal(campaign.status, 201, JSON.stringify(campaign.body));
    const row = channel('SMS line');
    await row.getByRole('button', { name: 'Remove SMS line' }).click();
    await confirm('Remove SMS line?', 'Remove channel');
    await row.getByRole('alert').filter({ hasText: '"Spring promo"' }).filter({ hasText: '(channel_in_use)' }).waitFor();
    await h.shot('settings-channel-in-use');

    assert.equal((await h.apiFromPage('DELETE', `/campaigns/${campaign.body.id}`)).status, 204);
    await row.getByRole('button', { name: 'Remove SMS line' }).click();
    await confirm('Remove SMS line?', 'Remove channel');
    await row.waitFor({ state: 'detached' });
    await h.page.getByText('No channel yet').waitFor();
  });

  step('fits a phone (390 px): nothing wider than the screen', async () => {
    await h.page.setViewportSize({ width: 390, height: 844 });
    await h.page.reload();
    await h.page.getByRole('heading', { name: 'API keys', level: 2 }).waitFor();
    await h.page.getByRole('button', { name: 'Add channel' }).click();
    await h.page.getByRole('form', { name: 'Add a channel' }).waitFor();
    const overflow = await h.page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
    await h.shot('settings-phone-390');
  });
});
