import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { smsKit } from '../../test/engine-harness';
import { startTestApp, TestApp } from '../../test/test-app';
import { SchedulerService } from './scheduler.service';
import { RETENTION_BATCH } from './retention';

/**
 * Retention: replayable answers live `IDEMPOTENCY_KEY_TTL_HOURS`, quota-ledger hours 25 hours; the
 * scheduler's pass deletes the rest in batches. Time moves by ageing the rows.
 */
describe.each([
  ['PostgreSQL', false],
  ['PGlite', true],
])('retention on %s', (_database, embedded) => {
  let t: TestApp;
  let key: string;
  let organizationId: string;

  const count = async (sql: string, params: unknown[] = []) => Number((await t.dataSource.query(sql, params))[0].n);

  beforeAll(async () => {
    t = await startTestApp({ embedded, env: { SCHEDULER_INTERVAL_MS: '0', IDEMPOTENCY_KEY_TTL_HOURS: '24' } });
    ({ apiKey: key, organizationId } = await t.createOrg());
  });
  afterAll(async () => t.close());

  const draft = async () => {
    const kit = await smsKit(t, key);
    const leads = await t.request('POST', '/api/v1/leads', { key, body: [{ phone: '+16285550100', consent: { sms: true } }] });
    const created = await t.request('POST', '/api/v1/campaigns', {
      key,
      body: {
        name: 'Retention',
        type: 'blast',
        sender: { channelId: kit.channelId },
        audience: { leadIds: leads.body.ids },
        steps: [{ channel: 'sms', templateId: kit.templateId }],
      },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body.id as string;
  };
  const launch = (id: string, idempotencyKey: string) =>
    t.request('POST', `/api/v1/campaigns/${id}/launch`, { key, headers: { 'Idempotency-Key': idempotencyKey } });

  it('a launch retried within the time to live replays its answer; once the key expired and was pruned, the retry is a new request', async () => {
    const id = await draft();
    const first = await launch(id, 'launch-once');
    assert.equal(first.status, 202, JSON.stringify(first.body));
    await t.app.get(SchedulerService).prune(true);
    assert.deepEqual((await launch(id, 'launch-once')).body, first.body, 'still replayed: the key is fresh');

    await t.dataSource.query(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE organization_id = $1`, [
      organizationId,
    ]);
    await t.app.get(SchedulerService).prune(true);
    assert.equal(await count('SELECT count(*) AS n FROM idempotency_keys WHERE organization_id = $1', [organizationId]), 0);
    const retried = await launch(id, 'launch-once');
    assert.equal(retried.status, 409, 'executed anew: the campaign is already active');
  });

  it('deletes in batches until only keys younger than the time to live and ledger hours of the last 25 hours remain', async () => {
    const n = RETENTION_BATCH * 2 + 17;
    await t.dataSource.query(
      `INSERT INTO idempotency_keys (organization_id, scope, key, request_hash, status_code, response, created_at)
       SELECT $1, 'test', 'old-' || g, 'h', 200, '{}'::jsonb, now() - interval '2 days' FROM generate_series(1, $2) g`,
      [organizationId, n],
    );
    await t.dataSource.query(
      `INSERT INTO idempotency_keys (organization_id, scope, key, request_hash, status_code, response, created_at)
       SELECT $1, 'test', 'new-' || g, 'h', 200, '{}'::jsonb, now() - interval '23 hours' FROM generate_series(1, 3) g`,
      [organizationId],
    );
    await t.dataSource.query(
      `INSERT INTO sender_usage (sender_key, hour, count)
       SELECT 'channel:retention', date_trunc('hour', now()) - make_interval(hours => g), 1 FROM generate_series(0, 47) g`,
    );
    await t.app.get(SchedulerService).prune(true);
    assert.deepEqual(
      (await t.dataSource.query(`SELECT key FROM idempotency_keys WHERE scope = 'test' ORDER BY key`)).map((r: { key: string }) => r.key),
      ['new-1', 'new-2', 'new-3'],
    );
    // Hours 0..24 back are within 25 hours of now; 25..47 are gone.
    assert.equal(await count(`SELECT count(*) AS n FROM sender_usage WHERE sender_key = 'channel:retention'`), 25);
  });
});
