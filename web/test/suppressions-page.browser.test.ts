import assert from 'node:assert/strict';
import { describe } from '@jest/globals';
import { browserHarness } from './harness';

describe('web UI in a real browser: Suppressions (add, list, import a CSV, filter, remove)', () => {
  const h = browserHarness({ viewport: { width: 1280, height: 900 } });
  const { step } = h;
  const rows = () => h.page.locator('[data-testid="suppression-row"]');
  const addresses = async () => (await rows().locator('[data-col="address"]').allInnerTexts()).map((s) => s.trim()).sort();
  const expectAddresses = async (expected: string[]) => {
    const deadline = Date.now() + 15_000;
    let seen: string[] = [];
    while (Date.now() < deadline) {
      seen = await addresses();
      if (JSON.stringify(seen) === JSON.stringify(expected)) return;
      await h.page.waitForTimeout(100);
    }
    assert.deepEqual(seen, expected);
  };

  step('signs in to an empty list and adds a suppression, which the list then shows', async () => {
    await h.signIn('ann@acme.test', '/suppressions');
    await h.page.getByRole('heading', { name: 'Suppressions', level: 1 }).waitFor();
    await h.page.getByText('No suppressed addresses').waitFor();
    const form = h.page.getByRole('form', { name: 'Add a suppression' });
    await form.getByLabel('Channel').selectOption('email');
    await form.getByLabel('Address').fill('Bounce@Example.com');
    await form.getByLabel('Reason').selectOption('bounced');
    await form.getByRole('button', { name: 'Add suppression' }).click();
    await expectAddresses(['bounce@example.com']);
    const row = rows().first();
    assert.equal((await row.locator('[data-col="reason"]').innerText()).trim(), 'Bounced');
    assert.equal((await row.locator('[data-col="source"]').innerText()).trim(), 'api');
  });

  step('imports a CSV: good rows added, the bad row reported with its number, code and message', async () => {
    const csv = 'address,channel,reason\nunsub@example.com,,\n+14155550123,sms,stop\nnot-an-email,email,\n';
    const form = h.page.getByRole('form', { name: 'Import a CSV' });
    await form.getByLabel('CSV file').setInputFiles({ name: 'suppressions.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await form.getByLabel('Reason when the file has none').selectOption('unsubscribed');
    await form.getByRole('button', { name: 'Import suppressions' }).click();
    const summary = h.page.getByTestId('suppression-import-summary');
    await summary.waitFor();
    assert.equal((await summary.innerText()).replace(/\s+/g, ' ').trim(), '2 added, 0 already suppressed, 1 row skipped (of 3).');
    const error = h.page.locator('[data-testid="import-error"]');
    assert.equal(await error.count(), 1);
    assert.equal((await error.locator('[data-col="row"]').innerText()).trim(), '4');
    assert.equal((await error.locator('[data-col="code"]').innerText()).trim(), 'invalid_email');
    await expectAddresses(['+14155550123', 'bounce@example.com', 'unsub@example.com']);
    const unsub = rows().filter({ hasText: 'unsub@example.com' });
    assert.equal((await unsub.locator('[data-col="reason"]').innerText()).trim(), 'Unsubscribed');
    assert.equal((await unsub.locator('[data-col="source"]').innerText()).trim(), 'csv_import');
    await h.shot('suppressions-01-imported');
  });

  step('filters by channel and finds an address', async () => {
    const search = h.page.getByRole('search', { name: 'Filter suppressions' });
    await search.getByLabel('Channel').selectOption('sms');
    await search.getByRole('button', { name: 'Apply filters' }).click();
    await expectAddresses(['+14155550123']);
    await search.getByLabel('Channel').selectOption('');
    await search.getByLabel('Find an address').fill('unsub@example.com');
    await search.getByRole('button', { name: 'Apply filters' }).click();
    await expectAddresses(['unsub@example.com']);
    await search.getByLabel('Find an address').fill('');
    await search.getByRole('button', { name: 'Apply filters' }).click();
    await expectAddresses(['+14155550123', 'bounce@example.com', 'unsub@example.com']);
  });

  step('removes one after confirming; cancelling keeps it', async () => {
    await h.page.getByRole('button', { name: 'Remove bounce@example.com (Email)' }).click();
    const dialog = h.page.getByRole('dialog', { name: 'Remove this suppression?' });
    await dialog.getByRole('button', { name: 'Keep as is' }).click();
    assert.equal(await rows().count(), 3);
    await h.page.getByRole('button', { name: 'Remove bounce@example.com (Email)' }).click();
    await dialog.getByRole('button', { name: 'Remove', exact: true }).click();
    await expectAddresses(['+14155550123', 'unsub@example.com']);
    const left = await h.apiFromPage<{ items: unknown[] }>('GET', '/suppressions');
    assert.equal(left.body.items.length, 2, 'the server no longer has it');
  });
});
