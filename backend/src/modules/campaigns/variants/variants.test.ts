import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { RuntimeSecrets } from '../../../config/runtime-secrets';
import { FakeSender, launchCampaign, liveRun, smsKit, tick, TriggerReceiver } from '../../../test/engine-harness';
import { startTestApp, TestApp } from '../../../test/test-app';
import { MaterializerService } from '../../scheduling/materializer.service';
import { bucketOf, variantIndexOf } from './variant-bucket';

/**
 * A/B variants on a real database: the split is stable per lead (SQL and the TypeScript mirror agree, a
 * re-materialization and a relaunch of the duplicate give each lead the same variant), the lease sends
 * each message its variant's template, and a test on a sample decides and sends the winner to the rest.
 */
describe.each([
  ['PostgreSQL', false],
  ['PGlite', true],
])('A/B variants on %s', (_database, embedded) => {
  let t: TestApp;
  let key: string;
  let receiver: TriggerReceiver;
  let kit: Awaited<ReturnType<typeof smsKit>>;
  let templateB: string;
  let block = 300;

  const api = (method: string, path: string, body?: unknown, k = key) => t.request(method, `/api/v1${path}`, { key: k, body });
  const post = async (path: string, body: unknown) => {
    const res = await api('POST', path, body);
    if (res.status !== 201 && res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  /** `n` leads with SMS consent, written set-based (10,000 through the API would take minutes). */
  async function leads(n: number): Promise<string[]> {
    const b = block++;
    const [{ organization_id: org }] = await t.dataSource.query<Array<{ organization_id: string }>>(
      'SELECT organization_id FROM templates WHERE id = $1',
      [kit.templateId],
    );
    const rows = await t.dataSource.query<Array<{ id: string }>>(
      `INSERT INTO leads (organization_id, phone, consent)
       SELECT $1, '+1' || $2::text || lpad(i::text, 6, '0'), '{"sms": true}' FROM generate_series(1, $3::int) i RETURNING id`,
      [org, String(b * 10 + 1000).slice(0, 4), n],
    );
    return rows.map((r) => r.id);
  }
  const variantsBody = (percents: [number, number]) => [
    { templateId: kit.templateId, percent: percents[0] },
    { templateId: templateB, percent: percents[1] },
  ];
  async function abBlast(leadIds: string[], step: Record<string, unknown>): Promise<string> {
    return launchCampaign(t, key, {
      name: 'A/B',
      type: 'blast',
      sender: { channelId: kit.channelId },
      audience: { leadIds },
      steps: [{ channel: 'sms', templateId: kit.templateId, ...step }],
      settings: { shards: 1 },
    });
  }
  /** lead id → variant label of the campaign's messages. */
  async function labels(campaignId: string): Promise<Map<string, string>> {
    const rows = await t.dataSource.query<Array<{ lead_id: string; label: string | null }>>(
      `SELECT m.lead_id, v.label FROM messages m LEFT JOIN campaign_step_variants v ON v.id = m.variant_id WHERE m.campaign_id = $1`,
      [campaignId],
    );
    return new Map(rows.map((r) => [r.lead_id, r.label ?? '-']));
  }

  beforeAll(async () => {
    receiver = new TriggerReceiver(() => t.app.get(RuntimeSecrets).triggerSigningSecret);
    await receiver.start();
    t = await startTestApp({ embedded, env: { SCHEDULER_INTERVAL_MS: '0', N8N_URL: receiver.url } });
    key = (await t.createOrg()).apiKey;
    kit = await smsKit(t, key);
    templateB = (await post('/templates', { name: 'Variant B', channel: 'sms', body: 'Hello B' })).id;
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  it('splits 50/50 within 2 % and gives every lead the same variant again on re-materialization and relaunch', async () => {
    const n = 10_000;
    const ids = await leads(n);
    const id = await abBlast(ids, { variants: variantsBody([50, 50]) });
    const first = await labels(id);
    assert.equal(first.size, n);
    const a = [...first.values()].filter((l) => l === 'A').length;
    const b = [...first.values()].filter((l) => l === 'B').length;
    assert.equal(a + b, n, 'every message has a variant');
    process.stdout.write(
      `A/B split over ${n} leads (${_database}): A ${a}, B ${b} (${((100 * a) / n).toFixed(2)} % / ${((100 * b) / n).toFixed(2)} %)\n`,
    );
    assert.ok(Math.abs(a / n - 0.5) <= 0.02, `A has ${a} of ${n}`);

    // The SQL agrees with the TypeScript mirror (variant-bucket.ts) for every lead.
    const [{ variant_seed: seed }] = await t.dataSource.query<Array<{ variant_seed: string }>>(
      'SELECT coalesce(variant_seed, id) AS variant_seed FROM campaign_steps WHERE campaign_id = $1',
      [id],
    );
    for (const [lead, label] of first) assert.equal(label, 'AB'[variantIndexOf(bucketOf(lead, seed, 'variant'), [50, 50])], lead);

    // Re-materialized from scratch: the same variant per lead.
    await t.dataSource.query('DELETE FROM messages WHERE campaign_id = $1', [id]);
    await t.dataSource.query('UPDATE campaigns SET materialized_at = NULL, materialize_cursor = NULL, audience_size = 0 WHERE id = $1', [
      id,
    ]);
    await t.app.get(MaterializerService).materialize(id);
    assert.deepEqual(await labels(id), first);

    // Relaunched: the duplicate keeps the step's seed, so each lead gets the same variant again.
    const copy = (await api('POST', `/campaigns/${id}/duplicate`)).body;
    assert.deepEqual(
      copy.steps[0].variants.map((v: { label: string; percent: number }) => [v.label, v.percent]),
      [
        ['A', 50],
        ['B', 50],
      ],
    );
    assert.equal((await api('POST', `/campaigns/${copy.id}/launch`)).status, 202);
    for (let i = 0; i < 100 && !(await api('GET', `/campaigns/${copy.id}`)).body.materialized; i++) await tick(t);
    assert.deepEqual(await labels(copy.id), first);
    await api('POST', `/campaigns/${id}/cancel`);
    await api('POST', `/campaigns/${copy.id}/cancel`);
  });

  it("leases each message with its variant's template", async () => {
    const id = await abBlast(await leads(30), { variants: variantsBody([30, 70]) });
    const byLabel = new Map<string, string>();
    const sender = new FakeSender(t, (item) => {
      byLabel.set(item.messageId, item.template.body);
      return { outcome: 'sent' };
    });
    await sender.drain(await liveRun(t, id));
    const rows = await t.dataSource.query<Array<{ id: string; label: string }>>(
      'SELECT m.id, v.label FROM messages m JOIN campaign_step_variants v ON v.id = m.variant_id WHERE m.campaign_id = $1',
      [id],
    );
    assert.equal(rows.length, 30);
    for (const r of rows) assert.equal(byLabel.get(r.id), r.label === 'A' ? 'Hi there' : 'Hello B', r.label);
    assert.ok(rows.some((r) => r.label === 'A') && rows.some((r) => r.label === 'B'));
  });

  it('tests on a sample, waits for the time and decides on replies, then sends the winner to the rest', async () => {
    const id = await abBlast(await leads(40), {
      variants: variantsBody([50, 50]),
      abTest: { samplePercent: 50, metric: 'reply', decideAfterSeconds: 60, minSamplePerVariant: 1 },
    });
    const campaign = (await api('GET', `/campaigns/${id}`)).body;
    assert.deepEqual(campaign.steps[0].abTest, { samplePercent: 50, metric: 'reply', decideAfterSeconds: 60, minSamplePerVariant: 1 });
    const [stepB] = campaign.steps[0].variants.filter((v: { label: string }) => v.label === 'B');
    const bodies: string[] = [];
    const sender = new FakeSender(t, (item) => {
      bodies.push(item.template.body);
      return { outcome: 'sent' };
    });
    const sampled = await sender.drain(await liveRun(t, id));
    const held = await t.dataSource.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM messages WHERE campaign_id = $1 AND variant_id IS NULL AND status = 'queued' AND due_at = 'infinity'`,
      [id],
    );
    assert.ok(sampled > 5 && sampled < 35, `sample of ${sampled}`);
    assert.equal(held[0].n, 40 - sampled, 'the rest are held for the winner');
    // Variant B's leads reply.
    await t.dataSource.query(
      `UPDATE messages m SET replied_at = now() FROM campaign_step_variants v WHERE v.id = m.variant_id AND m.campaign_id = $1 AND v.label = 'B'`,
      [id],
    );
    await tick(t);
    let results = (await api('GET', `/campaigns/${id}/variants`)).body.steps[0];
    assert.equal(results.status, 'testing', 'not before decideAfterSeconds');
    assert.equal(results.waiting, 40 - sampled);
    assert.ok(results.decidesAt);
    // A minute and more later.
    await t.dataSource.query(`UPDATE campaign_steps SET test_started_at = now() - interval '2 minutes' WHERE campaign_id = $1`, [id]);
    await tick(t);
    results = (await api('GET', `/campaigns/${id}/variants`)).body.steps[0];
    assert.equal(results.status, 'decided');
    assert.equal(results.winnerVariantId, stepB.id);
    assert.equal(results.waiting, 0);
    const remainder = await sender.drain(await liveRun(t, id));
    assert.equal(remainder, 40 - sampled);
    assert.deepEqual(new Set(bodies.slice(sampled)), new Set(['Hello B']));
    const [{ n, distinct }] = await t.dataSource.query<Array<{ n: number; distinct: number }>>(
      `SELECT count(*)::int AS n, count(DISTINCT lead_id)::int AS distinct FROM messages WHERE campaign_id = $1 AND status = 'sent'`,
      [id],
    );
    assert.deepEqual([n, distinct], [40, 40], 'every lead once');
    results = (await api('GET', `/campaigns/${id}/variants`)).body.steps[0];
    const [a, b] = results.variants;
    assert.equal(a.sent + b.sent, 40);
    assert.equal(a.replied, 0);
    assert.equal(a.rate, 0);
    assert.ok(b.replied > 0 && b.rate > 0 && b.replied < b.sent, 'B: the sample replied, the remainder not yet');
    assert.equal(b.templateName, 'Variant B');
    assert.equal(results.significance.metric, 'reply');
    assert.equal(results.significance.leaderVariantId, stepB.id);
    assert.equal(typeof results.significance.pValue, 'number');
    assert.equal(results.significance.confident, results.significance.pValue < 0.05);
    const shown = (await api('GET', `/campaigns/${id}`)).body.steps[0];
    assert.equal(shown.winnerVariantId, stepB.id);
    assert.ok(Date.parse(shown.decidedAt) > 0);
  });

  it('decides once the whole sample is done even below the minimum sample', async () => {
    const id = await abBlast(await leads(10), {
      variants: variantsBody([50, 50]),
      abTest: { samplePercent: 50, metric: 'conversion', decideAfterSeconds: 60 },
    });
    const sampled = await new FakeSender(t).drain(await liveRun(t, id));
    await t.dataSource.query(`UPDATE campaign_steps SET test_started_at = now() - interval '2 minutes' WHERE campaign_id = $1`, [id]);
    await tick(t);
    const results = (await api('GET', `/campaigns/${id}/variants`)).body.steps[0];
    assert.equal(results.abTest.minSamplePerVariant, 100, 'the default');
    assert.equal(results.status, 'decided');
    // No conversions: a tie, so A.
    assert.equal(results.winnerVariantId, results.variants[0].id);
    assert.equal(await new FakeSender(t).drain(await liveRun(t, id)), 10 - sampled);
  });

  it('refuses malformed variants and tests with validation_failed and the field', async () => {
    const other = (await post('/templates', { name: 'Mail', channel: 'email', subject: 'S', html: '<p>x</p>' })).id;
    const outsider = (await t.createOrg()).apiKey;
    const foreign = (await t.request('POST', '/api/v1/templates', { key: outsider, body: { name: 'X', channel: 'sms', body: 'x' } })).body
      .id;
    const create = (step: Record<string, unknown>) =>
      api('POST', '/campaigns', {
        name: 'Bad',
        type: 'blast',
        sender: { channelId: kit.channelId },
        audience: { all: true },
        steps: [{ channel: 'sms', templateId: kit.templateId, ...step }],
      });
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ variants: variantsBody([50, 40]) }, 'steps[0].variants'],
      [
        {
          variants: [
            { templateId: kit.templateId, percent: 50 },
            { templateId: kit.templateId, percent: 50 },
          ],
        },
        'steps[0].variants[1].templateId',
      ],
      [
        {
          variants: [
            { templateId: templateB, percent: 50 },
            { templateId: kit.templateId, percent: 50 },
          ],
        },
        'steps[0].variants[0].templateId',
      ],
      [
        {
          variants: [
            { templateId: kit.templateId, percent: 50 },
            { templateId: other, percent: 50 },
          ],
        },
        'steps[0].variants[1].templateId',
      ],
      [
        {
          variants: [
            { templateId: kit.templateId, percent: 50 },
            { templateId: foreign, percent: 50 },
          ],
        },
        'steps[0].variants[1].templateId',
      ],
      [{ abTest: { samplePercent: 20, metric: 'reply', decideAfterSeconds: 600 } }, 'steps[0].abTest'],
      [
        { variants: variantsBody([50, 50]), abTest: { samplePercent: 20, metric: 'open', decideAfterSeconds: 600 } },
        'steps[0].abTest.metric',
      ],
    ];
    for (const [step, field] of cases) {
      const res = await create(step);
      assert.equal(res.status, 400, JSON.stringify(step));
      assert.equal(res.body.code, 'validation_failed');
      assert.ok(JSON.stringify(res.body.details).includes(field), `${field} in ${JSON.stringify(res.body.details)}`);
    }
    // Bounds the DTO enforces.
    const bounds: Array<Record<string, unknown>> = [
      { variants: [{ templateId: kit.templateId, percent: 100 }] },
      {
        variants: [
          { templateId: kit.templateId, percent: 0 },
          { templateId: templateB, percent: 100 },
        ],
      },
      { variants: variantsBody([50, 50]), abTest: { samplePercent: 100, metric: 'reply', decideAfterSeconds: 600 } },
      { variants: variantsBody([50, 50]), abTest: { samplePercent: 10, metric: 'reply', decideAfterSeconds: 59 } },
      { variants: variantsBody([50, 50]), abTest: { samplePercent: 10, metric: 'views', decideAfterSeconds: 600 } },
      { variants: variantsBody([50, 50]), abTest: { samplePercent: 10, metric: 'reply', decideAfterSeconds: 600, minSamplePerVariant: 0 } },
      { variants: [...variantsBody([50, 50]), ...Array(4).fill({ templateId: templateB, percent: 1 })] },
    ];
    for (const step of bounds) {
      const res = await create(step);
      assert.equal(res.status, 400, JSON.stringify(step));
      assert.equal(res.body.code, 'validation_failed');
    }
  });

  it("answers 404 for another organization's campaign, and no steps for a campaign without variants", async () => {
    const id = await abBlast(await leads(2), { variants: variantsBody([50, 50]) });
    const outsider = (await t.createOrg()).apiKey;
    const res = await api('GET', `/campaigns/${id}/variants`, undefined, outsider);
    assert.equal(res.status, 404);
    assert.equal(res.body.code, 'campaign_not_found');
    const plain = await kit.blast(1);
    assert.deepEqual((await api('GET', `/campaigns/${plain}/variants`)).body, { steps: [] });
    const mine = (await api('GET', `/campaigns/${id}/variants`)).body.steps[0];
    assert.equal(mine.status, 'split');
    assert.equal(mine.abTest, null);
    assert.equal(mine.significance, null);
    const step = (await api('GET', `/campaigns/${plain}`)).body.steps[0];
    assert.deepEqual([step.variants, step.abTest, step.winnerVariantId, step.decidedAt], [[], null, null, null]);
  });
});
