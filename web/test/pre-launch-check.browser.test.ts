import assert from 'node:assert/strict';
import { describe } from '@jest/globals';
import { browserHarness } from './harness';
import { wizardSteps } from './wizard-steps';

/**
 * The pre-launch check in the wizard's review: "Save and check" saves the draft and shows what the server
 * found. A channel whose last test failed is a blocking finding: Launch is disabled and says why. Once the
 * channel works, the check shows the warnings (a lead missing a variable) and when the last message goes out.
 */
describe('pre-launch check in a real browser', () => {
  const h = browserHarness({ viewport: { width: 1280, height: 1000 } });
  const { created, next, heading, oneStepCampaign } = wizardSteps(h);
  const { step } = h;
  let channelId = '';

  const launch = () => h.page.getByRole('button', { name: 'Launch', exact: true });

  step('a failed channel test blocks: Launch disabled with the reason', async () => {
    await h.signIn('check@acme.test', '/campaigns');
    channelId = await created('/channels', {
      type: 'twilio',
      name: 'Text line',
      config: { accountSid: `AC${'8'.repeat(32)}`, from: '+14155550100', baseUrl: h.google.sandbox.url, ratePerSecond: 2 },
      secrets: { authToken: 'sandbox-auth-token-123' },
    });
    await h.t.dataSource.query(`UPDATE channel_connections SET status = 'error', last_error = 'Authenticate (20003)' WHERE id = $1`, [
      channelId,
    ]);
    await created('/templates', { name: 'Reminder SMS', channel: 'sms', body: 'Hi {{ lead.firstName }}, your visit is tomorrow.' });
    await created('/leads', [
      { firstName: 'Ana', phone: '+14158050001', consent: { sms: true } },
      { phone: '+14158050002', consent: { sms: true } },
    ]);

    await oneStepCampaign({ name: 'Visit reminders', channel: 'sms', sender: 'Text line (Twilio)', template: 'Reminder SMS' });
    await next();
    await heading('Settings');
    await next();
    await heading('Review');
    assert.equal(await launch().isEnabled(), true, 'nothing checked yet: launch (which runs the check) is available');
    await h.page.getByRole('button', { name: 'Save and check' }).click();
    const blockingList = h.page.getByTestId('check-blocking');
    await blockingList.waitFor();
    assert.match((await blockingList.locator('[data-code="channel_test_failed"]').textContent()) ?? '', /Authenticate \(20003\)/);
    assert.equal(await launch().isDisabled(), true);
    assert.match((await h.page.getByTestId('launch-blocked').textContent()) ?? '', /1 blocking problem/);
    assert.equal(await launch().getAttribute('aria-describedby'), 'launch-blocked');
    await h.shot('pre-launch-check-1-blocked');
  });

  step('fixed, the check shows the warnings and the ETA, and Launch is enabled', async () => {
    await h.t.dataSource.query(`UPDATE channel_connections SET status = 'connected', last_error = NULL WHERE id = $1`, [channelId]);
    await h.page.getByRole('button', { name: 'Save and check again' }).click();
    await h.page.getByTestId('check-ok').waitFor();
    assert.equal(await h.page.getByTestId('check-blocking').count(), 0);
    const missing = h.page.getByTestId('check-missing-variables');
    assert.match((await missing.textContent()) ?? '', /lead\.firstName\s*1/);
    await h.page.getByTestId('check-warnings').locator('[data-code="missing_variable"]').waitFor();
    const at = (await h.page.getByTestId('check-eta-at').textContent()) ?? '';
    assert.ok(at.length > 5 && at !== '—', `an ETA date: ${at}`);
    assert.match((await h.page.getByTestId('check-eta-sender').textContent()) ?? '', /^Text line: 2 messages, last /);
    assert.equal(await launch().isEnabled(), true);
    await h.shot('pre-launch-check-2-ok');
  });
});
