import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe } from '@jest/globals';
import { Environment } from '../../backend/src/config/environment';
import { MessageEventRecorder } from '../../backend/src/modules/webhooks/message-event.recorder';
import { publicUrl } from '../../backend/src/modules/tracking/public-url';
import { browserHarness } from './harness';

const TOKEN = 'browser-callnow-token';
const MY_PHONE = '+14155550177';
const LEAD_PHONE = '+14155556101';

describe('web UI in a real browser: "Call now" on a callback request', () => {
  const h = browserHarness({ viewport: { width: 1400, height: 900 } });
  const { step } = h;
  let channelId = '';
  let callbackId = '';

  /** Posts a form to a Twilio webhook of the app, signed as Twilio signs it (the public URL it called). */
  async function twilioPost(path: string, params: Record<string, string>) {
    let data = `${publicUrl(h.t.app.get(Environment))}${path}`;
    for (const k of Object.keys(params).sort()) data += k + params[k];
    const res = await fetch(`${h.t.baseUrl}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': createHmac('sha1', TOKEN).update(data).digest('base64'),
      },
      body: new URLSearchParams(params),
    });
    assert.equal(res.status, 200, await res.text());
    await h.t.app.get(MessageEventRecorder).drain();
  }

  step('the agent sets their phone in Settings (a malformed number is refused in the form)', async () => {
    await h.signIn('ann@acme.test', '/settings');
    const field = h.page.getByLabel('Phone for “Call now”');
    await field.fill('0170 1234');
    await h.page.getByText('Use + and 7 to 15 digits').waitFor();
    assert.equal(await h.page.getByRole('button', { name: 'Save phone' }).isDisabled(), true);
    await field.fill(MY_PHONE);
    await h.page.getByRole('button', { name: 'Save phone' }).click();
    await h.page.getByText(`Calls will ring ${MY_PHONE}`).waitFor();
    const [ann] = await h.t.dataSource.query(`SELECT phone FROM users WHERE email = 'ann@acme.test'`);
    assert.equal(ann.phone, MY_PHONE);
  });

  step('"Call now" on the detail page starts the call, shows it live, then its outcome from Twilio’s reports', async () => {
    const channel = await h.apiFromPage<{ id: string }>('POST', '/channels', {
      type: 'twilio',
      name: 'Line',
      config: { accountSid: `AC${'3'.repeat(32)}`, from: '+14155550100' },
      secrets: { authToken: TOKEN },
    });
    assert.equal(channel.status, 201, JSON.stringify(channel.body));
    channelId = channel.body.id;
    const lead = await h.apiFromPage<{ id: string }>('POST', '/leads', { phone: LEAD_PHONE, firstName: 'Dana', consent: { voice: true } });
    const created = await h.apiFromPage<{ id: string }>('POST', '/callbacks', { leadId: lead.body.id, reason: 'Asked for a call' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    callbackId = created.body.id;

    await h.page.goto(`${h.t.baseUrl}/callbacks/${callbackId}`);
    await h.page.getByRole('heading', { name: /Call back Dana/, level: 1 }).waitFor();
    await h.page.getByRole('button', { name: 'Call now' }).click();
    const state = h.page.getByRole('status').filter({ hasText: 'Calling your phone' });
    await state.waitFor();
    assert.match(await state.innerText(), new RegExp(`Calling your phone \\${MY_PHONE}; when you answer, \\${LEAD_PHONE} is connected`));
    assert.equal(await h.page.getByRole('button', { name: 'Call now' }).isDisabled(), true, 'one call at a time');
    await h.page.locator('.callback-facts').getByText('In progress').waitFor();
    await h.page.locator('[data-kind="call_started"]').waitFor();
    await h.shot('callnow-01-calling');

    // Twilio reports: the lead leg through the Dial action, then the parent call; the page polls and shows the outcome.
    const detail = await h.apiFromPage<{ calls: Array<{ id: string; messageId: string }> }>('GET', `/callbacks/${callbackId}`);
    const [call] = detail.body.calls;
    const sid = `CA${'7'.repeat(32)}`;
    await twilioPost(`/webhooks/twilio/${channelId}/dial?cadenceCallId=${call.id}`, {
      CallSid: sid,
      DialCallStatus: 'completed',
      DialCallDuration: '42',
      DialCallSid: `CA${'8'.repeat(32)}`,
    });
    await twilioPost(`/webhooks/twilio/${channelId}/status?cadenceMessageId=${call.messageId}`, {
      CallSid: sid,
      CallStatus: 'completed',
      CallDuration: '47',
    });
    const outcome = h.page.getByRole('status').filter({ hasText: `Connected with ${LEAD_PHONE} for 42 s` });
    await outcome.waitFor();
    assert.equal(await outcome.getAttribute('data-outcome'), 'completed');
    await h.page.locator('[data-kind="attempt"]').getByText(`Call now: connected with the lead ${LEAD_PHONE} for 42 s`).waitFor();
    assert.equal(await h.page.getByRole('button', { name: 'Call now' }).isDisabled(), false, 'a new try is possible once it ended');
    await h.shot('callnow-02-ended');
  });

  step('without a phone on the profile the agent is told why the call did not start', async () => {
    await h.apiFromPage('PUT', '/users/me/phone', { phone: null });
    await h.page.reload();
    await h.page.getByRole('button', { name: 'Call now' }).click();
    await h.page.getByText(/has no phone number/).waitFor();
  });
});
