import assert from 'node:assert/strict';
import { describe } from '@jest/globals';
import { browserHarness } from './harness';

describe('web UI in a real browser: the callback queue (ordering, SLA, assigning, completing, detail)', () => {
  const h = browserHarness({ viewport: { width: 1400, height: 900 } });
  const { step } = h;
  const rows = () => h.page.locator('[data-testid="callback-row"]');
  const rowNames = async () => (await rows().locator('[data-col="lead"] a').allInnerTexts()).map((t) => t.split(' ')[0]);
  /** Waits until the queue shows exactly these leads in this order (a refetch shows the old rows, then a loading state). */
  const expectNames = async (names: string[]) => {
    // Runs in the page (a function, not a string: the app's CSP forbids eval); the test tsconfig has no DOM types.
    type Doc = { querySelectorAll(selector: string): Iterable<{ textContent: string | null }> };
    await h.page.waitForFunction(
      (expected) =>
        JSON.stringify(
          [
            ...(globalThis as unknown as { document: Doc }).document.querySelectorAll('[data-testid="callback-row"] [data-col="lead"] a'),
          ].map((a) => a.textContent?.split(' ')[0]),
        ) === expected,
      JSON.stringify(names),
    );
    assert.deepEqual(await rowNames(), names);
  };

  async function callback(lead: Record<string, unknown>, body: Record<string, unknown> = {}): Promise<string> {
    const l = await h.apiFromPage<{ id: string }>('POST', '/leads', { consent: { voice: true }, ...lead });
    assert.equal(l.status, 201, JSON.stringify(l.body));
    const c = await h.apiFromPage<{ id: string }>('POST', '/callbacks', { leadId: l.body.id, ...body });
    assert.equal(c.status, 201, JSON.stringify(c.body));
    return c.body.id;
  }

  let waited = '';

  step('lists open requests by priority, then by due time when the Due header is clicked; the overdue one is highlighted', async () => {
    await h.signIn('ann@acme.test', '/callbacks');
    await h.page.getByRole('heading', { name: 'Callbacks', level: 1 }).waitFor();
    await h.page.getByText('Nothing to call back').waitFor();
    // Vera: web form 30 + value 25 + negotiation 20 = 75 urgent (due in 1 h). Noel: api 20 low (3 days).
    // Walt: api 20, but waited two days: + 30 = 50 high, due 4 h after creation: overdue.
    await callback({ phone: '+14155556001', firstName: 'Vera', attributes: { value: 25000, stage: 'negotiation' } }, { reason: 'Pricing' });
    await callback({ phone: '+14155556002', firstName: 'Noel' }, { source: 'api' });
    waited = await callback({ phone: '+14155556003', firstName: 'Walt' }, { source: 'api', reason: 'Left a voicemail' });
    await h.t.dataSource.query(
      `UPDATE callback_requests SET created_at = now() - interval '2 days', scored_at = '-infinity' WHERE id = $1`,
      [waited],
    );
    await h.page.reload();
    await expectNames(['Vera', 'Walt', 'Noel']);
    assert.deepEqual(
      await rows()
        .locator('[data-col="priority"] .badge')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-category'))),
      ['urgent', 'high', 'low'],
    );
    const walt = rows().filter({ hasText: 'Walt' });
    assert.equal(await walt.locator('.sla').getAttribute('data-overdue'), 'true');
    assert.match(await walt.locator('.sla').innerText(), /overdue/);
    assert.match((await walt.locator('.sla').getAttribute('class')) ?? '', /sla-overdue/);
    assert.match(await rows().filter({ hasText: 'Vera' }).locator('.sla').innerText(), /^due in (59 min|1 h)$/);
    assert.equal((await h.page.getByTestId('overdue-count').innerText()).trim(), '1');
    await h.shot('callbacks-01-queue');

    await h.page.getByRole('button', { name: 'Due' }).click();
    await h.page.waitForURL((u) => u.searchParams.get('sort') === 'due');
    await expectNames(['Walt', 'Vera', 'Noel']);
  });

  step('assigns by round-robin from the row, shows it under "My callbacks", and completes it with a resolution', async () => {
    const walt = rows().filter({ hasText: 'Walt' });
    await walt.getByLabel(/^Assign callback/).selectOption('round-robin');
    await walt.locator('[data-col="status"]').getByText('Assigned').waitFor();
    const [ann] = await h.t.dataSource.query(`SELECT id, coalesce(name, email) AS shown FROM users WHERE email = 'ann@acme.test'`);
    assert.match(await walt.locator('[data-col="assignee"]').innerText(), new RegExp(ann.shown));

    // A controlled checkbox that follows the URL: click, then wait for the URL (check() may look before the navigation commits).
    await h.page.getByLabel('My callbacks').click();
    await h.page.waitForURL((u) => u.searchParams.get('mine') === 'true');
    await h.page.getByRole('heading', { name: 'My callbacks', level: 1 }).waitFor();
    await expectNames(['Walt']);

    await rows().first().getByRole('button', { name: 'Complete' }).click();
    await rows()
      .first()
      .getByLabel(/^Resolution of/)
      .fill('Called back, demo booked');
    await rows().first().getByRole('button', { name: 'Save' }).click();
    await h.page.getByText('Nothing to call back').waitFor();
    const [row] = await h.t.dataSource.query('SELECT status, resolution, assignee_user_id FROM callback_requests WHERE id = $1', [waited]);
    assert.deepEqual(row, { status: 'completed', resolution: 'Called back, demo booked', assignee_user_id: ann.id });

    await h.page.getByLabel('My callbacks').click();
    await h.page.waitForURL((u) => !u.searchParams.has('mine'));
    await h.page.getByRole('heading', { name: 'Callbacks', level: 1 }).waitFor();
    await h.page.getByLabel('Status').selectOption('completed');
    await expectNames(['Walt']);
    assert.match(await rows().first().locator('.sla').innerText(), /SLA missed/);
    await h.shot('callbacks-02-completed');
  });

  step('the detail page shows the score reasons and the activity log of every change, with who did it', async () => {
    await rows().first().locator('[data-col="lead"] a').click();
    await h.page.getByRole('heading', { name: /Call back Walt/ }).waitFor();
    const reasons = await h.page.getByRole('list', { name: 'Why this priority' }).locator('li').allInnerTexts();
    assert.deepEqual(reasons, ['source api: +20', 'waiting 48 h: +30']);
    const log = h.page.getByRole('list', { name: 'Activity log' }).locator('li');
    assert.deepEqual(await log.evaluateAll((els) => els.map((e) => e.getAttribute('data-kind'))), [
      'created',
      'rescored',
      'assigned',
      'completed',
    ]);
    assert.match(await log.nth(2).innerText(), /by round-robin/);
    assert.match(await log.nth(3).innerText(), /ann@acme\.test/);
    assert.match(await log.nth(3).innerText(), /demo booked/);
    assert.equal(await h.page.getByRole('button', { name: 'Complete' }).count(), 0, 'a completed request offers no more moves');
    await h.shot('callbacks-03-detail');
  });

  step('from the detail page an agent moves a request through its statuses', async () => {
    await h.page.goto(`${h.t.baseUrl}/callbacks`);
    await rows().filter({ hasText: 'Noel' }).locator('[data-col="lead"] a').click();
    await h.page.getByRole('heading', { name: /Call back Noel/ }).waitFor();
    await h.page.getByLabel(/^Assign callback/).selectOption({ label: 'Round-robin' });
    await h.page.getByRole('button', { name: 'Mark in progress' }).click();
    await h.page.locator('[data-status="in_progress"]').first().waitFor();
    await h.page.getByLabel('Note for the change (optional)').fill('Voicemail again');
    await h.page.getByRole('button', { name: 'Mark no answer' }).click();
    await h.page.locator('[data-status="no_answer"]').first().waitFor();
    const log = h.page.getByRole('list', { name: 'Activity log' }).locator('li');
    await log.nth(3).waitFor();
    assert.match(await log.nth(3).innerText(), /in_progress -> no_answer: Voicemail again/);
  });
});
