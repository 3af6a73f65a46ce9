import assert from 'node:assert/strict';
import { describe } from '@jest/globals';
import { browserHarness } from './harness';

describe('Templates in a real browser: write an SMS with Liquid, preview it for a lead, errors with line/column, save, email in a sandboxed frame', () => {
  const h = browserHarness({ viewport: { width: 1280, height: 900 } });
  const { step } = h;
  const editor = (name: string) => h.page.getByRole('textbox', { name, exact: true });
  /** Replaces an editor's text the way a person does: click in, select all, type. */
  const retype = async (name: string, text: string) => {
    await editor(name).click();
    await h.page.keyboard.press('ControlOrMeta+a');
    await h.page.keyboard.press('Backspace');
    await h.page.keyboard.type(text);
  };
  const meter = (testId: string, encoding: string, segments: number) =>
    h.page.locator(`[data-testid="${testId}"][data-encoding="${encoding}"][data-segments="${segments}"]`);

  step('signs in and finds no template yet', async () => {
    await h.signIn('ann@acme.test', '/templates');
    await h.page.getByRole('heading', { name: 'Templates', level: 1 }).waitFor();
    await h.page.getByText('No template yet').waitFor();
    assert.equal(await h.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Templates' }).count(), 1);
    // Setup, not the flow under test: the lead the preview will be rendered for.
    const lead = await h.apiFromPage('POST', '/leads', { phone: '+14155550188', firstName: 'Grace', lastName: 'Hopper' });
    assert.equal(lead.status, 201, JSON.stringify(lead.body));
  });

  step('writes an SMS with {{ lead.first_name }} and previews it for a chosen lead', async () => {
    await h.page.getByRole('link', { name: 'New template' }).first().click();
    await h.page.waitForURL((u) => u.pathname === '/templates/new');
    await h.page.getByLabel('Name').fill('Order ready');
    await retype('SMS body', 'Hello {{ lead.first_name }}, your order is ready.');
    await meter('sms-source-meter', 'GSM-7', 1).waitFor();
    // First with the sample lead, then with the stored lead found by name.
    await h.page.getByTestId('sms-preview').filter({ hasText: 'Hello Ada, your order is ready.' }).waitFor();
    await h.page.getByRole('radio', { name: 'A lead' }).check();
    await h.page.getByLabel('Find a lead').fill('grace');
    await h.page.getByRole('button', { name: /Grace Hopper/ }).click();
    await h.page.getByTestId('sms-preview').filter({ hasText: 'Hello Grace, your order is ready.' }).waitFor();
    await meter('sms-rendered-meter', 'GSM-7', 1).waitFor();
    await h.page.getByText('Previewing for Grace Hopper').waitFor();
  });

  step('typing a non-GSM character (an emoji) switches the counters to UCS-2', async () => {
    await editor('SMS body').click();
    await h.page.keyboard.press('ControlOrMeta+End');
    await h.page.keyboard.type(' 🎉');
    await meter('sms-source-meter', 'UCS-2', 1).waitFor();
    await h.page.getByTestId('sms-preview').filter({ hasText: 'Hello Grace, your order is ready. 🎉' }).waitFor();
    await meter('sms-rendered-meter', 'UCS-2', 1).waitFor();
    // Past 70 UTF-16 units a UCS-2 message is billed in parts of 67.
    await h.page.keyboard.type(' We kept it for you until Friday at the front desk.');
    await meter('sms-source-meter', 'UCS-2', 2).waitFor();
    await meter('sms-rendered-meter', 'UCS-2', 2).waitFor();
    await h.shot('templates-01-sms-editor-ucs2');
  });

  step('a Liquid syntax error is shown with its line and column, next to the editor and marked in it', async () => {
    await editor('SMS body').click();
    await h.page.keyboard.press('ControlOrMeta+End');
    await h.page.keyboard.press('Enter');
    await h.page.keyboard.type('{{ lead.first_name ');
    const problem = h.page.getByTestId('liquid-problem');
    await problem.filter({ hasText: 'line 2, column 1' }).waitFor();
    assert.match(await problem.innerText(), /template_syntax/);
    await h.page.locator('.cm-lintRange-error').first().waitFor();
    assert.equal(await editor('SMS body').getAttribute('aria-invalid'), 'true');
    await h.shot('templates-02-liquid-error');
    await h.page.keyboard.press('Shift+Home');
    await h.page.keyboard.press('Backspace');
    await h.page.keyboard.press('Backspace');
    await h.page.getByTestId('liquid-problem').waitFor({ state: 'detached' });
  });

  step('saving refuses an unknown campaign key with the API’s code, then saves and lists the template', async () => {
    await editor('SMS body').click();
    await h.page.keyboard.press('ControlOrMeta+End');
    await h.page.keyboard.type(' {{ campaign.budget }}');
    await h.page.getByRole('button', { name: 'Create template' }).click();
    await h.page.getByRole('alert').filter({ hasText: 'template_invalid' }).filter({ hasText: 'campaign.budget' }).waitFor();
    assert.equal(new URL(h.page.url()).pathname, '/templates/new', 'nothing was created');
    await retype('SMS body', 'Hello {{ lead.first_name }}, your order is ready. 🎉');
    await h.page.getByRole('button', { name: 'Create template' }).click();
    await h.page.waitForURL((u) => /^\/templates\/[0-9a-f-]{36}$/.test(u.pathname));
    await h.page.getByRole('heading', { name: 'Order ready', level: 1 }).waitFor();
    await h.page.getByRole('link', { name: '← Templates' }).click();
    const row = h.page.getByTestId('template-row').filter({ hasText: 'Order ready' });
    await row.waitFor();
    assert.match(await row.innerText(), /SMS/);
    assert.match(await row.innerText(), /Hello \{\{ lead\.first_name \}\}, your order is ready/);
    await h.page.getByLabel('Channel').selectOption('email');
    await h.page.getByText('No Email template yet').waitFor();
    await h.page.getByLabel('Channel').selectOption('');
    await row.waitFor();
    await h.shot('templates-03-list');
  });

  step('an email template renders its HTML in a sandboxed frame, with the text part derived', async () => {
    await h.page.getByRole('link', { name: 'New template' }).first().click();
    // The list has a Channel filter too: wait for the editor, or the choice below lands on the list.
    await h.page.waitForURL((u) => u.pathname === '/templates/new');
    await h.page.getByLabel('Channel').selectOption('email');
    await h.page.getByLabel('Name').fill('Welcome email');
    await h.page.getByLabel('Subject').fill('Welcome, {{ lead.first_name }}');
    const html =
      '<h1>Hello {{ lead.first_name }}</h1><p>Welcome aboard, {{ lead.company }}.</p><script>document.body.append("SCRIPT RAN")</script>';
    await retype('HTML body', html);
    assert.equal(await editor('HTML body').innerText(), html, 'what is typed is what is stored (no auto-closed tags)');
    const frame = h.page.getByTestId('email-html-preview');
    await frame.waitFor();
    assert.equal(await frame.getAttribute('sandbox'), '', 'the frame is sandboxed with no permission');
    const content = h.page.frameLocator('[data-testid="email-html-preview"]');
    await content.getByRole('heading', { name: 'Hello Ada' }).waitFor();
    await content.getByText('Welcome aboard, Analytical Engines Ltd.').waitFor();
    assert.doesNotMatch(await content.locator('body').innerText(), /SCRIPT RAN/, 'scripts do not run in the preview');
    await h.page.getByTestId('email-subject').filter({ hasText: 'Welcome, Ada' }).waitFor();
    await h.page.getByTestId('email-text-preview').filter({ hasText: 'Hello Ada' }).waitFor();
    await h.shot('templates-04-email-editor');
    await h.page.getByRole('button', { name: 'Create template' }).click();
    await h.page.getByRole('heading', { name: 'Welcome email', level: 1 }).waitFor();
  });

  step('a saved template is deleted after confirmation', async () => {
    await h.page.getByRole('button', { name: 'Delete' }).click();
    const dialog = h.page.getByRole('dialog', { name: 'Delete “Welcome email”?' });
    await dialog.getByRole('button', { name: 'Delete template' }).click();
    await h.page.waitForURL((u) => u.pathname === '/templates');
    await h.page.getByTestId('template-row').filter({ hasText: 'Order ready' }).waitFor();
    assert.equal(await h.page.getByTestId('template-row').filter({ hasText: 'Welcome email' }).count(), 0);
  });

  step('a WhatsApp template: approved name, language and Liquid parameters, a parameter error located on its field', async () => {
    await h.page.getByRole('link', { name: 'Templates', exact: true }).first().click();
    await h.page.getByRole('link', { name: 'New template' }).first().click();
    // The list has a Channel filter too: wait for the editor, or the choice below lands on the list.
    await h.page.waitForURL((u) => u.pathname === '/templates/new');
    await h.page.getByLabel('Channel').selectOption('whatsapp');
    await h.page.getByLabel('Name', { exact: true }).fill('Spring promo');
    await h.page.getByLabel('Approved template name').fill('spring_promo');
    await h.page.getByRole('button', { name: 'Add body parameter' }).click();
    await h.page.getByLabel('Body parameter 1 (Liquid)').fill('{{ lead.first_name | shout }}');
    const param = h.page.getByLabel('Body parameter 1 (Liquid)');
    await h.page.getByText(/line 1, column \d+: .*shout.*\(template_unknown_filter\)/).waitFor();
    assert.equal(await param.getAttribute('aria-invalid'), 'true');
    await param.fill('{{ lead.first_name | upcase }}');
    const preview = h.page.getByTestId('whatsapp-preview');
    await preview.filter({ hasText: 'spring_promo' }).filter({ hasText: 'ADA' }).waitFor();
    await h.shot('templates-05-whatsapp-editor');
    await h.page.getByRole('button', { name: 'Create template' }).click();
    await h.page.getByRole('heading', { name: 'Spring promo', level: 1 }).waitFor();
  });

  step('a voice template: the script renders to TwiML', async () => {
    await h.page.getByRole('link', { name: '← Templates' }).click();
    await h.page.getByRole('link', { name: 'New template' }).first().click();
    // The list has a Channel filter too: wait for the editor, or the choice below lands on the list.
    await h.page.waitForURL((u) => u.pathname === '/templates/new');
    await h.page.getByLabel('Channel').selectOption('voice');
    await h.page.getByLabel('Name', { exact: true }).fill('Reminder call');
    await retype('Script', 'Hello {{ lead.first_name }}, this is a reminder.');
    await h.page.getByTestId('voice-preview').filter({ hasText: 'Hello Ada, this is a reminder.' }).filter({ hasText: '<Say' }).waitFor();
    await h.page.getByRole('button', { name: 'Create template' }).click();
    await h.page.getByRole('heading', { name: 'Reminder call', level: 1 }).waitFor();
    await h.page.getByRole('link', { name: '← Templates' }).click();
    await h.page.getByTestId('template-row').filter({ hasText: 'Reminder call' }).filter({ hasText: 'Voice' }).waitFor();
    await h.page.getByLabel('Channel').selectOption('whatsapp');
    // Spring promo is in the unfiltered list too: wait for the voice row to go first, or the count below can
    // catch the filtered list while it loads (no rows) rather than once it has arrived.
    await h.page.getByTestId('template-row').filter({ hasText: 'Reminder call' }).waitFor({ state: 'detached' });
    await h.page.getByTestId('template-row').filter({ hasText: 'Spring promo' }).waitFor();
    assert.equal(await h.page.getByTestId('template-row').count(), 1, 'the filter shows only WhatsApp templates');
    await h.page.getByLabel('Channel').selectOption('');
  });

  step('the editor works at phone width', async () => {
    await h.page.setViewportSize({ width: 390, height: 844 });
    await h.page.getByRole('link', { name: 'Order ready' }).click();
    await h.page.getByTestId('sms-preview').filter({ hasText: 'Hello Ada' }).waitFor();
    const width = Number(await h.page.evaluate('document.documentElement.scrollWidth'));
    assert.ok(width <= 390, `no horizontal scrolling at phone width (page is ${width}px wide)`);
    await h.shot('templates-06-editor-phone');
  });
});
