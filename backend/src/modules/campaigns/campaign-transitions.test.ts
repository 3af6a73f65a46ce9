import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { RuntimeSecrets } from '../../config/runtime-secrets';
import { FakeSender, tick, tickUntil, TriggerReceiver } from '../../test/engine-harness';
import { startTestApp, TestApp } from '../../test/test-app';
import { MessageEventRecorder } from '../webhooks/message-event.recorder';
import { suspendCampaign } from './campaign-status';

type Status = 'draft' | 'scheduled' | 'active' | 'paused' | 'completed' | 'cancelled';
type Action = 'launch' | 'pause' | 'resume' | 'cancel';

/** The API's answer to each action from each status: the status it leads to, or 409 (undefined). */
const EXPECTED: Record<Status, Partial<Record<Action, Status>>> = {
  draft: { launch: 'active', cancel: 'cancelled' },
  scheduled: { pause: 'paused', cancel: 'cancelled' },
  active: { pause: 'paused', cancel: 'cancelled' },
  paused: { resume: 'active', cancel: 'cancelled' },
  completed: {},
  cancelled: {},
};
const ACTIONS: Action[] = ['launch', 'pause', 'resume', 'cancel'];
const FUTURE = () => new Date(Date.now() + 86_400_000).toISOString();

describe('campaign and message status machines, driven through the API on PostgreSQL', () => {
  let t: TestApp;
  let key: string;
  let orgId: string;
  let receiver: TriggerReceiver;
  let twilioId: string;
  let smsTemplate: string;
  let withPhone: string[];
  let withoutPhone: string;

  const api = (method: string, path: string, body?: unknown) => t.request(method, `/api/v1${path}`, { key, body });
  const statusOf = async (id: string): Promise<Status> => (await api('GET', `/campaigns/${id}`)).body.status;

  async function create(settings: Record<string, unknown> = {}, leadIds = withPhone) {
    const res = await api('POST', '/campaigns', {
      name: 'T',
      type: 'blast',
      sender: { channelId: twilioId },
      audience: { leadIds },
      steps: [{ channel: 'sms', templateId: smsTemplate }],
      settings,
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.id as string;
  }

  /** A fresh campaign brought into `status` through the API (and the scheduler, for completed). */
  async function campaignIn(status: Status): Promise<string> {
    if (status === 'completed') {
      // Its only lead has no phone: enrollment skips the message, and the next tick completes the campaign.
      const id = await create({}, [withoutPhone]);
      assert.equal((await api('POST', `/campaigns/${id}/launch`)).status, 202);
      await tickUntil(t, async () => (await statusOf(id)) === 'completed');
      return id;
    }
    const id = await create(status === 'scheduled' ? { startAt: FUTURE() } : {});
    if (status === 'draft') return id;
    if (status === 'cancelled') {
      assert.equal((await api('POST', `/campaigns/${id}/cancel`)).status, 200);
      return id;
    }
    assert.equal((await api('POST', `/campaigns/${id}/launch`)).status, 202);
    if (status === 'paused') assert.equal((await api('POST', `/campaigns/${id}/pause`)).status, 200);
    assert.equal(await statusOf(id), status);
    return id;
  }

  beforeAll(async () => {
    receiver = new TriggerReceiver(() => t.app.get(RuntimeSecrets).triggerSigningSecret);
    await receiver.start();
    t = await startTestApp({ env: { SCHEDULER_INTERVAL_MS: '0', N8N_URL: receiver.url, LEASE_TTL_SECONDS: '30' } });
    ({ apiKey: key, organizationId: orgId } = await t.createOrg());
    twilioId = (
      await api('POST', '/channels', {
        type: 'twilio',
        name: 'Line',
        config: { accountSid: `AC${'3'.repeat(32)}`, from: '+14155550100', ratePerSecond: 1000 },
        secrets: { authToken: 'token-token-token' },
      })
    ).body.id;
    smsTemplate = (await api('POST', '/templates', { name: 'Hi', channel: 'sms', body: 'Hi' })).body.id;
    const res = await api('POST', '/leads', [
      { phone: '+14158010001', email: 'a@example.com', consent: { sms: true } },
      { phone: '+14158010002', email: 'b@example.com', consent: { sms: true } },
      { email: 'nophone@example.com' },
    ]);
    assert.equal(res.body.failed, 0, JSON.stringify(res.body));
    withPhone = res.body.ids.slice(0, 2);
    withoutPhone = res.body.ids[2];
  });
  afterAll(async () => {
    await t?.close();
    await receiver.stop();
  });

  for (const from of Object.keys(EXPECTED) as Status[]) {
    for (const action of ACTIONS) {
      const to = EXPECTED[from][action];
      it(`${action} a ${from} campaign: ${to ? `${action === 'launch' ? 202 : 200}, ${to}` : '409 campaign_invalid_transition'}`, async () => {
        const id = await campaignIn(from);
        const res = await api('POST', `/campaigns/${id}/${action}`);
        if (to) {
          assert.equal(res.status, action === 'launch' ? 202 : 200, JSON.stringify(res.body));
          assert.equal(res.body.status, to);
        } else {
          assert.equal(res.status, 409, JSON.stringify(res.body));
          assert.equal(res.body.code, 'campaign_invalid_transition');
          assert.deepEqual(res.body.details, { from, action });
        }
        assert.equal(await statusOf(id), to ?? from);
      });
    }
  }

  it('launching or resuming before startAt schedules; the scheduler starts it once startAt has come', async () => {
    const id = await create({ startAt: FUTURE() });
    assert.equal((await api('POST', `/campaigns/${id}/launch`)).body.status, 'scheduled');
    assert.equal((await api('POST', `/campaigns/${id}/pause`)).body.status, 'paused');
    assert.equal((await api('POST', `/campaigns/${id}/resume`)).body.status, 'scheduled');
    await tick(t);
    assert.equal(await statusOf(id), 'scheduled');
    await t.dataSource.query(
      `UPDATE campaigns SET settings = jsonb_set(settings, '{startAt}', to_jsonb((now() - interval '1 minute')::text)) WHERE id = $1`,
      [id],
    );
    await tick(t);
    assert.equal(await statusOf(id), 'active');
  });

  it('the system moves only from their legal states: a paused campaign is neither suspended, started nor completed', async () => {
    const id = await campaignIn('paused');
    assert.equal(await suspendCampaign(t.dataSource, id, 'sender gone'), false);
    await tickUntil(t, async () => (await api('GET', `/campaigns/${id}`)).body.materialized);
    // Every message has an outcome: an active campaign would complete now.
    await t.dataSource.query(`UPDATE messages SET status = 'skipped', skip_reason = 'suppressed' WHERE campaign_id = $1`, [id]);
    await tick(t);
    const campaign = (await api('GET', `/campaigns/${id}`)).body;
    assert.equal(campaign.status, 'paused');
    assert.equal(campaign.statusReason, null);
    const active = await campaignIn('active');
    assert.equal(await suspendCampaign(t.dataSource, active, 'sender gone'), true);
    assert.equal((await api('GET', `/campaigns/${active}`)).body.statusReason, 'sender gone');
    assert.equal((await api('POST', `/campaigns/${active}/resume`)).body.statusReason, null);
  });

  it('a message status never moves backward: a late report or provider event after delivered changes nothing', async () => {
    const id = await create({}, [withPhone[0]]);
    assert.equal((await api('POST', `/campaigns/${id}/launch`)).status, 202);
    await tickUntil(t, async () => receiver.triggers.some((tr) => tr.campaignId === id));
    const runId = receiver.triggers.find((tr) => tr.campaignId === id)!.runId as string;
    const sender = new FakeSender(t);
    const lease = (await sender.call('POST', `/runs/${runId}/lease`, {})).body;
    assert.equal(lease.items.length, 1);
    const messageId: string = lease.items[0].messageId;
    const message = async () =>
      (await t.dataSource.query('SELECT status, sent_at, delivered_at, error_code FROM messages WHERE id = $1', [messageId]))[0];
    assert.deepEqual(
      (await sender.call('POST', `/runs/${runId}/sending`, { leaseId: lease.leaseId, messageIds: [messageId] })).body.accepted,
      [messageId],
    );

    // The provider's callback outruns n8n's report.
    const recorder = t.app.get(MessageEventRecorder);
    const event = (type: string, eventId: string) =>
      recorder.record({
        organizationId: orgId,
        messageId,
        source: 'twilio',
        eventId,
        type,
        occurredAt: new Date(),
        payload: {},
        ...(type === 'failed' && { error: { code: '30003', message: 'unreachable' } }),
      });
    assert.equal((await event('delivered', 'e-delivered')).recorded, true);
    assert.equal((await message()).status, 'delivered');

    const late = await sender.call(
      'POST',
      `/runs/${runId}/results`,
      { leaseId: lease.leaseId, results: [{ messageId, outcome: 'sent', providerMessageId: 'SM-late' }] },
      { 'idempotency-key': 'late-sent' },
    );
    assert.equal(late.status, 200, JSON.stringify(late.body));
    assert.deepEqual(late.body, { applied: 0, ignored: 1 });
    for (const outcome of ['deferred', 'failed', 'unknown'] as const) {
      const again = await sender.call(
        'POST',
        `/runs/${runId}/results`,
        { leaseId: lease.leaseId, results: [{ messageId, outcome, errorCode: 'x' }] },
        { 'idempotency-key': `late-${outcome}` },
      );
      assert.deepEqual(again.body, { applied: 0, ignored: 1 }, outcome);
    }
    await event('sent', 'e-sent');
    await event('failed', 'e-failed');
    const after = await message();
    assert.equal(after.status, 'delivered');
    assert.equal(after.error_code, null);
    assert.ok(after.delivered_at);
    // The report's provider id is still recorded for the settled message.
    assert.equal(
      (await t.dataSource.query('SELECT provider_message_id FROM messages WHERE id = $1', [messageId]))[0].provider_message_id,
      'SM-late',
    );
    await tick(t);
    assert.equal(await statusOf(id), 'completed');
    assert.equal((await api('POST', `/campaigns/${id}/cancel`)).status, 409);
  });
});
