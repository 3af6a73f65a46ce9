import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { RuntimeSecrets } from '../../config/runtime-secrets';
import { FakeSender, liveRun, smsKit, TriggerReceiver } from '../../test/engine-harness';
import { startTestApp, TestApp } from '../../test/test-app';
import { EmailAccount } from '../email-accounts/email-account.entity';

const DAY_MS = 86_400_000;

/**
 * Warm-up ramps, with the lease enforcing them through the quota ledger. The clock is the ramp's start:
 * a ramp begun two days ago is on day 2, so the test moves time by moving `startedAt`.
 */
describe.each([
  ['PostgreSQL', false],
  ['PGlite', true],
])('sender warm-up on %s', (_database, embedded) => {
  let t: TestApp;
  let key: string;
  let otherKey: string;
  let receiver: TriggerReceiver;
  let channelId: string;
  let kit: Awaited<ReturnType<typeof smsKit>>;

  const api = (method: string, path: string, body?: unknown, as = key) => t.request(method, `/api/v1${path}`, { key: as, body });

  const blast = (n: number) => kit.blast(n);

  beforeAll(async () => {
    receiver = new TriggerReceiver(() => t.app.get(RuntimeSecrets).triggerSigningSecret);
    await receiver.start();
    t = await startTestApp({ embedded, env: { SCHEDULER_INTERVAL_MS: '0', N8N_URL: receiver.url } });
    key = (await t.createOrg()).apiKey;
    otherKey = (await t.createOrg('Other')).apiKey;
    kit = await smsKit(t, key);
    channelId = kit.channelId;
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  it('a new ramp is on day 0 at its first cap, and says when it reaches its target', async () => {
    const res = await api('PUT', `/channels/${channelId}/warmup`, { startPerDay: 5, growthPercent: 100, targetPerDay: 40 });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.day, 0);
    assert.equal(res.body.capToday, 5);
    assert.equal(res.body.complete, false);
    assert.equal(res.body.sentLast24h, 0);
    // 5, 10, 20, 40: the target on day 3.
    assert.equal(new Date(res.body.completesAt).getTime() - new Date(res.body.startedAt).getTime(), 3 * DAY_MS);
    assert.deepEqual((await api('GET', `/channels/${channelId}/warmup`)).body, res.body);
  });

  it("the lease holds a campaign to today's cap; a ramp two days on lets the rest through, waking the waiting run", async () => {
    const campaign = await blast(12);
    const sender = new FakeSender(t);
    const run = await liveRun(t, campaign);
    const first = await sender.cycle(run);
    assert.equal(first.items.length, 5, "day 0's cap");
    const held = await sender.cycle(run);
    assert.equal(held.items.length, 0);
    assert.ok(held.retryAfterMs > 60_000, `waits for the rolling day (${held.retryAfterMs} ms)`);
    assert.equal((await api('GET', `/channels/${channelId}/warmup`)).body.sentLast24h, 5);

    // Day 2 of the same ramp: 20 a day, 15 more in the last 24 hours.
    const startedAt = new Date(Date.now() - 2 * DAY_MS - 60_000).toISOString();
    const moved = await api('PUT', `/channels/${channelId}/warmup`, { startPerDay: 5, growthPercent: 100, targetPerDay: 40, startedAt });
    assert.equal(moved.body.day, 2);
    assert.equal(moved.body.capToday, 20);
    // The run that ended to wait out the old cap starts again at once, not when that cap would have freed up.
    const again = await liveRun(t, campaign);
    assert.notEqual(again, run);
    assert.equal(await sender.drain(again), 7);
    const done = (await api('GET', `/campaigns/${campaign}`)).body;
    assert.equal(done.counts.sent + done.counts.delivered, 12);
    assert.equal((await api('GET', `/channels/${channelId}/warmup`)).body.sentLast24h, 12);
  });

  it("changing the numbers keeps the ramp's day; stopping it lifts the cap", async () => {
    const before = (await api('GET', `/channels/${channelId}/warmup`)).body;
    const changed = await api('PUT', `/channels/${channelId}/warmup`, { startPerDay: 5, growthPercent: 50, targetPerDay: 100 });
    assert.equal(changed.status, 200);
    assert.equal(changed.body.startedAt, before.startedAt);
    assert.equal(changed.body.capToday, 11, '5 × 1.5² = 11.25');
    const campaign = await blast(3);
    const sender = new FakeSender(t);
    const run = await liveRun(t, campaign);
    assert.equal((await sender.cycle(run)).items.length, 0, '12 of 11 already used');
    assert.equal((await api('DELETE', `/channels/${channelId}/warmup`)).status, 204);
    assert.equal(await sender.drain(await liveRun(t, campaign)), 3);
    const gone = await api('GET', `/channels/${channelId}/warmup`);
    assert.equal(gone.status, 404);
    assert.equal(gone.body.code, 'not_found');
    assert.equal((await api('DELETE', `/channels/${channelId}/warmup`)).status, 404);
  });

  it('refuses a ramp that ends below its start, starts in the future or is not a number, with codes', async () => {
    const put = (body: unknown) => api('PUT', `/channels/${channelId}/warmup`, body);
    const below = await put({ startPerDay: 50, growthPercent: 10, targetPerDay: 10 });
    assert.equal(below.status, 400);
    assert.equal(below.body.code, 'validation_failed');
    assert.equal(below.body.details[0].field, 'targetPerDay');
    const future = await put({
      startPerDay: 5,
      growthPercent: 10,
      targetPerDay: 10,
      startedAt: new Date(Date.now() + DAY_MS).toISOString(),
    });
    assert.equal(future.status, 400);
    assert.equal(future.body.details[0].field, 'startedAt');
    for (const body of [
      { startPerDay: 0, growthPercent: 10, targetPerDay: 10 },
      { startPerDay: 5, growthPercent: 0, targetPerDay: 10 },
      { startPerDay: '5', growthPercent: 10, targetPerDay: 10 },
      { startPerDay: 5, growthPercent: 101, targetPerDay: 10 },
    ]) {
      const res = await put(body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.code, 'validation_failed');
    }
    assert.equal((await api('GET', `/channels/${channelId}/warmup`)).status, 404, 'nothing was saved');
  });

  it("a mailbox takes a ramp too; another organization's senders are not found", async () => {
    const { organizationId } = (
      await t.dataSource.query('SELECT organization_id AS "organizationId" FROM channel_connections WHERE id = $1', [channelId])
    )[0];
    const mailbox = await t.dataSource.getRepository(EmailAccount).save({ organizationId, email: `warm-${Date.now()}@acme.test` });
    const res = await api('PUT', `/email-accounts/${mailbox.id}/warmup`, { startPerDay: 10, growthPercent: 20, targetPerDay: 200 });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.capToday, 10);
    assert.equal((await api('GET', `/email-accounts/${mailbox.id}/warmup`, undefined, otherKey)).status, 404);
    assert.equal(
      (await api('PUT', `/email-accounts/${mailbox.id}/warmup`, { startPerDay: 1, growthPercent: 1, targetPerDay: 1 }, otherKey)).status,
      404,
    );
    const other = await api('GET', `/channels/${channelId}/warmup`, undefined, otherKey);
    assert.equal(other.status, 404);
    assert.equal(other.body.code, 'channel_not_found');
    assert.equal((await api('DELETE', `/email-accounts/${mailbox.id}/warmup`, undefined, otherKey)).status, 404);
    assert.equal((await api('GET', `/email-accounts/${mailbox.id}/warmup`)).status, 200, 'still there for its owner');
    // Deleting the sender deletes its ramp.
    await t.dataSource.getRepository(EmailAccount).delete({ id: mailbox.id });
    assert.equal(
      (await t.dataSource.query('SELECT count(*)::int AS n FROM sender_warmups WHERE email_account_id = $1', [mailbox.id]))[0].n,
      0,
    );
  });
});
