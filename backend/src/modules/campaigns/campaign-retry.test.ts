import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startTestApp, TestApp } from '../../test/test-app';

/** Failed WhatsApp messages as the webhooks and n8n leave them: code, message, provider id. */
const FAILURES: Array<[code: string, count: number]> = [
  ['131056', 3], // pair rate limit: not sent, retry later
  ['131026', 2], // undeliverable: not delivered
  ['131050', 1], // the person stopped marketing messages: never retried
  ['provider_rejected', 1], // unknown code: proves nothing
];

describe('retry of failed messages and the export of failures', () => {
  let t: TestApp;
  let key: string;
  let otherKey: string;
  let organizationId: string;
  let channelId: string;
  let templateId: string;

  const createCampaign = async (type = 'blast') => {
    const res = await t.request('POST', '/api/v1/campaigns', {
      key,
      body: {
        name: `WA ${type}`,
        type,
        sender: { channelId },
        audience: { all: true },
        steps: [{ templateId }],
        settings: { ratePerSecond: 5 },
      },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.id as string;
  };

  /** A finished campaign: delivered, failed with each code, one unknown; status completed as the scheduler leaves it. */
  const finished = async () => {
    const id = await createCampaign();
    const [{ id: stepId }] = await t.dataSource.query('SELECT id FROM campaign_steps WHERE campaign_id = $1', [id]);
    let n = 0;
    const insert = (status: string, code: string | null) =>
      t.dataSource.query(
        `INSERT INTO messages (organization_id, campaign_id, step_id, position, channel, status, to_address, attempts, sent_at, error_code, error_message, provider_message_id)
         VALUES ($1, $2, $3, 0, 'whatsapp', $4, $5, 1, now(), $6, $7, $8)`,
        [organizationId, id, stepId, status, `+1415555${String(n++).padStart(4, '0')}`, code, code && `error ${code}`, `wamid.${n}`],
      );
    for (const [code, count] of FAILURES) for (let i = 0; i < count; i++) await insert('failed', code);
    await insert('delivered', null);
    await insert('unknown', 'lease_expired');
    await t.dataSource.query(`UPDATE campaigns SET status = 'completed', completed_at = now(), materialized_at = now() WHERE id = $1`, [
      id,
    ]);
    return id;
  };
  const retry = (id: string, body: unknown = {}, k = key) => t.request('POST', `/api/v1/campaigns/${id}/retry`, { key: k, body });
  const statuses = async (id: string) =>
    Object.fromEntries(
      (
        await t.dataSource.query(
          `SELECT status || ':' || coalesce(error_code, '-') AS k, count(*)::int AS n FROM messages WHERE campaign_id = $1 GROUP BY 1`,
          [id],
        )
      ).map((r: { k: string; n: number }) => [r.k, r.n]),
    );

  beforeAll(async () => {
    t = await startTestApp({ env: { SCHEDULER_INTERVAL_MS: '0' } });
    const org = await t.createOrg('Acme');
    key = org.apiKey;
    organizationId = org.organizationId;
    otherKey = (await t.createOrg('Other')).apiKey;
    channelId = (
      await t.request('POST', '/api/v1/channels', {
        key,
        body: {
          type: 'whatsapp',
          name: 'WA',
          config: { phoneNumberId: '1234567890', baseUrl: 'http://127.0.0.1:9' },
          secrets: { accessToken: 'x', appSecret: 'y' },
        },
      })
    ).body.id;
    templateId = (
      await t.request('POST', '/api/v1/templates', {
        key,
        body: { name: 'wa', channel: 'whatsapp', whatsapp: { name: 'spring_offer', language: 'en_US' } },
      })
    ).body.id;
    await t.request('POST', '/api/v1/leads', { key, body: { phone: '+14155550100', consent: { whatsapp: true } } });
  });
  afterAll(() => t?.close());

  it('retries exactly the failures whose error proves nothing arrived, once, keeping each failed try', async () => {
    const id = await finished();
    const only = await retry(id, { errorCodes: ['131056'] });
    assert.equal(only.status, 200, JSON.stringify(only.body));
    assert.equal(only.body.retried, 3);
    assert.equal(only.body.status, 'active', 'a completed campaign has work again');
    const campaign = await t.request('GET', `/api/v1/campaigns/${id}`, { key });
    assert.equal(campaign.body.status, 'active');
    assert.deepEqual(await statuses(id), {
      'queued:-': 3,
      'failed:131026': 2,
      'failed:131050': 1,
      'failed:provider_rejected': 1,
      'delivered:-': 1,
      'unknown:lease_expired': 1,
    });
    const attempts = await t.dataSource.query(
      `SELECT a.error_code, a.attempt, a.provider_message_id, a.organization_id FROM message_attempts a JOIN messages m ON m.id = a.message_id WHERE m.campaign_id = $1`,
      [id],
    );
    assert.equal(attempts.length, 3);
    assert.ok(
      attempts.every(
        (a: { error_code: string; attempt: number; provider_message_id: string; organization_id: string }) =>
          a.error_code === '131056' &&
          a.attempt === 1 &&
          a.provider_message_id.startsWith('wamid.') &&
          a.organization_id === organizationId,
      ),
    );

    const all = await retry(id);
    assert.equal(all.body.retried, 2, 'the undeliverable ones; the 131056 ones are queued already');
    assert.deepEqual(
      all.body.notRetried
        .map((x: { errorCode: string; count: number; errorTitle: string | null }) => [x.errorCode, x.count, x.errorTitle])
        .sort(),
      [
        ['131050', 1, 'Recipient stopped marketing messages'],
        ['provider_rejected', 1, null],
      ],
    );
    const again = await retry(id);
    assert.equal(again.body.retried, 0, 'nothing is retried twice while its retry is pending');
    assert.equal((await statuses(id))['unknown:lease_expired'], 1, 'an unknown outcome (maybe delivered) is never retried');
  });

  it('exports the failures with their error code, title and whether a retry would send them', async () => {
    const id = await finished();
    const res = await fetch(`${t.baseUrl}/api/v1/campaigns/${id}/messages.csv?status=failed`, {
      headers: { authorization: `Bearer ${key}` },
    });
    assert.equal(res.status, 200);
    const [header, ...rows] = (await res.text()).trim().split('\r\n');
    const cols = header.split(',');
    assert.deepEqual(cols.slice(-2), ['error_title', 'retryable']);
    assert.equal(rows.length, 7);
    const at = (row: string, col: string) => row.split(',')[cols.indexOf(col)];
    const byCode = new Map(rows.map((r) => [at(r, 'error_code'), r]));
    assert.equal(at(byCode.get('131056')!, 'error_title'), 'Pair rate limit hit (too many messages to this number)');
    assert.equal(at(byCode.get('131056')!, 'retryable'), 'yes');
    assert.equal(at(byCode.get('131050')!, 'retryable'), 'no');
    assert.equal(at(byCode.get('provider_rejected')!, 'error_title'), '');
  });

  it('refuses sequences, drafts and other organizations with stable codes', async () => {
    const draft = await createCampaign();
    const refused = await retry(draft);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.code, 'campaign_not_retryable');
    const sequence = await createCampaign('sequence');
    assert.equal((await retry(sequence)).body.code, 'campaign_not_retryable');
    const id = await finished();
    const foreign = await retry(id, {}, otherKey);
    assert.equal(foreign.status, 404);
    assert.equal(foreign.body.code, 'campaign_not_found');
    assert.equal((await statuses(id))['failed:131056'], 3, "another organization's call changed nothing");
    assert.equal((await retry(id, { errorCodes: 'x' })).status, 400);
  });
});
