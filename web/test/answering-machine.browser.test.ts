import assert from 'node:assert/strict';
import { describe } from '@jest/globals';
import { browserHarness } from './harness';
import { wizardSteps } from './wizard-steps';

/**
 * What a voice campaign's calls do when a machine answers, walked in the wizard: "Leave a voicemail" with a
 * Liquid script (checked on the step, refused by the server when its Liquid is broken, shown under the field),
 * the review and the campaign page saying it in words, and the draft reopened with the choice.
 */
describe('answering machine and voicemail script in a real browser', () => {
  const h = browserHarness({ viewport: { width: 1280, height: 900 } });
  const { created, next, heading, oneStepCampaign } = wizardSteps(h);
  const { step } = h;
  const script = 'Hi {{ lead.first_name }}, this is Acme about your renewal.\nCall us back at 415 555 0100.';
  let campaignId = '';

  const voice = () => h.page.getByRole('group', { name: 'Voice calls' });
  const callSettings = (line: string) => h.page.locator(`[data-testid="call-settings"] [data-line="${line}"] dd`);
  const settingsOf = async (id: string) =>
    (await h.apiFromPage<{ settings: Record<string, unknown> }>('GET', `/campaigns/${id}`)).body.settings;
  // A text or call step: the wizard proposes the TCPA hours, with the browser's zone for leads without one.
  const tcpaWindow = async () => ({
    days: [1, 2, 3, 4, 5, 6, 7],
    start: '08:00',
    end: '21:00',
    timezone: await h.page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone),
  });

  step('a new voice campaign: the answering machine is not detected by default; "Leave a voicemail" asks for a script', async () => {
    await h.signIn('val@acme.test', '/campaigns');
    await created('/channels', {
      type: 'twilio',
      name: 'Call line',
      config: { accountSid: `AC${'7'.repeat(32)}`, from: '+14155550100', baseUrl: h.google.sandbox.url },
      secrets: { authToken: 'sandbox-auth-token-123' },
    });
    await created('/templates', { name: 'Renewal call', channel: 'voice', voice: { script: 'Hello {{ lead.first_name }}' } });
    await created('/leads', { phone: '+14158040001', firstName: 'Ana', consent: { voice: true } });

    await oneStepCampaign({ name: 'Renewal voicemails', channel: 'voice', sender: 'Call line (Twilio)', template: 'Renewal call' });
    await next();
    await heading('Settings');

    const machine = voice().getByLabel('Answering machine');
    assert.equal(await machine.inputValue(), '');
    assert.equal(await machine.locator('option:checked').textContent(), 'Don’t detect (everyone hears the script)');
    assert.deepEqual(await machine.locator('option').allTextContents(), [
      'Don’t detect (everyone hears the script)',
      'Hang up',
      'Leave a voicemail',
      'Play the script anyway',
    ]);
    assert.equal(await voice().getByLabel('Voicemail script').count(), 0);
    await machine.selectOption({ label: 'Leave a voicemail' });
    const scriptField = voice().getByLabel('Voicemail script');
    await scriptField.waitFor();
    assert.equal(await scriptField.getAttribute('maxlength'), '2000');
    await voice().getByText('{{ lead.first_name }}').first().waitFor();
    // Blank is refused on the step, next to the field.
    await scriptField.fill('   ');
    await next();
    await h.page.getByRole('alert').filter({ hasText: 'Write the voicemail script' }).waitFor();
    assert.equal(await scriptField.getAttribute('aria-invalid'), 'true');
  });

  step('broken Liquid: the server refuses the save, the user is shown where, nothing is saved', async () => {
    const scriptField = voice().getByLabel('Voicemail script');
    await scriptField.fill('Hi {{ lead.first_name ');
    await next();
    await heading('Review');
    await h.page.getByRole('button', { name: 'Save as draft' }).click();
    const banner = h.page.getByRole('alert').filter({ hasText: 'settings.voicemailScript line 1, column 4' });
    await banner.waitFor();
    assert.match((await banner.textContent()) ?? '', /not closed.*template_invalid/s);
    await h.shot('voicemail-1-refused');
    const list = await h.apiFromPage<{ items: unknown[] }>('GET', '/campaigns');
    assert.equal(list.body.items.length, 0, 'nothing was saved');
    assert.equal(new URL(h.page.url()).pathname, '/campaigns/new');

    // The banner leads to the field, which says what is wrong and where.
    await h.page.getByRole('button', { name: 'Correct it on the Settings step' }).click();
    await heading('Settings');
    assert.equal(await scriptField.getAttribute('aria-invalid'), 'true');
    await voice()
      .getByText(/^Line 1, column 4: output "\{\{ lead\.first_name " not closed$/)
      .waitFor();
    await h.shot('voicemail-2-field-error');
    // Once the script changes, the server's verdict on the old one is gone.
    await scriptField.fill(script);
    await voice()
      .getByText(/^Line 1, column 4/)
      .waitFor({ state: 'detached' });
    assert.equal(await scriptField.getAttribute('aria-invalid'), null);
  });

  step('the review says it in words; saved as a draft with answeringMachine voicemail and the script', async () => {
    await next();
    await heading('Review');
    await h.page.getByRole('heading', { name: 'Call settings' }).waitFor();
    assert.equal(await callSettings('answeringMachine').textContent(), 'Leave a voicemail after the beep');
    assert.equal(await callSettings('voicemailScript').textContent(), script);
    assert.equal(await callSettings('retries').textContent(), 'No: one call per lead');
    await h.shot('voicemail-3-review');
    await h.page.getByRole('button', { name: 'Save as draft' }).click();
    await h.page.waitForURL((u) => /^\/campaigns\/[0-9a-f-]{36}\/edit$/.test(u.pathname));
    campaignId = new URL(h.page.url()).pathname.split('/')[2]!;
    assert.deepEqual(await settingsOf(campaignId), {
      answeringMachine: 'voicemail',
      voicemailScript: script,
      sendWindow: await tcpaWindow(),
    });
  });

  step('the draft reopens with the choice and the script', async () => {
    await h.page.goto(`${h.t.baseUrl}/campaigns/${campaignId}/edit`);
    await h.page.getByRole('heading', { name: 'Edit draft: Renewal voicemails', level: 1 }).waitFor();
    await h.page.getByRole('button', { name: 'Settings' }).click();
    await heading('Settings');
    assert.equal(await voice().getByLabel('Answering machine').inputValue(), 'voicemail');
    assert.equal(await voice().getByLabel('Voicemail script').inputValue(), script);
    await h.shot('voicemail-4-reopened');
  });

  step('the campaign page shows the call settings in words, the voicemail script as written', async () => {
    await h.page.goto(`${h.t.baseUrl}/campaigns/${campaignId}`);
    await h.page.getByRole('heading', { name: 'Call settings', level: 2 }).waitFor();
    assert.equal(await callSettings('answeringMachine').textContent(), 'Leave a voicemail after the beep');
    assert.equal(await callSettings('voicemailScript').textContent(), script);
    assert.equal(await callSettings('maxConcurrentCalls').textContent(), 'The number’s own limit');
    await h.shot('voicemail-5-campaign-page');
  });

  step('switched to "Hang up": the script is no longer sent; the page says so', async () => {
    await h.page.goto(`${h.t.baseUrl}/campaigns/${campaignId}/edit`);
    await h.page.getByRole('heading', { name: 'Edit draft: Renewal voicemails', level: 1 }).waitFor();
    await h.page.getByRole('button', { name: 'Settings' }).click();
    await heading('Settings');
    await voice().getByLabel('Answering machine').selectOption({ label: 'Hang up' });
    assert.equal(await voice().getByLabel('Voicemail script').count(), 0);
    await voice().getByLabel('Call again (times)').fill('2');
    await voice().getByLabel('Wait before calling again (seconds)').fill('600');
    await next();
    await heading('Review');
    assert.equal(await callSettings('answeringMachine').textContent(), 'Hang up at once when a machine answers');
    assert.equal(await callSettings('voicemailScript').count(), 0);
    await h.page.getByRole('button', { name: 'Save as draft' }).click();
    await h.page.getByText('Draft “Renewal voicemails” saved').waitFor();
    assert.deepEqual(await settingsOf(campaignId), {
      answeringMachine: 'hang_up',
      retryCount: 2,
      retryDelaySeconds: 600,
      sendWindow: await tcpaWindow(),
    });

    await h.page.goto(`${h.t.baseUrl}/campaigns/${campaignId}`);
    await callSettings('answeringMachine').filter({ hasText: 'Hang up at once when a machine answers' }).waitFor();
    assert.equal(await callSettings('retries').textContent(), 'Up to 2 more times, 10 minutes after a busy, unanswered or failed call');
  });
});
