import { afterAll, beforeAll, beforeEach, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import type { RunningSandbox } from '../sandbox-server';
import { api, testSandbox } from './helpers';

const PHONE_ID = '106540352242922';
const WABA = '102290129340398';

interface Listing {
  data: { name: string; language: string; status: string; category: string; components: { type: string }[] }[];
  paging: { cursors: { after: string }; next?: string };
}

describe('whatsapp message templates', () => {
  let sb: RunningSandbox;

  const list = (query = '', token = 'EAAG-t') =>
    fetch(`${sb.url}/v21.0/${WABA}/message_templates${query}`, { headers: { authorization: `Bearer ${token}` } });
  const sendTemplate = (name: string, components: unknown[], language = 'en_US') =>
    fetch(`${sb.url}/v21.0/${PHONE_ID}/messages`, {
      method: 'POST',
      headers: { authorization: 'Bearer EAAG-t', 'content-type': 'application/json' },
      body: JSON.stringify({
        messaging_product: 'whatsapp',
        to: '15557001234',
        type: 'template',
        template: { name, language: { code: language }, components },
      }),
    });
  const errorOf = async (r: Response) => ({
    status: r.status,
    ...((await r.json()) as { error: { code: number; error_data?: { details: string } } }).error,
  });
  const body = (...texts: string[]) => ({ type: 'body', parameters: texts.map((text) => ({ type: 'text', text })) });

  beforeAll(async () => {
    sb = await testSandbox();
  });
  afterAll(async () => {
    await sb.close();
  });
  beforeEach(async () => {
    await sb.webhooksIdle();
    sb.reset(true);
    await api(sb.url, 'POST', '/_sandbox/credentials/whatsapp', { phoneNumberId: PHONE_ID, accessToken: 'EAAG-t', wabaId: WABA });
  });

  it('lists the account templates with statuses and cursor paging, and refuses a wrong token', async () => {
    const first = (await (await list('?limit=4')).json()) as Listing;
    assert.equal(first.data.length, 4);
    assert.ok(first.paging.next, 'a next page while more remain');
    const second = (await (await fetch(first.paging.next, { headers: { authorization: 'Bearer EAAG-t' } })).json()) as Listing;
    const all = [...first.data, ...second.data];
    assert.equal(second.paging.next, undefined);
    assert.deepEqual(all.map((t) => t.name).sort(), [
      'loyalty_bonus',
      'old_newsletter',
      'order_update',
      'spring_offer',
      'summer_launch',
      'winter_promo',
    ]);
    assert.equal(all.find((t) => t.name === 'winter_promo')!.status, 'PAUSED');
    assert.equal(all.find((t) => t.name === 'order_update')!.category, 'UTILITY');
    const approved = (await (await list('?status=APPROVED')).json()) as Listing;
    assert.ok(approved.data.every((t) => t.status === 'APPROVED'));
    assert.equal((await list('', 'EAAG-wrong')).status, 401);
    assert.equal((await list('?after=garbage')).status, 400);
  });

  it('answers the Graph codes for unknown, paused, disabled templates and parameter count mismatches', async () => {
    assert.equal((await sendTemplate('spring_offer', [body('Ann')])).status, 200);
    const unknownLang = await errorOf(await sendTemplate('spring_offer', [body('Ann')], 'fr_FR'));
    assert.equal(unknownLang.code, 132001);
    assert.equal(unknownLang.status, 404);
    assert.equal((await errorOf(await sendTemplate('spring_offer', [body('Ann', 'extra')]))).code, 132000);
    assert.equal((await errorOf(await sendTemplate('winter_promo', [body('Ann')]))).code, 132015);
    assert.equal((await errorOf(await sendTemplate('old_newsletter', []))).code, 132016);
    assert.equal((await errorOf(await sendTemplate('loyalty_bonus', [body('50')]))).code, 132001);
    // Header, body and the URL button's suffix are each counted.
    const full = [
      { type: 'header', parameters: [{ type: 'text', text: 'Ann' }] },
      body('Ann', '20%'),
      { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'spring' }] },
    ];
    assert.equal((await sendTemplate('summer_launch', full)).status, 200);
    const noButton = await errorOf(await sendTemplate('summer_launch', full.slice(0, 2)));
    assert.equal(noButton.code, 132000);
    assert.match(noButton.error_data!.details, /button 0/);
    // With the default catalog an unknown name is accepted (accept-any, like unregistered credentials)...
    assert.equal((await sendTemplate('not_in_catalog', [])).status, 200);
  });

  it('refuses unknown names once the catalog is set, and plays a status change', async () => {
    const put = await api(sb.url, 'PUT', `/_sandbox/whatsapp/templates/${WABA}`, {
      templates: [
        { name: 'only_one', language: 'en', components: [{ type: 'BODY', text: 'Hi {{first_name}}' }], parameter_format: 'NAMED' },
      ],
    });
    assert.equal(put.status, 200);
    assert.equal((await errorOf(await sendTemplate('spring_offer', [body('Ann')]))).code, 132001);
    const named = [{ type: 'body', parameters: [{ type: 'text', parameter_name: 'first_name', text: 'Ann' }] }];
    assert.equal((await sendTemplate('only_one', named, 'en')).status, 200);
    // A named template's value without its parameter_name is refused, as Meta does.
    assert.equal((await errorOf(await sendTemplate('only_one', [body('Ann')], 'en'))).code, 132000);
    const paused = await api(sb.url, 'POST', `/_sandbox/whatsapp/templates/${WABA}/status`, { name: 'only_one', status: 'PAUSED' });
    assert.equal(paused.status, 200);
    assert.equal((await errorOf(await sendTemplate('only_one', named, 'en'))).code, 132015);
    const listed = (await (await list()).json()) as Listing;
    assert.deepEqual(
      listed.data.map((t) => [t.name, t.status]),
      [['only_one', 'PAUSED']],
    );
    assert.equal(
      (await api(sb.url, 'POST', `/_sandbox/whatsapp/templates/${WABA}/status`, { name: 'nope', status: 'PAUSED' })).status,
      404,
    );
    assert.equal(
      (await api(sb.url, 'POST', `/_sandbox/whatsapp/templates/${WABA}/status`, { name: 'only_one', status: 'MAYBE' })).status,
      400,
    );
  });
});
