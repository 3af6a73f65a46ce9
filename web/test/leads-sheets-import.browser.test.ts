import assert from 'node:assert/strict';
import { describe } from '@jest/globals';
import { browserHarness } from './harness';

const SPREADSHEET = '1SheetsBrowserTest00000000000000000000000001';
const LINK = `https://docs.google.com/spreadsheets/d/${SPREADSHEET}/edit#gid=0`;

describe('web UI in a real browser: import leads from Google Sheets (grant access, pick a tab and range, map, import)', () => {
  const h = browserHarness();
  const { step } = h;

  step('signs in and connects the Gmail mailbox whose Google account holds the sheet', async () => {
    await h.signIn('ann@acme.test', '/settings');
    await h.page.getByRole('link', { name: 'Connect Gmail' }).click();
    await h.consent('sales@acme.test', 'Continue');
    await h.page.waitForURL((u) => u.pathname === '/settings');
    await h.page.locator('[data-testid="mailbox"]', { hasText: 'sales@acme.test' }).getByText('Connected', { exact: true }).waitFor();
    const seeded = await fetch(`${h.google.sandbox.url}/_sandbox/google/spreadsheets/${SPREADSHEET}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        title: 'Seed 001 contacts',
        owner: 'sales@acme.test',
        sheets: [
          {
            title: 'Contacts',
            rows: [
              ['Work Email', 'Given Name', 'Mobile', 'SMS Consent', 'Plan'],
              ['ada@example.com', 'Ada', '+14155550101', 'yes', 'pro'],
              ['not-an-email', 'Bad', '', 'yes', 'free'],
              [],
              ['alan@example.com', 'Alan', '+14155550103', 'no', 'pro'],
            ],
          },
          { title: 'Archive', rows: [['email'], ['old@example.com']] },
        ],
      }),
    });
    assert.equal(seeded.status, 200);
  });

  step('the Sheets source asks for read access to spreadsheets first, and "Grant access" comes back with it', async () => {
    await h.page.goto(`${h.t.baseUrl}/leads/import`);
    await h.page.getByRole('tab', { name: 'From Google Sheets' }).click();
    await h.page.waitForURL((u) => u.searchParams.get('source') === 'sheets');
    assert.equal(await h.page.getByLabel('Google account').inputValue(), await accountId());
    await h.page.getByText('Cadence may not read sales@acme.test’s spreadsheets yet').waitFor();
    assert.ok(await h.page.getByRole('button', { name: 'Open spreadsheet' }).isDisabled());
    await h.shot('sheets-01-grant-access');
    await h.page.getByRole('link', { name: 'Grant access' }).click();
    await h.page.waitForURL((u) => u.pathname.startsWith('/o/oauth2/'));
    assert.match(await h.page.content(), /spreadsheets\.readonly/);
    await h.consent('sales@acme.test', 'Continue');
    await h.page.waitForURL((u) => u.pathname === '/leads/import' && u.searchParams.get('source') === 'sheets');
    await h.page.getByLabel('Spreadsheet link or id').waitFor();
    assert.equal(await h.page.getByText('spreadsheets yet').count(), 0);
  });

  step(
    'a pasted link opens the sheet: its tabs, the range, the header mapped as a CSV would be, the first rows with sheet row numbers',
    async () => {
      await h.page.getByLabel('Spreadsheet link or id').fill('not a link');
      await h.page.getByText('Paste the address of a Google sheet').waitFor();
      await h.page.getByLabel('Spreadsheet link or id').fill(LINK);
      await h.page.getByRole('button', { name: 'Open spreadsheet' }).click();
      await h.page.getByTestId('column-mapping').waitFor();
      assert.equal(await h.page.getByLabel('Tab', { exact: true }).inputValue(), 'Contacts');
      assert.equal(await h.page.getByLabel('Range', { exact: true }).inputValue(), 'Contacts!A1:E');
      assert.equal(await h.page.getByLabel('Import “Work Email” as').inputValue(), 'field:email');
      assert.equal(await h.page.getByLabel('Import “Mobile” as').inputValue(), 'field:phone');
      assert.equal(await h.page.getByLabel('Import “SMS Consent” as').inputValue(), 'consent:sms');
      assert.equal(await h.page.getByLabel('Attribute name for “Plan”').inputValue(), 'plan');
      const preview = h.page.getByTestId('mapping-preview');
      const rowNumbers = (await preview.locator('tbody tr td.num').allInnerTexts()).map((s) => s.trim());
      assert.deepEqual(rowNumbers, ['2', '3', '5'], 'the empty sheet row 4 is not a row, and numbers are the sheet’s');
      await h.shot('sheets-02-mapping');

      // Another tab, then back; a narrower range shows only its rows.
      await h.page.getByLabel('Tab', { exact: true }).selectOption('Archive');
      await h.page.getByLabel('Import “email” as').waitFor();
      assert.equal(await h.page.getByLabel('Range', { exact: true }).inputValue(), 'Archive!A1:A');
      await h.page.getByLabel('Tab', { exact: true }).selectOption('Contacts');
      await h.page.getByLabel('Import “Work Email” as').waitFor();
      await h.page.getByLabel('Range', { exact: true }).fill('Contacts!A1:E3');
      await h.page.getByText('Preview the new range before importing it.').waitFor();
      assert.ok(await h.page.getByRole('button', { name: 'Import leads' }).isDisabled());
      await h.page.getByRole('button', { name: 'Preview range' }).click();
      await h.page.waitForFunction(
        () =>
          (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll(
            '[data-testid="mapping-preview"] tbody tr',
          ).length === 2,
      );
      await h.page.getByLabel('Range', { exact: true }).fill('Contacts!A1:E');
      await h.page.getByRole('button', { name: 'Preview range' }).click();
      await h.page.waitForFunction(
        () =>
          (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll(
            '[data-testid="mapping-preview"] tbody tr',
          ).length === 3,
      );
      await h.page.getByLabel('Attribute name for “Plan”').fill('tier');
    },
  );

  step('imports: the counts, and the refused row with its sheet row number and code, as the CSV import shows them', async () => {
    await h.page.getByRole('button', { name: 'Import leads' }).click();
    await h.page.getByRole('heading', { name: 'Import finished' }).waitFor();
    const summary = (await h.page.getByTestId('import-summary').innerText()).replace(/\s+/g, ' ');
    assert.match(summary, /^2 imported \(2 new, 0 updated\) from 3 rows; 1 row skipped\.$/);
    const errors = h.page.locator('[data-testid="import-error"]');
    assert.equal(await errors.count(), 1);
    assert.equal((await errors.locator('[data-col="row"]').innerText()).trim(), '3');
    assert.equal((await errors.locator('[data-col="code"]').innerText()).trim(), 'invalid_email');
    await h.shot('sheets-03-result');
    const ada = (
      await h.apiFromPage<{ items: Array<{ attributes: Record<string, string>; consent: Record<string, boolean> }> }>(
        'GET',
        '/leads?search=ada',
      )
    ).body.items[0];
    assert.equal(ada?.attributes.tier, 'pro');
    assert.deepEqual(ada?.consent, { sms: true });
  });

  async function accountId(): Promise<string> {
    return (await h.apiFromPage<{ items: Array<{ id: string }> }>('GET', '/email-accounts')).body.items[0].id;
  }
});
