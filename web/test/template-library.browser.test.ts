import assert from 'node:assert/strict';
import { describe } from '@jest/globals';
import { browserHarness } from './harness';

describe('Template library in a real browser: filter starters, preview one, use it, save a template of our own to the library', () => {
  const h = browserHarness({ viewport: { width: 1280, height: 900 } });
  const { step } = h;
  const entries = () => h.page.getByTestId('library-entry');
  const entry = (name: string) => entries().filter({ has: h.page.getByRole('heading', { name, exact: true }) });

  step('signs in; the empty templates list offers the library', async () => {
    await h.signIn('lin@acme.test', '/templates');
    await h.page.getByText('No template yet').waitFor();
    await h.page.getByRole('link', { name: 'Start from the library' }).first().click();
    await h.page.waitForURL((u) => u.pathname === '/templates/library');
    await h.page.getByRole('heading', { name: 'Template library', level: 1 }).waitFor();
    await entry('Welcome email').waitFor();
    assert.ok((await entries().count()) >= 10);
  });

  step('filters by channel and purpose, kept in the address', async () => {
    await h.page.getByLabel('Channel').selectOption({ label: 'SMS' });
    await h.page.getByLabel('Purpose').selectOption({ label: 'Appointment reminder' });
    await h.page.waitForURL((u) => u.searchParams.get('channel') === 'sms' && u.searchParams.get('category') === 'appointment_reminder');
    // Two selections, two queries: the SMS list (which holds this entry too) may still show, then the second
    // query's loading state (no entry at all), until the filtered list arrives. Wait for the SMS list to leave
    // (no second entry), then for the filtered list's entry.
    await entries().nth(1).waitFor({ state: 'detached' });
    await entry('Appointment reminder SMS').waitFor();
    await entry('Welcome email').waitFor({ state: 'detached' });
    assert.equal(await entries().count(), 1);
    await h.page.reload();
    await entry('Appointment reminder SMS').waitFor();
    assert.equal(await h.page.getByLabel('Purpose').inputValue(), 'appointment_reminder');
  });

  step('previews a starter rendered for the sample lead', async () => {
    const card = entry('Appointment reminder SMS');
    await card.getByRole('button', { name: 'Preview' }).click();
    await card.getByTestId('sms-preview').filter({ hasText: 'Hi Ada, a reminder of your appointment.' }).waitFor();
    await h.shot('template-library-01-preview');
  });

  step('"Use this template" creates an editable copy and opens it in the editor', async () => {
    await entry('Appointment reminder SMS').getByRole('button', { name: 'Use this template' }).click();
    await h.page.waitForURL((u) => /^\/templates\/[0-9a-f-]{36}$/.test(u.pathname));
    await h.page.getByRole('heading', { name: 'Appointment reminder SMS', level: 1 }).waitFor();
    const created = await h.apiFromPage<{ items: Array<{ name: string; body: string; libraryCategory: string | null }> }>(
      'GET',
      '/templates',
    );
    assert.equal(created.body.items.length, 1);
    assert.match(created.body.items[0].body, /Reply C to confirm/);
    assert.equal(created.body.items[0].libraryCategory, null);
  });

  step('saves the edited copy to the library under a purpose; it is listed as the team’s own', async () => {
    await h.page.getByLabel('Name').fill('Clinic reminder');
    await h.page.getByLabel('Template library').selectOption({ label: 'In the library: Appointment reminder' });
    await h.page.getByRole('button', { name: 'Save changes' }).click();
    await h.page.getByRole('heading', { name: 'Clinic reminder', level: 1 }).waitFor();
    await h.page.goto(`${h.t.baseUrl}/templates/library?category=appointment_reminder`);
    const own = entry('Clinic reminder');
    await own.getByText('Your team').waitFor();
    // The team's own entries come first.
    assert.equal(await entries().first().getByRole('heading').textContent(), 'Clinic reminder');
    await h.shot('template-library-02-own-entry');
  });
});
