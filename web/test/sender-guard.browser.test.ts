import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe } from '@jest/globals';
import { seedMessages } from '../../backend/src/test/seed-messages';
import { browserHarness, SHOTS } from './harness';

const SID = `AC${'2'.repeat(32)}`;
const REASON = 'bounce rate 6.0 % over 100 messages (threshold 5.0 %)';
const DEFAULTS = { bounceRate: 0.05, complaintRate: 0.003, rejectionRate: 0.1, minSample: 200 };

interface Metrics {
  since: string;
  sent: number;
  bounced: number;
  complained: number;
  rejected: number;
  bounceRate: number;
  complaintRate: number;
  rejectionRate: number;
}
interface Guard {
  enabled: boolean;
  state: 'sending' | 'paused';
  reason: string | null;
  pausedAt: string | null;
  pausedMetrics: Metrics | null;
  metrics: Metrics;
  thresholds: typeof DEFAULTS;
}

describe('Settings and the campaign page in a real browser: the deliverability guard (rates, thresholds, a paused sender, resume)', () => {
  const h = browserHarness({ viewport: { width: 1280, height: 900 } });
  const { step } = h;
  const channel = () => h.page.locator('[data-testid="channel"]', { hasText: 'SMS line' });
  const mailbox = () => h.page.locator('[data-testid="mailbox"]', { hasText: 'sales@acme.test' });
  const ok = <T>(r: { status: number; body: T }) => {
    assert.ok(r.status < 300, JSON.stringify(r.body));
    return r.body;
  };
  const confirm = async (title: string, button: string) => {
    const dialog = h.page.getByRole('dialog', { name: title });
    await dialog.getByRole('button', { name: button }).click();
    await dialog.waitFor({ state: 'hidden' });
  };
  /** The text a field's error paragraph shows, found through the input's aria-describedby as a screen reader would. */
  const fieldError = async (form: ReturnType<typeof h.page.getByRole>, label: string) => {
    const input = form.getByLabel(label, { exact: true });
    assert.equal(await input.getAttribute('aria-invalid'), 'true', `${label} is marked invalid`);
    const ids = (await input.getAttribute('aria-describedby'))!.split(' ');
    return h.page.locator(`[id="${ids.at(-1)}"]`).textContent();
  };
  /** The page's own date words, so the expectation follows the browser's locale like the page does. */
  const dateTime = (iso: string) =>
    h.page.evaluate((iso) => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)), iso);
  /** The bodies of the PATCH requests the page sends to a guard while `fn` runs. */
  const patchesDuring = async (fn: () => Promise<void>) => {
    const bodies: unknown[] = [];
    const listen = (r: { method: () => string; url: () => string; postData: () => string | null }) => {
      if (r.method() === 'PATCH' && r.url().endsWith('/guard')) bodies.push(JSON.parse(r.postData() ?? 'null'));
    };
    h.page.on('request', listen);
    try {
      await fn();
    } finally {
      h.page.off('request', listen);
    }
    return bodies;
  };

  let channelId: string;
  let campaignId: string;
  const guardOf = async (path: string) => ok(await h.apiFromPage<Guard>('GET', path));

  step('a channel with a few messages: the guard part shows the rates against the defaults and that it cannot judge yet', async () => {
    await h.signIn('ann@acme.test', '/settings');
    const { organization } = ok(await h.apiFromPage<{ organization: { id: string } }>('GET', '/session'));
    channelId = ok(
      await h.apiFromPage<{ id: string }>('POST', '/channels', {
        type: 'twilio',
        name: 'SMS line',
        config: { accountSid: SID, from: '+14155550100', baseUrl: h.google.sandbox.url },
        secrets: { authToken: 'sandbox-auth-token-123' },
      }),
    ).id;
    const template = ok(
      await h.apiFromPage<{ id: string }>('POST', '/templates', { name: 'Hi', channel: 'sms', body: 'Hi {{lead.first_name}}' }),
    );
    const leads = ok(
      await h.apiFromPage<{ ids: string[] }>('POST', '/leads', [
        { phone: '+14158030001', consent: { sms: true } },
        { phone: '+14158030002', consent: { sms: true } },
      ]),
    );
    campaignId = ok(
      await h.apiFromPage<{ id: string }>('POST', '/campaigns', {
        name: 'Winter promo',
        type: 'blast',
        sender: { channelId },
        audience: { leadIds: leads.ids },
        steps: [{ channel: 'sms', templateId: template.id }],
      }),
    ).id;
    // 16 messages of the campaign: 8 went out (sent, delivered, failed, unknown: two each); one of them bounced afterwards.
    const [{ id: stepId }] = await h.t.dataSource.query('SELECT id FROM campaign_steps WHERE campaign_id = $1', [campaignId]);
    await seedMessages(h.t.dataSource, { organizationId: organization.id, campaignId, stepId, count: 16 });
    await h.t.dataSource.query(
      `INSERT INTO message_events (organization_id, message_id, source, event_id, type, occurred_at)
       SELECT organization_id, id, 'twilio', 'bounce-1', 'failed', now() FROM messages
        WHERE campaign_id = $1 AND status = 'failed' ORDER BY id LIMIT 1`,
      [campaignId],
    );

    const api = await guardOf(`/channels/${channelId}/guard`);
    assert.deepEqual(
      { state: api.state, enabled: api.enabled, sent: api.metrics.sent, bounced: api.metrics.bounced, thresholds: api.thresholds },
      { state: 'sending', enabled: true, sent: 8, bounced: 1, thresholds: DEFAULTS },
    );
    await h.page.reload();
    const rates = channel().getByTestId('guard-rates');
    assert.equal(
      await rates.textContent(),
      'Deliverability (last 24 h): Bounces 12.5 % of 8 (pauses at 5 %) · Complaints 0 % (0.3 %) · Rejected 0 % (10 %)',
    );
    // 12.5 % is over 5 %, but 8 messages say nothing yet: the page says why nothing paused.
    assert.equal(await channel().getByTestId('guard-sample').textContent(), 'Not enough messages yet to judge (8 of 200)');
    assert.equal(await channel().getByTestId('guard-paused').count(), 0);
    assert.equal(await channel().getByTestId('guard-off').count(), 0);
    await channel().screenshot({ path: resolve(SHOTS, 'guard-channel-defaults.png') });
  });

  step('Adjust thresholds opens the form with the thresholds in force, as percentages', async () => {
    await channel().getByRole('button', { name: 'Adjust the deliverability thresholds of SMS line' }).click();
    const form = h.page.getByRole('form', { name: 'Deliverability thresholds of SMS line' });
    assert.equal(await form.getByLabel('Bounces (%)').inputValue(), '5');
    assert.equal(await form.getByLabel('Complaints (%)').inputValue(), '0.3');
    assert.equal(await form.getByLabel('Rejected (%)').inputValue(), '10');
    assert.equal(await form.getByLabel('Minimum messages').inputValue(), '200');
    assert.equal(await form.getByRole('switch', { name: 'Pause SMS line when a rate crosses its threshold' }).isChecked(), true);
  });

  step('mistakes are named at their fields and nothing is sent', async () => {
    const form = h.page.getByRole('form', { name: 'Deliverability thresholds of SMS line' });
    const bodies = await patchesDuring(async () => {
      await form.getByLabel('Bounces (%)').fill('0');
      await form.getByLabel('Complaints (%)').fill('abc');
      await form.getByLabel('Minimum messages').fill('10');
      await form.getByRole('button', { name: 'Save thresholds' }).click();
      assert.equal(await fieldError(form, 'Bounces (%)'), 'Enter a percentage from 0.01 to 100, with at most three decimals.');
      assert.equal(await fieldError(form, 'Complaints (%)'), 'Enter a percentage from 0.01 to 100, with at most three decimals.');
      assert.equal(await fieldError(form, 'Minimum messages'), 'Enter a whole number of messages from 20 to 1,000,000.');
      // Checked as typed once the first Save showed the problems.
      await form.getByLabel('Rejected (%)').fill('100.5');
      assert.equal(await fieldError(form, 'Rejected (%)'), 'Enter a percentage from 0.01 to 100, with at most three decimals.');
      await form.getByLabel('Rejected (%)').fill('10');
      assert.equal(await form.getByLabel('Rejected (%)').getAttribute('aria-invalid'), null);
      await channel().screenshot({ path: resolve(SHOTS, 'guard-form-refused.png') });
    });
    assert.deepEqual(bodies, [], 'the form sent nothing');
    assert.deepEqual((await guardOf(`/channels/${channelId}/guard`)).thresholds, DEFAULTS);
  });

  step('the API’s own field errors land at the fields too (a body the form would not send, rewritten on the way)', async () => {
    const form = h.page.getByRole('form', { name: 'Deliverability thresholds of SMS line' });
    await form.getByLabel('Bounces (%)').fill('4');
    await form.getByLabel('Complaints (%)').fill('0.3');
    await form.getByLabel('Minimum messages').fill('200');
    await h.page.route('**/api/v1/channels/*/guard', (route) =>
      route.request().method() === 'PATCH' ? route.continue({ postData: JSON.stringify({ bounceRate: 2 }) }) : route.continue(),
    );
    await form.getByRole('button', { name: 'Save thresholds' }).click();
    await form.getByRole('alert').filter({ hasText: '(validation_failed)' }).waitFor();
    assert.match((await fieldError(form, 'Bounces (%)'))!, /^bounceRate must not be greater than 1$/);
    await h.page.unrouteAll();
    // Editing the field drops the answer about the values sent.
    await form.getByLabel('Bounces (%)').fill('4.5');
    assert.equal(await form.getByLabel('Bounces (%)').getAttribute('aria-invalid'), null);
    assert.deepEqual((await guardOf(`/channels/${channelId}/guard`)).thresholds, DEFAULTS);
  });

  step('saving sends only what changed, as fractions; the line shows the new thresholds and that the guard is off', async () => {
    const form = h.page.getByRole('form', { name: 'Deliverability thresholds of SMS line' });
    await form.getByLabel('Bounces (%)').fill('2.5');
    await form.getByLabel('Complaints (%)').fill('0.125 %');
    await form.getByLabel('Minimum messages').fill('50');
    await form.getByRole('switch', { name: 'Pause SMS line when a rate crosses its threshold' }).uncheck();
    await form.getByText('Off: the rates are still counted and shown, but nothing pauses SMS line.').waitFor();
    await channel().screenshot({ path: resolve(SHOTS, 'guard-form.png') });
    const bodies = await patchesDuring(async () => {
      await form.getByRole('button', { name: 'Save thresholds' }).click();
      await form.waitFor({ state: 'detached' });
    });
    // The rejection threshold was left as shown: it keeps following the default.
    assert.deepEqual(bodies, [{ enabled: false, bounceRate: 0.025, complaintRate: 0.00125, minSample: 50 }]);
    const saved = await guardOf(`/channels/${channelId}/guard`);
    assert.equal(saved.enabled, false);
    assert.deepEqual(saved.thresholds, { bounceRate: 0.025, complaintRate: 0.00125, rejectionRate: 0.1, minSample: 50 });
    assert.equal(
      await channel().getByTestId('guard-rates').textContent(),
      'Deliverability (last 24 h): Bounces 12.5 % of 8 (pauses at 2.5 %) · Complaints 0 % (0.125 %) · Rejected 0 % (10 %)',
    );
    assert.equal(await channel().getByTestId('guard-sample').textContent(), 'Not enough messages yet to judge (8 of 50)');
    assert.equal(await channel().getByTestId('guard-off').textContent(), 'Guard off: the rates are counted, but it never pauses SMS line.');
    await channel().screenshot({ path: resolve(SHOTS, 'guard-channel-adjusted.png') });
  });

  step(
    '"Reset thresholds to defaults" sends nulls: the defaults apply again, the switch stays as saved; switching it on sends only that',
    async () => {
      await channel().getByRole('button', { name: 'Adjust the deliverability thresholds of SMS line' }).click();
      const form = h.page.getByRole('form', { name: 'Deliverability thresholds of SMS line' });
      assert.equal(await form.getByLabel('Bounces (%)').inputValue(), '2.5');
      assert.equal(await form.getByLabel('Complaints (%)').inputValue(), '0.125');
      const reset = await patchesDuring(async () => {
        await form.getByRole('button', { name: 'Reset thresholds to defaults' }).click();
        await form.waitFor({ state: 'detached' });
      });
      assert.deepEqual(reset, [{ bounceRate: null, complaintRate: null, rejectionRate: null, minSample: null }]);
      const afterReset = await guardOf(`/channels/${channelId}/guard`);
      assert.deepEqual(afterReset.thresholds, DEFAULTS);
      assert.equal(afterReset.enabled, false);
      assert.equal(await channel().getByTestId('guard-sample').textContent(), 'Not enough messages yet to judge (8 of 200)');

      await channel().getByRole('button', { name: 'Adjust the deliverability thresholds of SMS line' }).click();
      assert.equal(await form.getByLabel('Bounces (%)').inputValue(), '5');
      await form.getByRole('switch', { name: 'Pause SMS line when a rate crosses its threshold' }).check();
      const on = await patchesDuring(async () => {
        await form.getByRole('button', { name: 'Save thresholds' }).click();
        await form.waitFor({ state: 'detached' });
      });
      assert.deepEqual(on, [{ enabled: true }]);
      assert.equal((await guardOf(`/channels/${channelId}/guard`)).enabled, true);
      assert.equal(await channel().getByTestId('guard-off').count(), 0);
    },
  );

  step('a Gmail mailbox has its own guard: defaults, nothing sent yet, and its own thresholds', async () => {
    await h.page.getByRole('link', { name: 'Connect Gmail' }).click();
    await h.consent('sales@acme.test', 'Continue');
    await h.page.waitForURL((u) => u.pathname === '/settings');
    await mailbox().getByText('Connected', { exact: true }).waitFor();
    const accounts = ok(await h.apiFromPage<{ items: Array<{ id: string; email: string }> }>('GET', '/email-accounts'));
    const accountId = accounts.items.find((a) => a.email === 'sales@acme.test')!.id;
    assert.equal(
      await mailbox().getByTestId('guard-rates').textContent(),
      'Deliverability (last 24 h): Bounces 0 % of 0 (pauses at 5 %) · Complaints 0 % (0.3 %) · Rejected 0 % (10 %)',
    );
    assert.equal(await mailbox().getByTestId('guard-sample').textContent(), 'Not enough messages yet to judge (0 of 200)');
    await mailbox().getByRole('button', { name: 'Adjust the deliverability thresholds of sales@acme.test' }).click();
    const form = h.page.getByRole('form', { name: 'Deliverability thresholds of sales@acme.test' });
    await form.getByLabel('Minimum messages').fill('1,000');
    await form.getByRole('button', { name: 'Save thresholds' }).click();
    await form.waitFor({ state: 'detached' });
    assert.deepEqual((await guardOf(`/email-accounts/${accountId}/guard`)).thresholds, { ...DEFAULTS, minSample: 1000 });
    assert.equal(await mailbox().getByTestId('guard-sample').textContent(), 'Not enough messages yet to judge (0 of 1,000)');
    // The channel's guard is its own.
    assert.equal((await guardOf(`/channels/${channelId}/guard`)).thresholds.minSample, 200);
    await mailbox().screenshot({ path: resolve(SHOTS, 'guard-mailbox.png') });
  });

  let pausedAt: string;

  step('a channel the guard paused shows in red on Settings: when, why, and "Resume sending"', async () => {
    assert.equal((await h.apiFromPage('POST', `/campaigns/${campaignId}/launch`)).status, 202);
    // The guard pauses a sender at lease, which needs real sending: the test writes the pause the way the guard does.
    const paused = { since: new Date(Date.now() - 86_400_000).toISOString(), sent: 100, bounced: 6, complained: 0, rejected: 0 };
    await h.t.dataSource.query(
      `INSERT INTO sender_guards (organization_id, channel_id, enabled, paused_at, paused_reason, paused_metrics)
       SELECT organization_id, id, true, now(), $2, $3 FROM channel_connections WHERE id = $1
       ON CONFLICT (channel_id) WHERE channel_id IS NOT NULL
       DO UPDATE SET paused_at = excluded.paused_at, paused_reason = excluded.paused_reason, paused_metrics = excluded.paused_metrics`,
      [channelId, REASON, JSON.stringify(paused)],
    );
    const api = await guardOf(`/channels/${channelId}/guard`);
    assert.equal(api.state, 'paused');
    assert.equal(api.reason, REASON);
    pausedAt = api.pausedAt!;

    await h.page.reload();
    const alert = channel().getByTestId('guard-paused');
    assert.equal(
      await alert.locator('.guard-reason').textContent(),
      `Paused by the deliverability guard on ${await dateTime(pausedAt)}: ${REASON}`,
    );
    await alert.getByText('Every campaign that sends with SMS line waits until you resume it.').waitFor();
    await alert.getByRole('button', { name: 'Resume sending with SMS line' }).waitFor();
    await channel().screenshot({ path: resolve(SHOTS, 'guard-channel-paused.png') });
  });

  step('the campaign that sends with it says so at the top, with a link to the sender in Settings', async () => {
    await h.page.goto(`${h.t.baseUrl}/campaigns/${campaignId}`);
    await h.page.getByRole('heading', { name: 'Winter promo', level: 1 }).waitFor();
    const banner = h.page.getByTestId('sender-paused');
    await banner.waitFor();
    assert.equal(await banner.getByRole('alert').textContent(), `Sending is paused: SMS line’s ${REASON}. Resume it in Settings`);
    // The campaign itself is still active: it waits for its sender.
    assert.equal((await h.apiFromPage<{ status: string }>('GET', `/campaigns/${campaignId}`)).body.status, 'active');
    await h.shot('guard-campaign-banner');
    await banner.getByRole('link', { name: 'Resume it in Settings' }).click();
    await h.page.waitForURL((u) => u.pathname === '/settings' && u.hash === `#guard-channel-${channelId}`);
    await channel().getByTestId('guard-paused').waitFor();
    // The link lands on the sender: its guard is brought into view.
    const box = await channel().getByTestId('guard').boundingBox();
    assert.ok(box && box.y >= 0 && box.y + box.height <= 900, `the guard is in view (${JSON.stringify(box)})`);
  });

  step('"Resume sending" asks first; confirmed, the sender sends again, its count restarts and the banner is gone', async () => {
    const resume = () => channel().getByRole('button', { name: 'Resume sending with SMS line' }).click();
    await resume();
    const dialog = h.page.getByRole('dialog', { name: 'Resume sending with SMS line?' });
    await dialog.getByText('Campaigns that send with SMS line start sending again at once.').waitFor();
    await dialog.getByText(/counts its rates afresh from now/).waitFor();
    await h.shot('guard-resume-confirm');
    // "Keep as is" changes nothing.
    await confirm('Resume sending with SMS line?', 'Keep as is');
    assert.equal((await guardOf(`/channels/${channelId}/guard`)).state, 'paused');

    await resume();
    await confirm('Resume sending with SMS line?', 'Resume sending');
    await channel().getByTestId('guard-paused').waitFor({ state: 'detached' });
    const api = await guardOf(`/channels/${channelId}/guard`);
    assert.equal(api.state, 'sending');
    assert.equal(api.reason, null);
    assert.ok(Date.parse(api.metrics.since) > Date.parse(pausedAt), 'the count starts at the resume');
    // The seeded messages went out before the resume: they no longer count.
    assert.equal(
      await channel().getByTestId('guard-rates').textContent(),
      `Deliverability (since the resume on ${await dateTime(api.metrics.since)}): Bounces 0 % of 0 (pauses at 5 %) · Complaints 0 % (0.3 %) · Rejected 0 % (10 %)`,
    );
    assert.equal(await channel().getByTestId('guard-sample').textContent(), 'Not enough messages yet to judge (0 of 200)');
    await channel().screenshot({ path: resolve(SHOTS, 'guard-channel-resumed.png') });

    // Back to the campaign (in the app, as the link came): Settings and the campaign page share the guard's answer.
    await h.page.goBack();
    await h.page.waitForURL((u) => u.pathname === `/campaigns/${campaignId}`);
    await h.page.getByRole('heading', { name: 'Winter promo', level: 1 }).waitFor();
    await h.page.getByTestId('counters').waitFor();
    assert.equal(await h.page.getByTestId('sender-paused').count(), 0);
    // And after a fresh load, from the server.
    const guardRead = h.page.waitForResponse((r) => r.url().endsWith(`/channels/${channelId}/guard`) && r.request().method() === 'GET');
    await h.page.reload();
    assert.equal(((await (await guardRead).json()) as Guard).state, 'sending');
    await h.page.getByTestId('counters').waitFor();
    assert.equal(await h.page.getByTestId('sender-paused').count(), 0);
  });
});
