import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe } from '@jest/globals';
import { tickUntil } from '../../backend/src/test/engine-harness';
import { browserHarness } from './harness';

const CSV = [
  'Work Email,Given Name,Surname,Mobile,SMS Consent,Plan,Notes',
  'ada@example.com,Ada,Lovelace,+14155550101,yes,pro,met at the fair',
  'grace@example.com,Grace,Hopper,+14155550102,no,free,',
  'not-an-email,Bad,Row,,yes,pro,',
  'alan@example.com,Alan,Turing,+14155550103,yes,pro,',
].join('\n');

describe('web UI in a real browser: import leads through the mapping step, then search, filter and open a lead', () => {
  const h = browserHarness();
  const { step } = h;
  const rows = () => h.page.locator('[data-testid="lead-row"]');
  const names = async () => (await rows().locator('[data-col="name"]').allInnerTexts()).map((s) => s.trim()).sort();
  /** The table settles on these names (a new filter shows "Loading…" before its rows). */
  const expectNames = async (expected: string[]) => {
    const deadline = Date.now() + 15_000;
    let seen: string[] = [];
    while (Date.now() < deadline) {
      seen = await names();
      if (JSON.stringify(seen) === JSON.stringify(expected)) return;
      await h.page.waitForTimeout(100);
    }
    assert.deepEqual(seen, expected);
  };
  const applyFilters = () => h.page.getByRole('button', { name: 'Apply filters' }).click();

  step('signs in and finds no leads yet, with the way to import some', async () => {
    await h.signIn('ann@acme.test', '/leads');
    await h.page.getByRole('heading', { name: 'Leads', level: 1 }).waitFor();
    await h.page.getByText('No leads yet').waitFor();
    await h.page.getByRole('link', { name: 'Import CSV' }).click();
    await h.page.waitForURL((u) => u.pathname === '/leads/import');
  });

  step('reads the header and first rows locally and proposes a mapping; the preview shows the rows as mapped', async () => {
    await h.page.getByLabel('CSV file').setInputFiles({ name: 'leads.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    const mapping = h.page.getByTestId('column-mapping');
    await mapping.waitFor();
    // Auto-mapped by name, as the server would.
    assert.equal(await h.page.getByLabel('Import “Work Email” as').inputValue(), 'field:email');
    assert.equal(await h.page.getByLabel('Import “Given Name” as').inputValue(), 'field:firstName');
    assert.equal(await h.page.getByLabel('Import “Mobile” as').inputValue(), 'field:phone');
    assert.equal(await h.page.getByLabel('Import “SMS Consent” as').inputValue(), 'consent:sms');
    assert.equal(await h.page.getByLabel('Import “Plan” as').inputValue(), 'attribute');
    assert.equal(await h.page.getByLabel('Attribute name for “Plan”').inputValue(), 'plan');
    // The person importing drops a column and renames an attribute.
    await h.page.getByLabel('Import “Notes” as').selectOption('ignore');
    await h.page.getByLabel('Attribute name for “Plan”').fill('tier');

    const preview = h.page.getByTestId('mapping-preview');
    const headers = (await preview.locator('thead th').allInnerTexts()).map((s) => s.trim().toLowerCase());
    assert.deepEqual(headers, ['row', 'email', 'first name', 'last name', 'phone', 'sms consent', 'attributes.tier']);
    const first = preview.locator('tbody tr').first();
    assert.equal((await first.locator('[data-target="Email"]').innerText()).trim(), 'ada@example.com');
    assert.equal((await first.locator('[data-target="First name"]').innerText()).trim(), 'Ada');
    assert.equal((await first.locator('[data-target="SMS consent"]').innerText()).trim(), 'Opted in');
    assert.equal((await first.locator('[data-target="attributes.tier"]').innerText()).trim(), 'pro');
    assert.equal((await preview.locator('tbody tr').nth(1).locator('[data-target="SMS consent"]').innerText()).trim(), 'Opted out');
    assert.equal(await preview.getByText('met at the fair').count(), 0, 'the ignored column is not in the preview');
    await h.shot('leads-01-mapping-step');

    // Mapping nothing to an address is refused before anything is sent.
    await h.page.getByLabel('Import “Work Email” as').selectOption('ignore');
    await h.page.getByLabel('Import “Mobile” as').selectOption('attribute');
    await h.page.getByText('Map a column to Email or Phone').waitFor();
    assert.ok(await h.page.getByRole('button', { name: 'Import leads' }).isDisabled());
    await h.page.getByLabel('Import “Work Email” as').selectOption('field:email');
    await h.page.getByLabel('Import “Mobile” as').selectOption('field:phone');
  });

  step('uploads, and shows the counts and the refused row with its number, code and message', async () => {
    await h.page.getByRole('button', { name: 'Import leads' }).click();
    await h.page.getByRole('heading', { name: 'Import finished' }).waitFor();
    const summary = (await h.page.getByTestId('import-summary').innerText()).replace(/\s+/g, ' ');
    assert.match(summary, /^3 imported \(3 new, 0 updated\) from 4 rows; 1 row skipped\.$/);
    const errors = h.page.locator('[data-testid="import-error"]');
    assert.equal(await errors.count(), 1);
    assert.equal((await errors.locator('[data-col="row"]').innerText()).trim(), '4');
    assert.equal((await errors.locator('[data-col="code"]').innerText()).trim(), 'invalid_email');
    const message = (await errors.locator('[data-col="message"]').innerText()).trim();
    assert.ok(message.length > 0);
    await h.shot('leads-02-import-result');

    const [download] = await Promise.all([
      h.page.waitForEvent('download'),
      h.page.getByRole('button', { name: 'Download errors (CSV)' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'lead-import-errors.csv');
    const text = readFileSync(await download.path(), 'utf8');
    const lines = text.split('\r\n');
    assert.equal(lines[0], 'row,code,message');
    assert.ok(lines[1].startsWith('4,invalid_email,'), lines[1]);
    assert.equal(lines.length, 2);
  });

  step('lists the imported leads with the mapped fields; search and filters narrow the table', async () => {
    await h.page.getByRole('link', { name: 'View leads' }).click();
    await h.page.waitForURL((u) => u.pathname === '/leads');
    await expectNames(['Ada Lovelace', 'Alan Turing', 'Grace Hopper']);
    const ada = rows().filter({ hasText: 'Ada Lovelace' });
    assert.equal((await ada.locator('[data-col="phone"]').innerText()).trim(), '+14155550101');
    assert.equal(await ada.locator('[data-consent="sms:true"]').count(), 1);
    await h.shot('leads-03-table');

    await h.page.getByLabel('Search').fill('grac');
    await h.page.getByLabel('Search').press('Enter');
    await h.page.waitForURL((u) => u.searchParams.get('search') === 'grac');
    await expectNames(['Grace Hopper']);

    await h.page.getByLabel('Search').fill('');
    await h.page.getByLabel('Consent').selectOption('sms:true');
    await applyFilters();
    await expectNames(['Ada Lovelace', 'Alan Turing']);

    await h.page.getByLabel('Consent').selectOption('');
    await h.page.getByLabel('Attribute', { exact: true }).fill('tier');
    await h.page.getByLabel('equals').fill('free');
    await applyFilters();
    await expectNames(['Grace Hopper']);

    // Created date range: today holds all three; a range ending yesterday holds none.
    const today = new Date();
    const day = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    await h.page.getByRole('button', { name: 'Clear' }).click();
    await h.page.getByLabel('Created from').fill(day(today));
    await h.page.getByLabel('Created to').fill(day(today));
    await applyFilters();
    await expectNames(['Ada Lovelace', 'Alan Turing', 'Grace Hopper']);
    await h.page.getByLabel('Created from').fill('');
    await h.page.getByLabel('Created to').fill(day(new Date(today.getTime() - 86_400_000)));
    await applyFilters();
    await h.page.getByText('No lead matches these filters').waitFor();
    await h.page.getByRole('button', { name: 'Clear' }).click();
    await expectNames(['Ada Lovelace', 'Alan Turing', 'Grace Hopper']);
  });

  step('opens a lead: fields, consent, attributes and its messages across campaigns; edits it', async () => {
    // A campaign to Ada, launched and materialized, so her history has a message (setup, not the flow under test).
    const ada = (await h.apiFromPage<{ items: Array<{ id: string }> }>('GET', '/leads?search=ada')).body.items[0];
    const channel = await h.apiFromPage<{ id: string }>('POST', '/channels', {
      type: 'twilio',
      name: 'Line',
      config: { accountSid: `AC${'4'.repeat(32)}`, from: '+14155550100', baseUrl: h.google.sandbox.url },
      secrets: { authToken: 'sandbox-auth-token-123' },
    });
    const template = await h.apiFromPage<{ id: string }>('POST', '/templates', {
      name: 'Hi',
      channel: 'sms',
      body: 'Hi {{ lead.first_name }}',
    });
    const campaign = await h.apiFromPage<{ id: string }>('POST', '/campaigns', {
      name: 'Spring welcome',
      type: 'blast',
      sender: { channelId: channel.body.id },
      audience: { leadIds: [ada.id] },
      steps: [{ channel: 'sms', templateId: template.body.id }],
    });
    assert.equal(campaign.status, 201, JSON.stringify(campaign.body));
    assert.equal((await h.apiFromPage('POST', `/campaigns/${campaign.body.id}/launch`)).status, 202);
    await tickUntil(
      h.t,
      async () => (await h.apiFromPage<{ materialized: boolean }>('GET', `/campaigns/${campaign.body.id}`)).body.materialized,
    );

    await rows().filter({ hasText: 'Ada Lovelace' }).getByRole('link', { name: 'Ada Lovelace' }).click();
    await h.page.waitForURL((u) => u.pathname === `/leads/${ada.id}`);
    await h.page.getByRole('heading', { name: 'Ada Lovelace', level: 1 }).waitFor();
    await h.page.getByText('ada@example.com').waitFor();
    const attributes = h.page.getByTestId('lead-attributes');
    assert.match(await attributes.innerText(), /tier\s+pro/);
    const message = h.page.locator('[data-testid="lead-message"]');
    await message.waitFor();
    assert.equal((await message.locator('[data-col="campaign"]').innerText()).trim(), 'Spring welcome');
    assert.equal((await message.locator('[data-col="step"]').innerText()).trim(), 'Step 1');
    assert.equal((await message.locator('[data-col="channel"]').innerText()).trim(), 'sms');
    await h.shot('leads-04-detail');

    await h.page.getByRole('button', { name: 'Edit' }).click();
    await h.page.getByLabel('Last name').fill('King');
    await h.page.getByRole('group', { name: 'Consent' }).getByLabel('Email').selectOption('true');
    await h.page.getByRole('button', { name: 'Save' }).click();
    await h.page.getByRole('heading', { name: 'Ada King', level: 1 }).waitFor();
    await h.page.locator('[data-consent="email:true"]').waitFor();
  });

  step('deletes a lead after confirming, and the list no longer has it', async () => {
    await h.page.getByRole('button', { name: 'Delete' }).click();
    const dialog = h.page.getByRole('dialog', { name: 'Delete this lead?' });
    await dialog.getByRole('button', { name: 'Delete lead' }).click();
    await h.page.waitForURL((u) => u.pathname === '/leads');
    await expectNames(['Alan Turing', 'Grace Hopper']);
  });
});
