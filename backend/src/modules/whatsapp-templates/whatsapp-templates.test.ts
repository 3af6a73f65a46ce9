import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startSandbox } from '@cadence/sandbox';
import { startTestApp, TestApp } from '../../test/test-app';
import { SenderResolver } from '../lease/sender-resolver';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

const PHONE_ID = '106540352242922';
const WABA = '102290129340398';

describe('WhatsApp template catalog: sync from the Graph API, sample CSV, launch checks', () => {
  let t: TestApp;
  let sb: Sandbox;
  let key: string;
  let orgId: string;
  let otherKey: string;
  let channelId: string;

  const control = (method: string, path: string, body: unknown) =>
    fetch(`${sb.url}/_sandbox${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const sync = (body: unknown = { channelId }, k = key) => t.request('POST', '/api/v1/whatsapp/templates/sync', { key: k, body });
  const byName = async (name: string) => {
    const list = await t.request('GET', `/api/v1/whatsapp/templates?channelId=${channelId}&limit=500`, { key });
    return (list.body.items as Array<{ id: string; name: string; status: string }>).find((x) => x.name === name)!;
  };

  beforeAll(async () => {
    sb = await startSandbox({ port: 0, rateLimits: false });
    await control('POST', '/credentials/whatsapp', { phoneNumberId: PHONE_ID, accessToken: 'EAAG-right', wabaId: WABA });
    // No scheduler: nothing completes or leases the launched campaigns behind the test's back.
    t = await startTestApp({ env: { WHATSAPP_TEMPLATE_SYNC_INTERVAL_MS: '0', SCHEDULER_INTERVAL_MS: '0' } });
    ({ apiKey: key, organizationId: orgId } = await t.createOrg('Acme'));
    otherKey = (await t.createOrg('Other')).apiKey;
    const channel = await t.request('POST', '/api/v1/channels', {
      key,
      body: {
        type: 'whatsapp',
        name: 'WhatsApp',
        config: { phoneNumberId: PHONE_ID, businessAccountId: WABA, baseUrl: sb.url },
        secrets: { accessToken: 'EAAG-right', appSecret: 'app-secret' },
      },
    });
    assert.equal(channel.status, 201, JSON.stringify(channel.body));
    channelId = channel.body.id;
  });
  afterAll(async () => {
    await t?.close();
    await sb?.close();
  });

  it('syncs name, language, category, status and placeholders (positional, named, header, button URL suffix)', async () => {
    const res = await sync();
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.channels, [
      {
        channelId,
        templates: 6,
        changed: 6,
        suspendedCampaigns: [],
        // The sandbox's number reports Meta's defaults for a new business.
        limits: { throughputLevel: 'STANDARD', throughputPerSecond: 80, messagingLimitTier: 'TIER_1K', dailyLimit: 1000 },
      },
    ]);
    const again = await sync();
    assert.equal(again.body.channels[0].changed, 0, 'nothing changed at Meta');

    const summer = (await t.request('GET', `/api/v1/whatsapp/templates/${(await byName('summer_launch')).id}`, { key })).body;
    assert.equal(summer.status, 'APPROVED');
    assert.equal(summer.sendable, true);
    assert.equal(summer.category, 'MARKETING');
    assert.equal(summer.language, 'en_US');
    assert.deepEqual(
      summer.placeholders.map((p: { part: string; column: string; example?: string }) => [p.part, p.column, p.example]),
      [
        ['header', 'header_param_1', 'Ann'],
        ['body', 'body_param_1', 'Ann'],
        ['body', 'body_param_2', '20%'],
        ['button', 'button_url_param', 'summer'],
      ],
    );
    assert.deepEqual(summer.suggestedSpec, {
      name: 'summer_launch',
      language: 'en_US',
      parameters: ['{{ lead.body_param_1 }}', '{{ lead.body_param_2 }}'],
      headerParameters: ['{{ lead.header_param_1 }}'],
      buttonParameters: ['{{ lead.button_url_param }}'],
    });
    const named = (await t.request('GET', `/api/v1/whatsapp/templates/${(await byName('order_update')).id}`, { key })).body;
    assert.equal(named.parameterFormat, 'NAMED');
    assert.deepEqual(
      named.placeholders.map((p: { key: string; column: string }) => [p.key, p.column]),
      [
        ['first_name', 'body_param_first_name'],
        ['order_id', 'body_param_order_id'],
      ],
    );
    assert.deepEqual(named.suggestedSpec.parameterNames, ['first_name', 'order_id'], 'a named template is filled by name');
    const approved = await t.request('GET', '/api/v1/whatsapp/templates?status=APPROVED', { key });
    assert.deepEqual(approved.body.items.map((x: { name: string }) => x.name).sort(), ['order_update', 'spring_offer', 'summer_launch']);
    assert.equal((await t.request('GET', '/api/v1/whatsapp/templates?status=MAYBE', { key })).status, 400);
  });

  it('follows the Graph paging through a catalog larger than a page, and marks templates gone from Meta as DELETED', async () => {
    const many = Array.from({ length: 130 }, (_, i) => ({
      name: `bulk_${String(i).padStart(3, '0')}`,
      language: 'en_US',
      components: [{ type: 'BODY', text: 'Hello {{1}}' }],
    }));
    many.push({ name: 'spring_offer', language: 'en_US', components: [{ type: 'BODY', text: 'Hi {{1}}, spring prices are here.' }] });
    assert.equal((await control('PUT', `/whatsapp/templates/${WABA}`, { templates: many })).status, 200);
    const res = await sync();
    assert.equal(res.body.channels[0].templates, 131);
    const rows: Array<{ status: string; n: number }> = await t.dataSource.query(
      `SELECT status, count(*)::int AS n FROM whatsapp_templates WHERE channel_id = $1 GROUP BY status ORDER BY status`,
      [channelId],
    );
    // The five defaults other than spring_offer are no longer listed.
    assert.deepEqual(rows, [
      { status: 'APPROVED', n: 131 },
      { status: 'DELETED', n: 5 },
    ]);
  });

  it('answers a sample CSV with exactly the recipient columns and the template placeholders', async () => {
    await control('PUT', `/whatsapp/templates/${WABA}`, {
      templates: [
        {
          name: 'summer_launch',
          language: 'en_US',
          components: [
            { type: 'HEADER', format: 'TEXT', text: 'Summer sale, {{1}}' },
            { type: 'BODY', text: 'Hi {{1}}, take {{2}} off.', example: { body_text: [['Ann', '20%']] } },
            { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Shop', url: 'https://shop.example.com/{{1}}', example: ['x'] }] },
          ],
        },
        { name: 'spring_offer', language: 'en_US', components: [{ type: 'BODY', text: 'Hi {{1}}' }] },
      ],
    });
    await sync();
    const id = (await byName('summer_launch')).id;
    const res = await fetch(`${t.baseUrl}/api/v1/whatsapp/templates/${id}/sample.csv`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/csv/);
    assert.match(res.headers.get('content-disposition') ?? '', /summer_launch-en_US-sample\.csv/);
    const lines = (await res.text()).trim().split('\r\n');
    assert.equal(
      lines[0],
      'country_code,phone_number,first_name,whatsapp_opt_in,header_param_1,body_param_1,body_param_2,button_url_param',
    );
    assert.equal(lines.length, 3, 'a header and two example rows');
    assert.equal(lines[1], '1,4155550101,Ann,yes,header 1,Ann,20%,x');
  });

  it('refuses to launch an unapproved template or parameters that do not fit, launches a fitting one', async () => {
    await control('PUT', `/whatsapp/templates/${WABA}`, {
      templates: [
        { name: 'spring_offer', language: 'en_US', components: [{ type: 'BODY', text: 'Hi {{1}}' }] },
        { name: 'winter_promo', language: 'en_US', status: 'PAUSED', components: [{ type: 'BODY', text: 'Deals {{1}}' }] },
        {
          name: 'order_update',
          language: 'en_US',
          parameter_format: 'NAMED',
          components: [{ type: 'BODY', text: 'Hi {{first_name}}, {{order_id}}' }],
        },
      ],
    });
    await sync();
    await t.request('POST', '/api/v1/leads', { key, body: { phone: '+15557001234', firstName: 'Ann', consent: { whatsapp: true } } });
    const campaignWith = async (whatsapp: Record<string, unknown>) => {
      const template = await t.request('POST', '/api/v1/templates', {
        key,
        body: { name: `wa ${JSON.stringify(whatsapp)}`, channel: 'whatsapp', whatsapp },
      });
      assert.equal(template.status, 201, JSON.stringify(template.body));
      const campaign = await t.request('POST', '/api/v1/campaigns', {
        key,
        body: {
          name: 'WA',
          type: 'blast',
          sender: { channelId },
          audience: { all: true },
          steps: [{ templateId: template.body.id }],
          settings: { ratePerSecond: 5 },
        },
      });
      assert.equal(campaign.status, 201, JSON.stringify(campaign.body));
      return campaign.body.id as string;
    };
    const launch = (id: string) => t.request('POST', `/api/v1/campaigns/${id}/launch`, { key });

    const paused = await launch(await campaignWith({ name: 'winter_promo', language: 'en_US', parameters: ['{{ lead.first_name }}'] }));
    assert.equal(paused.status, 422);
    assert.equal(paused.body.code, 'whatsapp_template_not_approved');
    assert.match(paused.body.message, /PAUSED/);
    const unknown = await launch(await campaignWith({ name: 'no_such_template', language: 'en_US' }));
    assert.equal(unknown.body.code, 'whatsapp_template_not_approved');
    const wrongLanguage = await launch(await campaignWith({ name: 'spring_offer', language: 'fr_FR', parameters: ['x'] }));
    assert.equal(wrongLanguage.body.code, 'whatsapp_template_not_approved');
    const tooMany = await launch(await campaignWith({ name: 'spring_offer', language: 'en_US', parameters: ['a', 'b'] }));
    assert.equal(tooMany.status, 422);
    assert.equal(tooMany.body.code, 'whatsapp_template_parameters_mismatch');
    assert.match(tooMany.body.message, /body has 1 placeholder/);
    const refusedStatus = await t.request('GET', `/api/v1/campaigns/${await campaignWith({ name: 'winter_promo', language: 'en_US' })}`, {
      key,
    });
    assert.equal(refusedStatus.body.status, 'draft', 'a refused launch leaves the draft as it was');

    const unnamed = await launch(await campaignWith({ name: 'order_update', language: 'en_US', parameters: ['a', 'b'] }));
    assert.equal(unnamed.body.code, 'whatsapp_template_parameters_mismatch', 'a named template needs parameterNames');
    assert.match(unnamed.body.message, /named placeholders are first_name, order_id/);
    const namedOk = await launch(
      await campaignWith({ name: 'order_update', language: 'en_US', parameters: ['a', 'b'], parameterNames: ['first_name', 'order_id'] }),
    );
    assert.equal(namedOk.status, 202, JSON.stringify(namedOk.body));

    // An A/B variant's template is checked as the step's own: variant B names the paused template.
    const pausedVariant = (
      await t.request('POST', '/api/v1/templates', {
        key,
        body: { name: 'wa variant B', channel: 'whatsapp', whatsapp: { name: 'winter_promo', language: 'en_US', parameters: ['x'] } },
      })
    ).body.id as string;
    const abCampaign = await campaignWith({ name: 'spring_offer', language: 'en_US', parameters: ['{{ lead.last_name }}'] });
    const stepTemplate = (await t.request('GET', `/api/v1/campaigns/${abCampaign}`, { key })).body.steps[0].templateId as string;
    const withVariants = await t.request('PATCH', `/api/v1/campaigns/${abCampaign}`, {
      key,
      body: {
        steps: [
          {
            templateId: stepTemplate,
            variants: [
              { templateId: stepTemplate, percent: 50 },
              { templateId: pausedVariant, percent: 50 },
            ],
          },
        ],
      },
    });
    assert.equal(withVariants.status, 200, JSON.stringify(withVariants.body));
    const variantRefused = await launch(abCampaign);
    assert.equal(variantRefused.status, 422);
    assert.equal(variantRefused.body.code, 'whatsapp_template_not_approved');
    assert.match(variantRefused.body.message, /Step 1 variant B \(template "wa variant B"\).*PAUSED/);

    const fitting = await campaignWith({ name: 'spring_offer', language: 'en_US', parameters: ['{{ lead.first_name }}'] });
    const ok = await launch(fitting);
    assert.equal(ok.status, 202, JSON.stringify(ok.body));

    // Meta pauses the template: the next sync pauses the campaign sending it, saying why.
    await control('POST', `/whatsapp/templates/${WABA}/status`, { name: 'spring_offer', status: 'PAUSED' });
    const res = await sync();
    assert.deepEqual(res.body.channels[0].suspendedCampaigns, [fitting]);
    const campaign = (await t.request('GET', `/api/v1/campaigns/${fitting}`, { key })).body;
    assert.equal(campaign.status, 'paused');
    assert.match(campaign.statusReason, /spring_offer \(en_US\) is PAUSED/);
  });

  it("applies Meta's message_template_status_update webhook at once: a paused template pauses its campaigns", async () => {
    await control('PUT', `/whatsapp/templates/${WABA}`, {
      templates: [{ name: 'autumn_sale', language: 'en_US', components: [{ type: 'BODY', text: 'Hi {{1}}' }] }],
    });
    await sync();
    const template = await t.request('POST', '/api/v1/templates', {
      key,
      body: {
        name: 'autumn',
        channel: 'whatsapp',
        whatsapp: { name: 'autumn_sale', language: 'en_US', parameters: ['{{ lead.first_name }}'] },
      },
    });
    const campaign = await t.request('POST', '/api/v1/campaigns', {
      key,
      body: {
        name: 'Autumn',
        type: 'blast',
        sender: { channelId },
        audience: { all: true },
        steps: [{ templateId: template.body.id }],
        settings: {},
      },
    });
    assert.equal((await t.request('POST', `/api/v1/campaigns/${campaign.body.id}/launch`, { key })).status, 202);
    const post = (event: string) => {
      const raw = JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [
          {
            id: WABA,
            changes: [
              {
                field: 'message_template_status_update',
                value: {
                  event,
                  message_template_id: 1,
                  message_template_name: 'autumn_sale',
                  message_template_language: 'en_US',
                  reason: 'NONE',
                },
              },
            ],
          },
        ],
      });
      const signature = `sha256=${createHmac('sha256', 'app-secret').update(raw).digest('hex')}`;
      return fetch(`${t.baseUrl}/webhooks/whatsapp/${channelId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
        body: raw,
      });
    };
    assert.equal((await post('PAUSED')).status, 200);
    const paused = (await t.request('GET', `/api/v1/campaigns/${campaign.body.id}`, { key })).body;
    assert.equal(paused.status, 'paused');
    assert.match(paused.statusReason, /autumn_sale \(en_US\) is PAUSED/);
    assert.equal((await byName('autumn_sale')).status, 'PAUSED');
    await post('APPROVED');
    assert.equal((await byName('autumn_sale')).status, 'APPROVED');
  });

  it("holds the channel to the number's reported throughput and its portfolio's daily messaging limit", async () => {
    const resolve = () => t.app.get(SenderResolver).resolve({ channelId, emailAccountId: null, organizationId: orgId });
    // Before the number reports a tier: the channel's own settings (80/s, no cap).
    await t.dataSource.query('DELETE FROM whatsapp_number_limits WHERE channel_id = $1', [channelId]);
    const unreported = await resolve();
    assert.equal(unreported.ratePerSecond, 80);
    assert.equal(unreported.dailyCap, undefined);

    // Meta lowers the portfolio to 250 recipients a day: the sync reads it and the ledger holds it.
    await control('POST', '/credentials/whatsapp', {
      phoneNumberId: PHONE_ID,
      accessToken: 'EAAG-right',
      wabaId: WABA,
      throughputLevel: 'STANDARD',
      messagingLimitTier: 'TIER_250',
    });
    const low = await sync();
    assert.deepEqual(low.body.channels[0].limits, {
      throughputLevel: 'STANDARD',
      throughputPerSecond: 80,
      messagingLimitTier: 'TIER_250',
      dailyLimit: 250,
    });
    const capped = await resolve();
    assert.equal(capped.dailyCap, 250);
    assert.equal(capped.ratePerSecond, 80);

    // A number upgraded to high throughput: 1,000/s at Meta, but never above the channel's own 200/s setting.
    await t.request('PATCH', `/api/v1/channels/${channelId}`, { key, body: { config: { ratePerSecond: 200, dailyCap: 100 } } });
    await control('POST', '/credentials/whatsapp', {
      phoneNumberId: PHONE_ID,
      accessToken: 'EAAG-right',
      wabaId: WABA,
      throughputLevel: 'HIGH',
      messagingLimitTier: 'TIER_UNLIMITED',
    });
    const high = await sync();
    assert.equal(high.body.channels[0].limits.throughputPerSecond, 1000);
    assert.equal(high.body.channels[0].limits.dailyLimit, null);
    const upgraded = await resolve();
    assert.equal(upgraded.ratePerSecond, 200, 'the lower of Meta’s 1,000/s and the channel’s 200/s');
    assert.equal(upgraded.dailyCap, 100, 'the channel’s own cap is kept when the tier is unlimited');
    await t.request('PATCH', `/api/v1/channels/${channelId}`, { key, body: { config: { ratePerSecond: 80, dailyCap: null } } });
    await control('POST', '/credentials/whatsapp', { phoneNumberId: PHONE_ID, accessToken: 'EAAG-right', wabaId: WABA });
    await sync();
  });

  it('a media header: the sample column is its link, the suggested spec fills headerMedia, launch checks the format, a private link is refused', async () => {
    await control('PUT', `/whatsapp/templates/${WABA}`, {
      templates: [
        {
          name: 'launch_video',
          language: 'en_US',
          components: [
            { type: 'HEADER', format: 'VIDEO' },
            { type: 'BODY', text: 'Hi {{1}}, watch this.' },
          ],
        },
      ],
    });
    await sync();
    const video = (await t.request('GET', `/api/v1/whatsapp/templates/${(await byName('launch_video')).id}`, { key })).body;
    assert.deepEqual(
      video.placeholders.map((p: { part: string; type: string; column: string }) => [p.part, p.type, p.column]),
      [
        ['header', 'video', 'header_video_url'],
        ['body', 'text', 'body_param_1'],
      ],
    );
    assert.deepEqual(video.suggestedSpec.headerMedia, { format: 'video', link: '{{ lead.header_video_url }}' });
    assert.deepEqual(video.suggestedSpec.headerParameters, []);

    let mediaTemplates = 0;
    const launchWith = async (whatsapp: Record<string, unknown>) => {
      const template = await t.request('POST', '/api/v1/templates', {
        key,
        body: { name: `media ${++mediaTemplates}`, channel: 'whatsapp', whatsapp },
      });
      assert.equal(template.status, 201, JSON.stringify(template.body));
      const campaign = await t.request('POST', '/api/v1/campaigns', {
        key,
        body: {
          name: 'Media',
          type: 'blast',
          sender: { channelId },
          audience: { all: true },
          steps: [{ templateId: template.body.id }],
          settings: {},
        },
      });
      return t.request('POST', `/api/v1/campaigns/${campaign.body.id}/launch`, { key });
    };
    const missing = await launchWith({ name: 'launch_video', language: 'en_US', parameters: ['{{ lead.first_name }}'] });
    assert.equal(missing.body.code, 'whatsapp_template_parameters_mismatch');
    assert.match(missing.body.message, /header is a video: the template gives no headerMedia link/);
    const wrongFormat = await launchWith({
      name: 'launch_video',
      language: 'en_US',
      parameters: ['{{ lead.first_name }}'],
      headerMedia: { format: 'image', link: 'https://cdn.example.com/a.jpg' },
    });
    assert.match(wrongFormat.body.message, /header is a video, the template's headerMedia is an image/);
    const ok = await launchWith(video.suggestedSpec);
    assert.equal(ok.status, 202, JSON.stringify(ok.body));

    // A literal link is checked when the template is saved: Meta would be told to fetch a private address.
    const privateLink = await t.request('POST', '/api/v1/templates', {
      key,
      body: {
        name: 'private media',
        channel: 'whatsapp',
        whatsapp: {
          name: 'launch_video',
          language: 'en_US',
          parameters: ['x'],
          headerMedia: { format: 'video', link: 'https://169.254.169.254/v.mp4' },
        },
      },
    });
    assert.equal(privateLink.status, 422);
    assert.equal(privateLink.body.code, 'template_invalid');
    assert.match(JSON.stringify(privateLink.body), /headerMedia\.link/);
    const badFormat = await t.request('POST', '/api/v1/templates', {
      key,
      body: {
        name: 'bad media',
        channel: 'whatsapp',
        whatsapp: { name: 'launch_video', language: 'en_US', headerMedia: { format: 'gif', link: 'x' } },
      },
    });
    assert.equal(badFormat.status, 400);
  });

  it('keeps each organization to its own catalog and channels', async () => {
    const id = (await byName('spring_offer')).id;
    assert.equal((await t.request('GET', `/api/v1/whatsapp/templates/${id}`, { key: otherKey })).status, 404);
    assert.equal((await t.request('GET', `/api/v1/whatsapp/templates/${id}/sample.csv`, { key: otherKey })).status, 404);
    assert.deepEqual((await t.request('GET', '/api/v1/whatsapp/templates', { key: otherKey })).body.items, []);
    const foreign = await sync({ channelId }, otherKey);
    assert.equal(foreign.status, 404);
    assert.equal(foreign.body.code, 'channel_not_found');
    assert.deepEqual((await sync({}, otherKey)).body.channels, [], 'an organization without WhatsApp channels syncs nothing');
  });

  it('answers stable codes for a channel without a business account and a Meta that refuses', async () => {
    const bare = await t.request('POST', '/api/v1/channels', {
      key,
      body: {
        type: 'whatsapp',
        name: 'No WABA',
        config: { phoneNumberId: '1234567890', baseUrl: sb.url },
        secrets: { accessToken: 'x', appSecret: 'y' },
      },
    });
    const missing = await sync({ channelId: bare.body.id });
    assert.equal(missing.status, 409);
    assert.equal(missing.body.code, 'whatsapp_account_missing');
    const wrongToken = await t.request('POST', '/api/v1/channels', {
      key,
      body: {
        type: 'whatsapp',
        name: 'Wrong token',
        config: { phoneNumberId: '1234567891', businessAccountId: WABA, baseUrl: sb.url },
        secrets: { accessToken: 'EAAG-wrong', appSecret: 'y' },
      },
    });
    const refused = await sync({ channelId: wrongToken.body.id });
    assert.equal(refused.status, 502);
    assert.equal(refused.body.code, 'whatsapp_sync_failed');
    assert.match(refused.body.message, /HTTP 401.*190/);
    assert.equal((await sync({ channelId: 'nope' })).status, 400);
  });
});
