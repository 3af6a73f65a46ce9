import assert from 'node:assert/strict';
import { describe } from '@jest/globals';
import { MessageEventRecorder } from '../../backend/src/modules/webhooks/message-event.recorder';
import { browserHarness } from './harness';

describe('web UI in a real browser: Inbox (unread badge, list, thread, assign, status, reply)', () => {
  const h = browserHarness({ viewport: { width: 1280, height: 900 } });
  const { step } = h;
  const rows = () => h.page.locator('[data-testid="conversation-row"]');
  let channelId = '';

  /** An inbound message on the test's Twilio number, applied as the webhook inbox would. */
  async function inbound(eventId: string, type: 'replied' | 'auto_replied', text: string, reason?: string) {
    const [{ organization_id: organizationId }] = await h.t.dataSource.query(
      'SELECT organization_id FROM channel_connections WHERE id = $1',
      [channelId],
    );
    const recorder = h.t.app.get(MessageEventRecorder);
    await recorder.enqueue([
      {
        organizationId,
        source: 'twilio',
        eventId,
        type,
        occurredAt: new Date(),
        payload: {
          from: '+14155550142',
          to: '+14155550100',
          text,
          kind: type === 'replied' ? 'human' : 'auto_reply',
          ...(reason && { reason }),
        },
        replyFrom: { channel: 'sms', address: '+14155550142', channelId },
      },
    ]);
    await recorder.drain();
  }

  step('a reply to the organization shows in the nav count and as a bold row', async () => {
    await h.signIn('ann@acme.test', '/inbox');
    await h.page.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
    await h.page.getByText('No conversations').waitFor();
    const channel = await h.apiFromPage<{ id: string }>('POST', '/channels', {
      type: 'twilio',
      name: 'Line',
      config: { accountSid: `AC${'1'.repeat(32)}`, from: '+14155550100' },
      secrets: { authToken: 'token' },
    });
    assert.equal(channel.status, 201);
    channelId = channel.body.id;
    assert.equal(
      (await h.apiFromPage('POST', '/leads', { phone: '+14155550142', firstName: 'Grace', consent: { sms: true } })).status,
      201,
    );
    await inbound('in-1', 'auto_replied', 'Out of office until Monday', 'out-of-office pattern');
    await inbound('in-2', 'replied', 'Yes please, send the details');
    await h.page.reload();
    await rows().first().waitFor();
    assert.equal(await rows().count(), 1);
    assert.equal((await h.page.getByTestId('inbox-unread').innerText()).trim(), '1');
    const row = rows().first();
    assert.match(await row.innerText(), /Grace/);
    assert.match(await row.innerText(), /Yes please, send the details/);
    assert.match((await row.getAttribute('class')) ?? '', /\bunread\b/);
    await h.shot('inbox-01-list');
  });

  step('opening it shows the thread in order, the auto-reply marked, and reads it', async () => {
    await rows().first().click();
    const entries = h.page.locator('[data-testid="thread-entry"]');
    await entries.nth(1).waitFor();
    assert.deepEqual(await entries.evaluateAll((els) => els.map((e) => e.getAttribute('data-direction'))), ['inbound', 'inbound']);
    assert.match(await entries.nth(0).innerText(), /Automatic reply/);
    assert.doesNotMatch(await entries.nth(1).innerText(), /Automatic reply/);
    await h.page.getByTestId('inbox-unread').waitFor({ state: 'detached' });
    await h.page.locator('[data-testid="conversation-row"].unread').waitFor({ state: 'detached' });
    const [{ unread_count }] = await h.t.dataSource.query('SELECT unread_count FROM conversations');
    assert.equal(unread_count, 0);
  });

  step('assigns it to a member and answers it: the reply is in the thread with its status, queued once', async () => {
    const thread = h.page.getByRole('region', { name: 'Thread' });
    const [ann] = await h.t.dataSource.query(`SELECT id, coalesce(name, email) AS shown FROM users WHERE email = 'ann@acme.test'`);
    await thread.getByLabel('Assigned to').selectOption(ann.id);
    await rows().filter({ hasText: ann.shown }).first().waitFor();
    const [{ assignee_user_id }] = await h.t.dataSource.query('SELECT assignee_user_id FROM conversations');
    assert.equal(assignee_user_id, ann.id);
    await thread.getByLabel('Reply').fill('Sent! {{ no liquid here }}');
    await thread.getByRole('button', { name: 'Send reply' }).click();
    const outbound = h.page.locator('[data-testid="thread-entry"][data-direction="outbound"]');
    await outbound.waitFor();
    assert.match(await outbound.innerText(), /You/);
    assert.match(await outbound.innerText(), /Sent! \{\{ no liquid here \}\}/);
    assert.equal((await outbound.getByTestId('entry-status').innerText()).trim(), 'queued');
    const [{ n }] = await h.t.dataSource.query(`SELECT count(*)::int AS n FROM campaigns WHERE type = 'reply'`);
    assert.equal(n, 1);
    // Answered: the conversation waits for the lead, and leaves the "Open" list.
    assert.equal(await thread.getByLabel('Status').inputValue(), 'waiting');
    await h.page.getByText('No conversations').waitFor();
    await h.shot('inbox-02-answered');
  });

  step('closes it from the status menu; the Closed filter lists it', async () => {
    const search = h.page.getByRole('search', { name: 'Filter conversations' });
    await search.getByLabel('Status').selectOption('waiting');
    await rows().first().waitFor();
    await h.page.getByRole('region', { name: 'Thread' }).getByLabel('Status').selectOption('closed');
    await h.page.getByText('No conversations').waitFor();
    await search.getByLabel('Status').selectOption('closed');
    await rows().first().waitFor();
    assert.equal(await rows().count(), 1);
    const [{ status }] = await h.t.dataSource.query('SELECT status FROM conversations');
    assert.equal(status, 'closed');
  });

  step('WhatsApp: free text is offered inside the 24-hour window the lead opened, and refused with the reason once it closed', async () => {
    const wa = await h.apiFromPage<{ id: string }>('POST', '/channels', {
      type: 'whatsapp',
      name: 'WhatsApp',
      config: { phoneNumberId: '106540352240143' },
      secrets: { accessToken: 'EAAG-inbox', appSecret: 'app-secret', verifyToken: 'verify' },
    });
    assert.equal(wa.status, 201, JSON.stringify(wa.body));
    const lead = await h.apiFromPage('POST', '/leads', { phone: '+14155550143', firstName: 'Hedy', consent: { whatsapp: true } });
    assert.equal(lead.status, 201);
    const [{ organization_id: organizationId }] = await h.t.dataSource.query(
      'SELECT organization_id FROM channel_connections WHERE id = $1',
      [wa.body.id],
    );
    const recorder = h.t.app.get(MessageEventRecorder);
    await recorder.enqueue([
      {
        organizationId,
        source: 'whatsapp',
        eventId: 'wamid.inbox-1',
        type: 'replied',
        occurredAt: new Date(),
        payload: { from: '+14155550143', text: 'Do you ship to Oslo?', kind: 'human' },
        replyFrom: { channel: 'whatsapp', address: '+14155550143', channelId: wa.body.id },
      },
    ]);
    await recorder.drain();
    const search = h.page.getByRole('search', { name: 'Filter conversations' });
    await search.getByLabel('Status').selectOption('open');
    await rows().filter({ hasText: 'Hedy' }).click();
    const thread = h.page.getByRole('region', { name: 'Thread' });
    assert.match(
      await thread.getByTestId('wa-window-open').innerText(),
      /WhatsApp allows free text until .+ \(24 hours after the lead.s last message\)/,
    );
    await thread.getByLabel('Reply').fill('Yes, in 3 days.');
    await thread.getByRole('button', { name: 'Send reply' }).click();
    await thread.locator('[data-testid="thread-entry"][data-direction="outbound"]').filter({ hasText: 'Yes, in 3 days.' }).waitFor();
    await h.shot('inbox-03-whatsapp-window');

    // A day and more later: the composer gives way to the reason.
    await h.t.dataSource.query(`UPDATE message_events SET occurred_at = occurred_at - interval '25 hours' WHERE source = 'whatsapp'`);
    await h.page.reload();
    await search.getByLabel('Status').selectOption('waiting');
    await rows().filter({ hasText: 'Hedy' }).click();
    assert.match(await thread.getByTestId('wa-window-closed').innerText(), /24-hour window closed .*approved template/);
    assert.equal(await thread.getByLabel('Reply').count(), 0);
  });
});
