import assert from 'node:assert/strict';
import { describe } from '@jest/globals';
import { browserHarness } from './harness';

describe('web UI in a real browser: WhatsApp templates (sync, preview, sample CSV, use) and retry of failed messages', () => {
  const h = browserHarness({ viewport: { width: 1280, height: 900 } });
  const { step } = h;
  let channelId: string;
  const ok = <T>(r: { status: number; body: T }) => {
    assert.ok(r.status < 300, JSON.stringify(r.body));
    return r.body;
  };
  const rows = () => h.page.locator('[data-testid="wa-template-row"]');

  step('signs in, syncs the business account templates from Meta and lists the approved ones', async () => {
    await h.signIn('ann@acme.test', '/whatsapp');
    await h.page.getByRole('heading', { name: 'WhatsApp templates', level: 1 }).waitFor();
    await h.page.getByText('No template synced yet').waitFor();
    channelId = ok(
      await h.apiFromPage<{ id: string }>('POST', '/channels', {
        type: 'whatsapp',
        name: 'WhatsApp',
        config: { phoneNumberId: '106540352242922', businessAccountId: '102290129340398', baseUrl: h.google.sandbox.url },
        secrets: { accessToken: 'EAAG-browser', appSecret: 'app-secret' },
      }),
    ).id;
    await h.page.getByRole('button', { name: 'Sync from Meta' }).click();
    await h.page.getByText('6 templates synced').waitFor();
    await rows().nth(2).waitFor();
    const names = (await rows().locator('[data-col="name"]').allInnerTexts()).map((s) => s.trim()).sort();
    assert.deepEqual(names, ['order_update', 'spring_offer', 'summer_launch'], 'approved only by default');
    await h.page.getByLabel('Approved only').uncheck();
    await rows().nth(5).waitFor();
    assert.equal(await rows().filter({ hasText: 'winter_promo' }).locator('[data-col="status"]').innerText(), 'paused');
  });

  step('previews a template as the recipient reads it and offers its sample CSV', async () => {
    await h.page.getByRole('button', { name: 'Preview summer_launch (en_US)' }).click();
    const preview = h.page.getByTestId('wa-preview');
    await preview.waitFor();
    const bubble = preview.getByLabel('Preview of the message');
    assert.match(
      await bubble.innerText(),
      /Summer sale, Ann\s+Hi Ann, take 20% off everything this week\.\s+Reply STOP to opt out\s+Shop now/,
    );
    const columns = (await preview.getByTestId('wa-columns').locator('code').allInnerTexts()).map((s) => s.trim());
    assert.deepEqual(columns, ['header_param_1', 'body_param_1', 'body_param_2', 'button_url_param']);
    const href = await preview.getByRole('link', { name: 'Download sample CSV' }).getAttribute('href');
    // The browser's own session downloads it (the page context shares its cookies).
    const csv = await h.page.context().request.get(`${h.t.baseUrl}${href!}`);
    assert.equal(csv.status(), 200);
    assert.equal(
      (await csv.text()).split('\r\n')[0],
      'country_code,phone_number,first_name,whatsapp_opt_in,header_param_1,body_param_1,body_param_2,button_url_param',
    );
    await h.shot('whatsapp-01-preview');
  });

  step('a paused template cannot be used; an approved one becomes a campaign template with its parameters mapped', async () => {
    await h.page.getByRole('button', { name: 'Preview winter_promo (en_US)' }).click();
    assert.equal(await h.page.getByRole('button', { name: 'Use in a campaign' }).isDisabled(), true);
    await h.page.getByRole('button', { name: 'Preview summer_launch (en_US)' }).click();
    await h.page.getByRole('button', { name: 'Use in a campaign' }).click();
    await h.page.waitForURL((u) => /^\/templates\/[0-9a-f-]{36}$/.test(u.pathname));
    const id = new URL(h.page.url()).pathname.split('/').pop()!;
    const template = ok(await h.apiFromPage<{ whatsapp: Record<string, unknown> }>('GET', `/templates/${id}`));
    assert.deepEqual(template.whatsapp.parameters, ['{{ lead.body_param_1 }}', '{{ lead.body_param_2 }}']);
    assert.deepEqual(template.whatsapp.buttonParameters, ['{{ lead.button_url_param }}']);
  });

  step(
    'the editor picks an approved template from the synced catalog; named parameters and a media header survive a save and a reload',
    async () => {
      // Still on the editor of the summer_launch campaign template.
      const picker = h.page.getByLabel('Approved template', { exact: true });
      await h.page.getByRole('option', { name: 'order_update (en_US, utility)' }).waitFor({ state: 'attached' });
      assert.equal(await picker.inputValue(), 'summer_launch\u0000en_US');
      const options = (await picker.locator('option').allInnerTexts()).map((o) => o.trim());
      assert.ok(!options.some((o) => o.startsWith('winter_promo')), 'a paused template is not offered');
      await picker.selectOption({ label: 'order_update (en_US, utility)' });
      assert.equal(await h.page.getByLabel('Approved template name').inputValue(), 'order_update');
      assert.equal(await h.page.getByLabel('Body {{first_name}} (Liquid)').inputValue(), '{{ lead.body_param_first_name }}');
      assert.equal(await h.page.getByLabel('Body {{order_id}} (Liquid)').inputValue(), '{{ lead.body_param_order_id }}');
      // A named template's placeholders come from Meta: none can be added by hand.
      assert.equal(await h.page.getByRole('button', { name: 'Add body parameter' }).count(), 0);
      await h.page.getByLabel('Header media').selectOption('document');
      await h.page.getByLabel('Media link (Liquid)').fill('https://files.example.com/{{ lead.order_id }}.pdf');
      await h.page.getByLabel('File name').fill('order.pdf');
      await h.page.getByRole('button', { name: 'Save changes' }).click();
      await h.page.getByText('Template “WhatsApp: summer_launch (en_US)” saved').waitFor();
      const id = new URL(h.page.url()).pathname.split('/').pop()!;
      const saved = ok(await h.apiFromPage<{ whatsapp: Record<string, unknown> }>('GET', `/templates/${id}`)).whatsapp;
      assert.equal(saved.name, 'order_update');
      assert.deepEqual(saved.parameterNames, ['first_name', 'order_id']);
      assert.deepEqual(saved.headerMedia, {
        format: 'document',
        link: 'https://files.example.com/{{ lead.order_id }}.pdf',
        filename: 'order.pdf',
      });
      await h.page.reload();
      assert.equal(await h.page.getByLabel('Header media').inputValue(), 'document');
      assert.equal(await h.page.getByLabel('File name').inputValue(), 'order.pdf');
      assert.equal(await h.page.getByLabel('Body {{order_id}} (Liquid)').inputValue(), '{{ lead.body_param_order_id }}');
      await h.shot('whatsapp-02-editor-picker');
    },
  );

  step('a finished blast with failures offers "Retry failed", which queues the retryable ones again', async () => {
    const organizationId = ok(await h.apiFromPage<{ organization: { id: string } }>('GET', '/session')).organization.id;
    const template = ok(
      await h.apiFromPage<{ id: string }>('POST', '/templates', {
        name: 'Spring',
        channel: 'whatsapp',
        whatsapp: { name: 'spring_offer', language: 'en_US', parameters: ['{{ lead.first_name }}'] },
      }),
    );
    const campaignId = ok(
      await h.apiFromPage<{ id: string }>('POST', '/campaigns', {
        name: 'WhatsApp spring',
        type: 'blast',
        sender: { channelId },
        audience: { all: true },
        steps: [{ templateId: template.id }],
        settings: { ratePerSecond: 5 },
      }),
    ).id;
    const [{ id: stepId }] = await h.t.dataSource.query('SELECT id FROM campaign_steps WHERE campaign_id = $1', [campaignId]);
    for (const [i, code] of ['131056', '131056', '131050'].entries()) {
      await h.t.dataSource.query(
        `INSERT INTO messages (organization_id, campaign_id, step_id, position, channel, status, to_address, attempts, error_code, error_message)
         VALUES ($1, $2, $3, 0, 'whatsapp', 'failed', $4, 1, $5, 'refused')`,
        [organizationId, campaignId, stepId, `+1415555000${i}`, code],
      );
    }
    await h.t.dataSource.query(`UPDATE campaigns SET status = 'completed', completed_at = now(), materialized_at = now() WHERE id = $1`, [
      campaignId,
    ]);
    await h.page.goto(`${h.t.baseUrl}/campaigns/${campaignId}`);
    await h.page.getByRole('button', { name: 'Retry failed' }).click();
    await h.page.getByRole('dialog', { name: 'Retry the failed messages?' }).getByRole('button', { name: 'Retry failed' }).click();
    await h.page.getByText('2 failed messages queued again; 1 not retried').waitFor();
    const [{ n }] = await h.t.dataSource.query(`SELECT count(*)::int AS n FROM messages WHERE campaign_id = $1 AND status = 'queued'`, [
      campaignId,
    ]);
    assert.equal(n, 2);
  });
});
