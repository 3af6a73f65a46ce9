import assert from 'node:assert/strict';
import { describe } from '@jest/globals';
import { browserHarness } from './harness';

const KEY = 'sk-browser-0123456789-SECRET';

describe('AI drafting in a real browser: the AI provider in Settings (key write-only), Draft with AI, Rewrite / Shorten / Variant B', () => {
  const h = browserHarness({ viewport: { width: 1280, height: 900 } });
  const { step } = h;
  const section = () => h.page.getByRole('region', { name: 'AI provider' });
  const smsBody = () => h.page.getByRole('textbox', { name: 'SMS body', exact: true });

  step('sets up the AI provider in Settings; the key is stored but never shown', async () => {
    await h.signIn('ann@acme.test', '/campaigns');
    await h.page.goto(`${h.t.baseUrl}/settings`);
    await section().getByText('Not set up yet.').waitFor();
    await section().getByLabel('Base URL').fill(`${h.google.sandbox.url}/v1`);
    await section().getByLabel('Model').fill('sandbox-model');
    await section().getByLabel('API key').fill(KEY);
    await section().getByRole('button', { name: 'Save AI provider' }).click();
    await h.page.getByText('AI provider saved (sandbox-model)').waitFor();
    await section()
      .getByText(/A key is stored/)
      .waitFor();
    assert.equal(await section().getByLabel('API key').inputValue(), '', 'the key field is write-only');
    assert.ok(!(await h.page.content()).includes(KEY), 'the key is not on the page');
    const stored = await h.apiFromPage<{ hasKey: boolean; model: string }>('GET', '/settings/ai');
    assert.equal(stored.body.hasKey, true);
    assert.ok(!JSON.stringify(stored.body).includes(KEY));
    // A refused base URL is shown next to its field.
    await section().getByLabel('Base URL').fill('http://169.254.169.254/v1');
    await section().getByRole('button', { name: 'Save AI provider' }).click();
    await section()
      .getByText(/cloud metadata address/)
      .waitFor();
    await h.shot('ai-01-settings');
    await h.page.reload();
    await section()
      .getByText(/A key is stored/)
      .waitFor();
    assert.equal(await section().getByLabel('Base URL').inputValue(), `${h.google.sandbox.url}/v1`, 'the refused URL was not saved');
  });

  step('drafts an SMS with AI into the editor without saving it', async () => {
    await h.page.goto(`${h.t.baseUrl}/templates/new?channel=sms`);
    await h.page.getByLabel('Name').fill('Spring sale');
    await h.page.getByRole('button', { name: 'Draft with AI' }).click();
    const dialog = h.page.getByRole('dialog', { name: 'Draft a SMS template with AI' });
    await dialog.getByLabel('Goal').fill('Spring sale this weekend');
    await dialog.getByLabel('Audience').fill('Past customers');
    await dialog.getByLabel('Tone').fill('friendly');
    await h.shot('ai-02-dialog');
    await dialog.getByRole('button', { name: 'Draft' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await smsBody().filter({ hasText: 'Hi {{ lead.first_name | default: "there" }}, Spring sale this weekend.' }).waitFor();
    await h.page.getByTestId('sms-preview').filter({ hasText: 'Hi Ada, Spring sale this weekend.' }).waitFor();
    await h.page.getByText('Unsaved changes').waitFor();
    assert.equal(await h.page.getByLabel('Name').inputValue(), 'Spring sale', 'the name stays');
    const listed = await h.apiFromPage<{ items: unknown[] }>('GET', '/templates');
    assert.equal(listed.body.items.length, 0, 'nothing is saved by drafting');
    await h.shot('ai-03-drafted');
  });

  step('shortens, writes variant B and rewrites the editor’s draft, then saves it', async () => {
    await h.page.getByRole('button', { name: 'Shorten' }).click();
    await smsBody()
      .filter({ hasText: /^Short: Hi/ })
      .waitFor();
    await h.page.getByRole('button', { name: 'Variant B' }).click();
    await smsBody()
      .filter({ hasText: /^Variant B: Hi/ })
      .waitFor();
    await h.page.getByRole('button', { name: 'Rewrite' }).click();
    await smsBody()
      .filter({ hasText: /^Rewritten: Hi/ })
      .waitFor();
    await h.page.getByRole('button', { name: 'Create template' }).click();
    await h.page.getByText('Template “Spring sale” saved').waitFor();
    const listed = await h.apiFromPage<{ items: Array<{ body: string }> }>('GET', '/templates');
    assert.equal(listed.body.items.length, 1);
    assert.match(listed.body.items[0].body, /^Rewritten: Hi/);
  });

  step('removing the provider: drafting then points to Settings', async () => {
    await h.page.goto(`${h.t.baseUrl}/settings`);
    await section().getByRole('button', { name: 'Remove' }).click();
    await h.page.getByRole('dialog', { name: 'Remove the AI provider?' }).getByRole('button', { name: 'Remove provider' }).click();
    await section().getByText('Not set up yet.').waitFor();
    await h.page.goto(`${h.t.baseUrl}/templates/new?channel=email`);
    await h.page.getByRole('button', { name: 'Draft with AI' }).click();
    const dialog = h.page.getByRole('dialog', { name: 'Draft a Email template with AI' });
    await dialog.getByLabel('Goal').fill('Welcome');
    await dialog.getByRole('button', { name: 'Draft' }).click();
    await dialog.getByText('No AI provider is set up yet').waitFor();
    await h.shot('ai-04-not-configured');
    await dialog.getByRole('link', { name: 'Settings' }).waitFor();
  });
});
