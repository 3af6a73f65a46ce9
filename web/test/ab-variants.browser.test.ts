import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { significanceText, variantStatusText, type StepVariantResults } from '../src/pages/campaigns/detail/variant-results';
import {
  AbTestDraft,
  evenSplit,
  initialAbTest,
  newVariant,
  splitEvenly,
  variantProblems,
  variantsDraft,
  variantsInput,
} from '../src/pages/campaigns/wizard/variants';
import { browserHarness } from './harness';

const T1 = '11111111-1111-4111-8111-111111111111';
const T2 = '22222222-2222-4222-8222-222222222222';
const T3 = '33333333-3333-4333-8333-333333333333';

describe('A/B variants: the wizard’s helpers', () => {
  const step = (percents: string[], templates: string[], abTest: Partial<AbTestDraft> = {}, channel: 'email' | 'sms' = 'email') => ({
    channel,
    templateId: templates[0] ?? '',
    variants: percents.map((p, j) => newVariant(templates[j] ?? '', p)),
    abTest: { ...initialAbTest(channel), ...abTest },
  });

  it('splits 100 evenly in whole shares, the remainder to the first variants', () => {
    assert.deepEqual(evenSplit(2), [50, 50]);
    assert.deepEqual(evenSplit(3), [34, 33, 33]);
    assert.deepEqual(evenSplit(4), [25, 25, 25, 25]);
    assert.deepEqual(evenSplit(5), [20, 20, 20, 20, 20]);
    for (let n = 2; n <= 5; n++)
      assert.equal(
        evenSplit(n).reduce((a, b) => a + b, 0),
        100,
      );
    const rows = splitEvenly([newVariant(T1, '90'), newVariant(T2, '1'), newVariant(T3, '')]);
    assert.deepEqual(
      rows.map((r) => [r.templateId, r.percent]),
      [
        [T1, '34'],
        [T2, '33'],
        [T3, '33'],
      ],
    );
  });

  it('checks what the server checks: count, templates, duplicates, whole percents totalling 100, the test’s bounds', () => {
    assert.deepEqual(variantProblems(step(['50', '50'], [T1, T2]), 0), {});
    assert.deepEqual(variantProblems(step([], []), 0), {}, 'no test, nothing to check');
    assert.equal(variantProblems(step(['100'], [T1]), 0)['variants-0'], 'An A/B test has 2 to 5 variants');
    assert.equal(
      variantProblems(step(['20', '20', '20', '20', '10', '10'], [T1, T2, T3, T1, T2, T3]), 1)['variants-1'],
      'An A/B test has 2 to 5 variants',
    );
    assert.equal(variantProblems(step(['60', '50'], [T1, T2]), 0)['variants-0'], 'The variants’ percents must total 100% (now 110%)');
    assert.equal(variantProblems(step(['50', '50'], [T1, '']), 0)['variant-0-1-template'], 'Variant B: choose a template');
    assert.equal(
      variantProblems(step(['40', '30', '30'], [T1, T2, T1]), 2)['variant-2-2-template'],
      'Variant C: the same template as variant A',
    );
    assert.equal(variantProblems(step(['99.5', '0.5'], [T1, T2]), 0)['variant-0-0-percent'], 'Variant A: a whole percent from 1 to 99');
    assert.equal(variantProblems(step(['100', '0'], [T1, T2]), 0)['variant-0-1-percent'], 'Variant B: a whole percent from 1 to 99');
    // The test's own fields count only when it is on.
    assert.deepEqual(variantProblems(step(['50', '50'], [T1, T2], { samplePercent: '0', metric: 'open' }, 'sms'), 0), {});
    const on = variantProblems(
      step(
        ['50', '50'],
        [T1, T2],
        { on: true, samplePercent: '100', metric: 'open', decideAfter: '31', decideAfterUnit: 'days', minSample: '0' },
        'sms',
      ),
      0,
    );
    assert.deepEqual(Object.keys(on).sort(), ['abTest-0-decideAfter', 'abTest-0-metric', 'abTest-0-minSample', 'abTest-0-samplePercent']);
    assert.match(on['abTest-0-metric'], /only tracked for email/);
    assert.deepEqual(
      variantProblems(step(['50', '50'], [T1, T2], { on: true, metric: 'click', decideAfter: '0.5', decideAfterUnit: 'hours' }), 0),
      {},
      'half an hour is 1,800 s: inside 60..2,592,000',
    );
    assert.ok(
      variantProblems(step(['50', '50'], [T1, T2], { on: true, decideAfter: '0.01', decideAfterUnit: 'hours' }), 0)['abTest-0-decideAfter'],
    );
  });

  it('sends variants with A as the step’s template, the test only when on, and reads a saved step back', () => {
    const s = step(['60', '40'], ['ignored-A', T2], {
      on: true,
      samplePercent: '20',
      metric: 'click',
      decideAfter: '6',
      decideAfterUnit: 'hours',
      minSample: '50',
    });
    s.templateId = T1;
    const input = variantsInput(s);
    assert.deepEqual(input, {
      variants: [
        { templateId: T1, percent: 60 },
        { templateId: T2, percent: 40 },
      ],
      abTest: { samplePercent: 20, metric: 'click', decideAfterSeconds: 21_600, minSamplePerVariant: 50 },
    });
    assert.deepEqual(variantsInput({ ...s, abTest: { ...s.abTest, on: false } }), { variants: input.variants });
    assert.deepEqual(variantsInput({ ...s, abTest: { ...s.abTest, minSample: '' } }).abTest, {
      samplePercent: 20,
      metric: 'click',
      decideAfterSeconds: 21_600,
    });
    assert.deepEqual(variantsInput({ ...s, variants: [] }), {});

    const back = variantsDraft({
      channel: 'email',
      variants: [
        { id: 'a', label: 'A', templateId: T1, percent: 60 },
        { id: 'b', label: 'B', templateId: T2, percent: 40 },
      ],
      abTest: { samplePercent: 20, metric: 'click', decideAfterSeconds: 172_800, minSamplePerVariant: 100 },
    });
    assert.deepEqual(
      back.variants.map((v) => [v.templateId, v.percent]),
      [
        [T1, '60'],
        [T2, '40'],
      ],
    );
    assert.deepEqual(back.abTest, {
      on: true,
      samplePercent: '20',
      metric: 'click',
      decideAfter: '2',
      decideAfterUnit: 'days',
      minSample: '',
    });
    assert.deepEqual(variantsDraft({ channel: 'sms', variants: [], abTest: null }), { variants: [], abTest: initialAbTest('sms') });
    assert.equal(initialAbTest('sms').metric, 'reply');
  });

  it('says a step’s state and whether the leader is significant', () => {
    const results: StepVariantResults = {
      position: 0,
      stepId: 's',
      abTest: { samplePercent: 20, metric: 'open', decideAfterSeconds: 3600 },
      status: 'testing',
      winnerVariantId: null,
      decidedAt: null,
      decidesAt: '2026-12-02T18:00:00.000Z',
      waiting: 1234,
      variants: ['A', 'B', 'C'].map((label) => ({
        id: label.toLowerCase(),
        label: label as 'A',
        templateId: T1,
        templateName: label,
        percent: 33,
        sent: 0,
        delivered: 0,
        opened: 0,
        clicked: 0,
        replied: 0,
        converted: 0,
        rate: null,
      })),
      significance: { metric: 'open', leaderVariantId: 'b', pValue: 0.2345, confident: false },
    };
    const before = Date.parse('2026-12-02T17:00:00.000Z');
    assert.match(variantStatusText(results, before), /^Testing until .+, 1,234 waiting for the winner$/);
    assert.match(
      variantStatusText({ ...results, abTest: { ...results.abTest!, minSamplePerVariant: 250 } }, before + 2 * 3_600_000),
      /^Testing: due since .+, decided once each variant has 250 sends or the sample is done; 1,234 waiting for the winner$/,
    );
    assert.equal(variantStatusText({ ...results, decidesAt: null }), 'Testing: the sample is on its way, 1,234 waiting for the winner');
    assert.equal(significanceText(results), 'not yet significant (p = 0.23)');
    // Tested against the runner-up: the best rate of the others (C here), named with three variants.
    const rated = results.variants.map((v, i) => ({ ...v, rate: [0.1, 0.3, 0.2][i] }));
    assert.equal(
      significanceText({ variants: rated, significance: { ...results.significance!, pValue: 0.003, confident: true } }),
      '95 % confident B beats C (the runner-up)',
    );
    assert.equal(
      significanceText({
        variants: results.variants.slice(0, 2),
        significance: { ...results.significance!, pValue: 0.01, confident: true },
      }),
      '95 % confident B beats A',
    );
    assert.equal(significanceText({ ...results, significance: null }), null);
    assert.match(
      variantStatusText({ ...results, status: 'decided', winnerVariantId: 'c', decidedAt: '2026-12-02T18:00:00.000Z' }),
      /^Decided .+: C won$/,
    );
    assert.equal(variantStatusText({ ...results, status: 'split' }), 'Split: every lead gets a variant by its share');
  });
});

