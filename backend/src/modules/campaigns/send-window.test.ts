import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { DateTime } from 'luxon';
import { RuntimeSecrets } from '../../config/runtime-secrets';
import { FakeSender, liveRun, smsKit, tick, TriggerReceiver } from '../../test/engine-harness';
import { startTestApp, TestApp } from '../../test/test-app';

const ALL_DAYS = [1, 2, 3, 4, 5, 6, 7];
const hhmm = (t: DateTime) => t.toFormat('HH:mm');

/**
 * Send windows through the lease on a real database: a message outside its lead's window is postponed
 * (still queued) to the window's opening and handed out then, not before.
 */
describe.each([
  ['PostgreSQL', false],
  ['PGlite', true],
])('send windows on %s', (_database, embedded) => {
  let t: TestApp;
  let key: string;
  let receiver: TriggerReceiver;
  let channelId: string;
  let templateId: string;
  let kit: Awaited<ReturnType<typeof smsKit>>;

  const api = (method: string, path: string, body?: unknown) => t.request(method, `/api/v1${path}`, { key, body });
  const messagesOf = (campaignId: string): Promise<Array<{ lead_timezone: string; status: string; due_at: Date }>> =>
    t.dataSource.query(
      `SELECT l.timezone AS lead_timezone, m.status, m.due_at FROM messages m JOIN leads l ON l.id = m.lead_id WHERE m.campaign_id = $1 ORDER BY l.timezone`,
      [campaignId],
    );

  /** An SMS blast to leads in the given zones, launched and materialized. */
  async function blast(zones: string[], sendWindow: Record<string, unknown>) {
    const id = await kit.blast(
      zones.map((timezone) => ({ timezone })),
      { sendWindow },
    );
    assert.deepEqual((await api('GET', `/campaigns/${id}`)).body.settings.sendWindow, sendWindow);
    return id;
  }

  beforeAll(async () => {
    receiver = new TriggerReceiver(() => t.app.get(RuntimeSecrets).triggerSigningSecret);
    await receiver.start();
    t = await startTestApp({ embedded, env: { SCHEDULER_INTERVAL_MS: '0', N8N_URL: receiver.url } });
    key = (await t.createOrg()).apiKey;
    kit = await smsKit(t, key);
    channelId = kit.channelId;
    templateId = kit.templateId;
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  it("outside the window: postponed to its opening in the lead's zone, still queued, nothing skipped", async () => {
    // Open only tomorrow (UTC), 09:00–10:00.
    const tomorrow = DateTime.utc().plus({ days: 1 }).startOf('day');
    const id = await blast(['UTC', 'UTC'], { days: [tomorrow.weekday], start: '09:00', end: '10:00' });
    const lease = await new FakeSender(t).cycle(await liveRun(t, id));
    assert.equal(lease.items.length, 0);
    const rows = await messagesOf(id);
    assert.deepEqual(
      rows.map((r) => [r.status, new Date(r.due_at).toISOString()]),
      Array(2).fill(['queued', tomorrow.plus({ hours: 9 }).toJSDate().toISOString()]),
    );
    const campaign = (await api('GET', `/campaigns/${id}`)).body;
    assert.equal(campaign.status, 'active', 'waiting, not completed');
    assert.equal(campaign.counts.skipped, 0);
  });

  it("each lead's own zone: a lead inside the window goes now, one an hour behind waits for its own opening", async () => {
    // Kiritimati (UTC+14) and Pago Pago (UTC−11) are 25 hours apart: the same clock, one hour behind.
    const now = DateTime.now().setZone('Pacific/Kiritimati');
    const start = now.startOf('hour');
    const end = start.hour === 23 ? '24:00' : hhmm(start.plus({ hours: 1 }));
    const id = await blast(['Pacific/Kiritimati', 'Pacific/Pago_Pago'], { days: ALL_DAYS, start: hhmm(start), end });
    const lease = await new FakeSender(t).cycle(await liveRun(t, id));
    assert.equal(lease.items.length, 1);
    assert.equal(lease.items[0].lead.timezone, 'Pacific/Kiritimati');
    const [early, late] = await messagesOf(id);
    assert.equal(early.lead_timezone, 'Pacific/Kiritimati');
    assert.notEqual(early.status, 'queued');
    assert.equal(late.status, 'queued');
    // Pago Pago's next opening of the same hour: today there if it is still ahead, else tomorrow.
    const pago = DateTime.now().setZone('Pacific/Pago_Pago');
    let opens = pago.startOf('day').set({ hour: start.hour });
    if (opens <= pago) opens = opens.plus({ days: 1 });
    assert.equal(new Date(late.due_at).toISOString(), opens.toUTC().toISO({ suppressMilliseconds: false }));
  });

  it('handed out when the window opens, not before', async () => {
    // A window opening at a whole minute (UTC) at least 10 s away, until midnight.
    let at = DateTime.utc().plus({ seconds: 10 }).plus({ minutes: 1 }).startOf('minute');
    if (at.hour === 0 && at.minute === 0) at = at.plus({ minutes: 1 });
    const id = await blast(['UTC', 'UTC', 'UTC'], { days: ALL_DAYS, start: hhmm(at), end: '24:00' });
    const sender = new FakeSender(t);
    const first = await sender.cycle(await liveRun(t, id));
    assert.equal(first.items.length, 0, 'before the opening');
    assert.equal(first.done, true, 'nothing is due: the run ends until the scheduler sees messages due again');
    const rows = await messagesOf(id);
    assert.ok(rows.every((r) => r.status === 'queued' && new Date(r.due_at).getTime() === at.toMillis()));
    // While the window is shut the scheduler starts no run for them.
    while (Date.now() < at.toMillis() - 1500) {
      await tick(t);
      const [live] = await t.dataSource.query('SELECT 1 FROM campaign_runs WHERE campaign_id = $1 AND finished_at IS NULL', [id]);
      assert.equal(live, undefined, `a run started at ${new Date().toISOString()}, before ${at.toISO()}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    await new Promise((r) => setTimeout(r, Math.max(0, at.toMillis() - Date.now()) + 100));
    assert.equal(await sender.drain(await liveRun(t, id)), 3);
    const sent: Array<{ sent_at: Date | null }> = await t.dataSource.query('SELECT sent_at FROM messages WHERE campaign_id = $1', [id]);
    assert.equal(sent.length, 3);
    assert.ok(
      sent.every((m) => m.sent_at && new Date(m.sent_at).getTime() >= at.toMillis()),
      `sent at ${sent.map((m) => m.sent_at && new Date(m.sent_at).toISOString()).join(', ')}, opening ${at.toISO()}`,
    );
  }, 120_000);

  it('refuses a window that closes before it opens, no days, a day 8 or an unknown zone', async () => {
    const create = (sendWindow: unknown) =>
      api('POST', '/campaigns', {
        name: 'Bad window',
        type: 'blast',
        sender: { channelId },
        audience: { all: true },
        steps: [{ channel: 'sms', templateId }],
        settings: { sendWindow },
      });
    const backwards = await create({ days: [1], start: '17:00', end: '09:00' });
    assert.equal(backwards.status, 400);
    assert.equal(backwards.body.code, 'validation_failed');
    assert.equal(backwards.body.details[0].field, 'settings.sendWindow.end');
    for (const sendWindow of [
      { days: [], start: '09:00', end: '17:00' },
      { days: [8], start: '09:00', end: '17:00' },
      { days: [1], start: '9:00', end: '17:00' },
      { days: [1], start: '09:00', end: '24:01' },
      { days: [1], start: '09:00', end: '17:00', timezone: 'Mars/Olympus_Mons' },
      'weekdays',
    ]) {
      const res = await create(sendWindow);
      assert.equal(res.status, 400, JSON.stringify(sendWindow));
      assert.equal(res.body.code, 'validation_failed');
    }
  });
});