describe('A/B variants in a real browser', () => {
  const h = browserHarness({ viewport: { width: 1280, height: 1000 } });
  const { step } = h;
  const templates: Record<string, string> = {};
  let campaignId = '';
  let mailgunId = '';

  const ok = <T>(r: { status: number; body: T }) => {
    assert.ok(r.status < 300, JSON.stringify(r.body));
    return r.body;
  };
  const next = () => h.page.getByRole('button', { name: 'Next →' }).click();
  const heading = (text: string) => h.page.getByRole('heading', { name: new RegExp(`Step \\d of 5: ${text}`) }).waitFor();
  const stepCard = () => h.page.getByRole('group', { name: 'Step 1', exact: true });
  const abToggle = () => stepCard().getByRole('checkbox', { name: /^A\/B test/ });
  const sampleToggle = () => stepCard().getByRole('checkbox', { name: /^Test on a sample first/ });
  const percent = (label: string) => h.page.getByLabel(`Step 1 variant ${label} percent`);
  const template = (label: string) => h.page.getByLabel(`Step 1 variant ${label} template`);
  const sum = () => h.page.getByTestId('variants-sum-0');
  const optionsOf = async (label: string) => (await h.page.getByLabel(label).locator('option').allTextContents()).map((s) => s.trim());
  const campaign = async (id: string) =>
    ok(
      await h.apiFromPage<{
        steps: Array<{
          templateId: string;
          variants: Array<{ id: string; label: string; templateId: string; percent: number }>;
          abTest: unknown;
          winnerVariantId: string | null;
        }>;
      }>('GET', `/campaigns/${id}`),
    );

  step('sets up a Mailgun sender, a Twilio line, three email templates, an SMS one and a lead', async () => {
    await h.signIn('abby@acme.test', '/campaigns');
    mailgunId = ok(
      await h.apiFromPage<{ id: string }>('POST', '/channels', {
        type: 'mailgun',
        name: 'Newsletter',
        config: { domain: 'mg.acme.test', from: 'news@acme.test', baseUrl: h.google.sandbox.url },
        secrets: { apiKey: 'key-sandbox', webhookSigningKey: 'sign-sandbox' },
      }),
    ).id;
    ok(
      await h.apiFromPage('POST', '/channels', {
        type: 'twilio',
        name: 'Text line',
        config: { accountSid: `AC${'7'.repeat(32)}`, from: '+14155550100', baseUrl: h.google.sandbox.url },
        secrets: { authToken: 'sandbox-auth-token-123' },
      }),
    );
    for (const name of ['Welcome short', 'Welcome long', 'Welcome emoji'])
      templates[name] = ok(
        await h.apiFromPage<{ id: string }>('POST', '/templates', { name, channel: 'email', subject: name, text: `${name} body` }),
      ).id;
    templates['Welcome SMS'] = ok(
      await h.apiFromPage<{ id: string }>('POST', '/templates', { name: 'Welcome SMS', channel: 'sms', body: 'Hi there' }),
    ).id;
    ok(await h.apiFromPage('POST', '/leads', { email: 'lea@acme.test', firstName: 'Lea' }));
  });

  step('an SMS step’s test offers only replies and conversions; the email step’s offers opens and clicks too', async () => {
    await h.page.goto(`${h.t.baseUrl}/campaigns/new`);
    await heading('Name & type');
    await h.page.getByLabel('Campaign name').fill('Welcome test');
    await next();
    await heading('Steps');
    assert.equal(await percent('A').count(), 0, 'no variants until the test is turned on');
    await h.page.getByLabel('Step 1 channel').selectOption('sms');
    await abToggle().check();
    await sampleToggle().check();
    assert.deepEqual(await optionsOf('Step 1 winner by'), ['Replies', 'Conversions']);
    await stepCard().getByText('Opens and clicks are tracked for email only').waitFor();
    // Another channel: the test starts over (other templates, other metrics).
    await h.page.getByLabel('Step 1 channel').selectOption('email');
    assert.equal(await abToggle().isChecked(), false);
    await abToggle().check();
    await sampleToggle().check();
    assert.deepEqual(await optionsOf('Step 1 winner by'), ['Opens', 'Clicks', 'Replies', 'Conversions']);
    await sampleToggle().uncheck();
  });

  step('variants are checked as typed: the total, a template missing or used twice; split evenly; add and remove', async () => {
    await h.page.getByLabel('Step 1 sender').selectOption({ label: 'Newsletter (Mailgun)' });
    await h.page.getByLabel('Step 1 template').selectOption({ label: 'Welcome short' });
    assert.equal(await h.page.getByTestId('variant-a-template').textContent(), 'Welcome short');
    assert.equal(await percent('A').inputValue(), '50');
    assert.equal(await percent('B').inputValue(), '50');
    assert.equal(await sum().textContent(), 'Total 100%');
    await percent('A').fill('70');
    assert.equal(await sum().textContent(), 'Total 120%: must total 100%');
    await next();
    await h.page.getByRole('alert').filter({ hasText: 'Variant B: choose a template' }).waitFor();
    await h.page.getByRole('alert').filter({ hasText: 'The variants’ percents must total 100% (now 120%)' }).waitFor();
    assert.equal(await template('B').getAttribute('aria-invalid'), 'true');
    await heading('Steps');

    await stepCard().getByRole('button', { name: '+ Add a variant' }).click();
    await template('B').selectOption({ label: 'Welcome long' });
    await template('C').selectOption({ label: 'Welcome short' });
    await stepCard().getByText('Variant C: the same template as variant A').waitFor();
    assert.equal(await template('C').getAttribute('aria-invalid'), 'true');
    await template('C').selectOption({ label: 'Welcome emoji' });
    await stepCard().getByRole('button', { name: 'Split evenly' }).click();
    assert.deepEqual(
      [await percent('A').inputValue(), await percent('B').inputValue(), await percent('C').inputValue()],
      ['34', '33', '33'],
    );
    assert.equal(await sum().textContent(), 'Total 100%');
    await h.shot('ab-1-three-variants');
    await stepCard().getByRole('button', { name: 'Remove Step 1 variant C' }).click();
    assert.equal(await template('C').count(), 0);
    assert.equal(await stepCard().getByRole('button', { name: 'Remove Step 1 variant B' }).isDisabled(), true, 'two at least');
    await percent('A').fill('60');
    await percent('B').fill('40');
    assert.equal(await sum().textContent(), 'Total 100%');
  });

  step('a sample test: 20 %, winner by clicks after 6 hours, 50 per variant; reviewed and saved as such', async () => {
    await sampleToggle().check();
    await h.page.getByLabel('Step 1 sample (%)').fill('120');
    await h.page.getByLabel('Step 1 winner by').selectOption('click');
    await h.page.getByLabel('Step 1 decide after', { exact: true }).fill('6');
    await h.page.getByLabel('Step 1 decide after unit').selectOption('hours');
    await h.page.getByLabel('Step 1 minimum per variant').fill('50');
    await next();
    await h.page.getByRole('alert').filter({ hasText: 'Sample: a whole percent from 1 to 99' }).waitFor();
    await h.page.getByLabel('Step 1 sample (%)').fill('20');
    await h.shot('ab-2-sample-test');
    await next();
    await heading('Audience');
    await next();
    await heading('Settings');
    await next();
    await heading('Review');
    await h.page.getByTestId('review-variants-0').filter({ hasText: 'A Welcome short 60%' }).waitFor();
    assert.equal(
      await h.page.getByTestId('review-variants-0').textContent(),
      'Step 1 (Email): A Welcome short 60% · B Welcome long 40%. Tested on 20% of the leads, winner by clicks after 6 hours (at least 50 messages per variant); the rest get the winner.',
    );
    await h.shot('ab-3-review');
    await h.page.getByRole('button', { name: 'Save as draft' }).click();
    await h.page.waitForURL((u) => /^\/campaigns\/[0-9a-f-]{36}\/edit$/.test(u.pathname));
    campaignId = new URL(h.page.url()).pathname.split('/')[2]!;
    const saved = (await campaign(campaignId)).steps[0];
    assert.equal(saved.templateId, templates['Welcome short']);
    assert.deepEqual(
      saved.variants.map((v) => [v.label, v.templateId, v.percent]),
      [
        ['A', templates['Welcome short'], 60],
        ['B', templates['Welcome long'], 40],
      ],
    );
    assert.deepEqual(saved.abTest, { samplePercent: 20, metric: 'click', decideAfterSeconds: 21_600, minSamplePerVariant: 50 });
    assert.equal(saved.winnerVariantId, null);
  });

  step('the draft reopens with its variants and test; turned off, the test leaves the step', async () => {
    await h.page.goto(`${h.t.baseUrl}/campaigns/${campaignId}/edit`);
    await h.page.getByRole('heading', { name: 'Edit draft: Welcome test', level: 1 }).waitFor();
    await h.page.getByRole('button', { name: 'Steps' }).click();
    await heading('Steps');
    assert.ok(await abToggle().isChecked());
    assert.equal(await percent('A').inputValue(), '60');
    assert.equal(await template('B').inputValue(), templates['Welcome long']);
    assert.ok(await sampleToggle().isChecked());
    assert.equal(await h.page.getByLabel('Step 1 winner by').inputValue(), 'click');
    assert.equal(await h.page.getByLabel('Step 1 decide after', { exact: true }).inputValue(), '6');
    assert.equal(await h.page.getByLabel('Step 1 decide after unit').inputValue(), 'hours');
    assert.equal(await h.page.getByLabel('Step 1 minimum per variant').inputValue(), '50');

    // Without the sample test: a plain split.
    await sampleToggle().uncheck();
    await h.page.getByRole('button', { name: 'Save as draft' }).click();
    await h.page.getByText('Draft “Welcome test” saved').waitFor();
    const split = (await campaign(campaignId)).steps[0];
    assert.equal(split.variants.length, 2);
    assert.equal(split.abTest, null);
  });
  step('a variant the server refuses is shown at its field until it changes', async () => {
    await abToggle().waitFor();
    // The step lets no such split through, so the save is changed on its way to the real server to see its answer.
    const patch = `${h.t.baseUrl}/api/v1/campaigns/${campaignId}`;
    await h.page.route(patch, async (route) => {
      if (route.request().method() !== 'PATCH') return route.continue();
      const body = JSON.parse(route.request().postData() ?? '{}') as { steps: Array<{ variants: Array<{ percent: number }> }> };
      body.steps[0].variants[0].percent = 99;
      body.steps[0].variants[1].percent = 0;
      await route.continue({ postData: JSON.stringify(body) });
    });
    await h.page.getByRole('button', { name: 'Save as draft' }).click();
    await h.page.getByRole('alert').filter({ hasText: 'steps[0].variants[1].percent' }).waitFor();
    await h.page.unroute(patch);
    assert.equal(await percent('B').getAttribute('aria-invalid'), 'true');
    await stepCard()
      .getByText(/steps\[0\]\.variants\[1\]\.percent/)
      .waitFor();
    await h.shot('ab-4-server-refused');
    await percent('B').fill('41');
    await percent('A').fill('59');
    assert.equal(await percent('B').getAttribute('aria-invalid'), null, 'changed since: the verdict is gone');
    // The previous save's toast may still be up: wait for this save's answer itself.
    const saved = h.page.waitForResponse((r) => r.url().endsWith(`/campaigns/${campaignId}`) && r.request().method() === 'PATCH');
    await h.page.getByRole('button', { name: 'Save as draft' }).click();
    assert.equal((await saved).status(), 200);
    assert.deepEqual(
      (await campaign(campaignId)).steps[0].variants.map((v) => v.percent),
      [59, 41],
    );
  });

  step('the campaign page shows a Variants card: numbers, the test’s state, not yet significant; then the winner', async () => {
    const created = ok(
      await h.apiFromPage<{ id: string; steps: Array<{ id: string; variants: Array<{ id: string; label: string }> }> }>(
        'POST',
        '/campaigns',
        {
          name: 'Subject line test',
          type: 'blast',
          sender: { channelId: mailgunId },
          audience: { all: true },
          steps: [
            {
              channel: 'email',
              templateId: templates['Welcome short'],
              variants: [
                { templateId: templates['Welcome short'], percent: 50 },
                { templateId: templates['Welcome long'], percent: 50 },
              ],
              abTest: { samplePercent: 20, metric: 'open', decideAfterSeconds: 3600 },
            },
          ],
        },
      ),
    );
    const stepId = created.steps[0].id;
    const [a, b] = created.steps[0].variants.map((v) => v.id) as [string, string];
    const db = h.t.dataSource;
    const [{ organization_id: organizationId }] = await db.query<Array<{ organization_id: string }>>(
      'SELECT organization_id FROM campaigns WHERE id = $1',
      [created.id],
    );
    // Launched an hour ago, its sample sent: 100 delivered per variant, 30 leads waiting for the winner (no variant yet).
    await db.query(`UPDATE campaigns SET status = 'paused', launched_at = now() - interval '1 hour' WHERE id = $1`, [created.id]);
    await db.query(`UPDATE campaign_steps SET test_started_at = now() - interval '10 minutes' WHERE id = $1`, [stepId]);
    const insert = (variantId: string | null, n: number, status: 'delivered' | 'queued') =>
      db.query(
        `INSERT INTO messages (organization_id, campaign_id, step_id, lead_id, position, channel, status, to_address, due_at, sent_at, delivered_at, attempts, variant_id)
         SELECT $1, $2, $3, NULL, 0, 'email', $4, 'lead' || i || '-' || coalesce($5::text, 'none') || '@acme.test', now(),
                CASE WHEN $4 = 'delivered' THEN now() END, CASE WHEN $4 = 'delivered' THEN now() END, CASE WHEN $4 = 'delivered' THEN 1 ELSE 0 END, $5::uuid
           FROM generate_series(1, $6::int) AS i`,
        [organizationId, created.id, stepId, status, variantId, n],
      );
    await insert(a, 100, 'delivered');
    await insert(b, 100, 'delivered');
    await insert(null, 30, 'queued');
    const open = (variantId: string, n: number) =>
      db.query(
        `INSERT INTO message_events (organization_id, message_id, source, event_id, type, occurred_at, payload)
         SELECT organization_id, id, 'mailgun', 'open-' || id, 'opened', now(), '{}'
           FROM messages m WHERE variant_id = $1 AND NOT EXISTS (SELECT 1 FROM message_events e WHERE e.message_id = m.id)
          ORDER BY id LIMIT $2`,
        [variantId, n],
      );
    await open(a, 20);
    await open(b, 26);

    await h.page.goto(`${h.t.baseUrl}/campaigns/${created.id}`);
    const card = h.page.getByTestId('variants-card');
    await card.getByRole('heading', { name: 'Variants · step 1 (Email)', level: 2 }).waitFor();
    assert.match((await card.getByTestId('variants-status').textContent()) ?? '', /^Testing until .+, 30 waiting for the winner$/);
    // 20 % against 26 % of 100 each: the two-proportion test's p is 0.31.
    assert.equal(await card.getByTestId('variants-significance').locator('.badge').textContent(), 'not yet significant (p = 0.31)');
    const row = (label: string) =>
      card.getByTestId('variant-results').filter({ has: h.page.locator('[data-col="label"]', { hasText: label }) });
    const cells = async (label: string) => {
      const out: string[] = [];
      for (const col of ['label', 'template', 'percent', 'sent', 'opened', 'clicked', 'replied', 'converted', 'rate'])
        out.push(((await row(label).locator(`[data-col="${col}"]`).textContent()) ?? '').trim());
      return out;
    };
    assert.deepEqual(await cells('A'), ['A', 'Welcome short', '50%', '100', '20', '0', '0', '0', '20.0%']);
    assert.deepEqual(await cells('B'), ['B', 'Welcome long', '50%', '100', '26', '0', '0', '0', '26.0%']);
    assert.equal(await card.getByTestId('variant-winner').count(), 0);
    assert.equal(await card.locator('th[data-col="rate"]').textContent(), 'Open rate');
    await h.shot('ab-5-variants-testing');

    // More opens for B and the decision taken: significant, B the winner.
    await open(b, 19);
    await db.query(`UPDATE campaign_steps SET winner_variant_id = $1, decided_at = now() WHERE id = $2`, [b, stepId]);
    await h.page.reload();
    await card.getByTestId('variant-winner').waitFor();
    assert.equal(await card.getByTestId('variants-significance').locator('.badge').textContent(), '95 % confident B beats A');
    assert.match((await card.getByTestId('variants-status').textContent()) ?? '', /^Decided .+: B won$/);
    assert.deepEqual(await cells('B'), ['B Winner', 'Welcome long', '50%', '100', '45', '0', '0', '0', '45.0%']);
    assert.equal(await row('A').getByTestId('variant-winner').count(), 0);
    await h.shot('ab-6-variants-decided');
  });
});
