// An A/B test end to end: a Mailgun campaign with two subject variants tested on half of the leads
// through a real n8n, the sandbox's recipients of variant B opening (signed webhooks back), the clock
// pushed past decideAfterSeconds, the scheduler choosing B, and the other half receiving B only, once.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { ROOT, startStack, waitFor } from './stack.mjs';

// The backend's own bucket functions (its build): the test knows each lead's draw before launch.
const { bucketOf, inSample, variantIndexOf } = createRequire(import.meta.url)(
  join(ROOT, 'backend', 'dist', 'modules', 'campaigns', 'variants', 'variant-bucket.js'),
);

describe('an A/B test end to end with a real n8n and the Mailgun sandbox', () => {
  let s;
  let mailgun;
  const templates = {};

  beforeAll(async () => {
    s = await startStack();
    mailgun = await s.mailgunChannel();
    for (const label of ['A', 'B']) {
      templates[label] = (
        await s.api('POST', '/templates', {
          name: `Subject ${label}`,
          channel: 'email',
          subject: `Subject ${label}`,
          html: `<p>Variant ${label}: see <a href="https://cadence.test/pricing">pricing</a>.</p>`,
        })
      ).body.id;
    }
    await s.sandboxApi('POST', '/mailgun/webhooks', {
      domain: 'mg.cadence.test',
      event: '*',
      url: `${s.backendUrl}/webhooks/mailgun/${mailgun}`,
    });
  });
  afterAll(async () => {
    if (process.exitCode && s) console.error(s.logs.slice(-60).join(''));
    await s?.stop();
  });

  it('tests A and B on a sample, decides on opens, and sends the winner to the rest with no duplicates', async () => {
    const addresses = Array.from({ length: 40 }, (_, i) => `ab${i}@cadence.test`);
    const leads = await s.api(
      'POST',
      '/leads',
      addresses.map((email) => ({ email })),
    );
    assert.equal(leads.body.failed, 0, JSON.stringify(leads.body));
    const created = await s.api('POST', '/campaigns', {
      name: 'A/B e2e',
      type: 'blast',
      sender: { channelId: mailgun },
      audience: { leadIds: leads.body.ids },
      steps: [
        {
          channel: 'email',
          templateId: templates.A,
          variants: [
            { templateId: templates.A, percent: 50 },
            { templateId: templates.B, percent: 50 },
          ],
          abTest: { samplePercent: 50, metric: 'open', decideAfterSeconds: 60, minSamplePerVariant: 1 },
        },
      ],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.id;
    const step = created.body.steps[0];
    const [variantA, variantB] = step.variants;
    // Each lead's draw, as the backend makes it (a new step's seed is its id).
    const plan = leads.body.ids.map((leadId, i) => ({
      address: addresses[i],
      sample: inSample(bucketOf(leadId, step.id, 'sample'), 50),
      label: 'AB'[variantIndexOf(bucketOf(leadId, step.id, 'variant'), [50, 50])],
    }));
    const sample = plan.filter((p) => p.sample);
    const rest = plan.filter((p) => !p.sample);
    assert.ok(sample.some((p) => p.label === 'A') && sample.some((p) => p.label === 'B') && rest.length > 0, JSON.stringify(plan));
    // Variant B's sample recipients open; everyone else stays quiet (first matching override wins).
    for (const p of sample.filter((x) => x.label === 'B'))
      await s.sandboxApi('POST', '/behaviour/overrides', { match: p.address, behaviour: { opened: true } });
    await s.sandboxApi('POST', '/behaviour/overrides', { match: 'ab*@cadence.test', behaviour: {} });

    assert.equal((await s.api('POST', `/campaigns/${id}/launch`)).status, 202);
    const mails = async () => (await s.sandboxApi('GET', '/messages?provider=mailgun')).items.filter((m) => /^ab\d+@/.test(m.to));
    await waitFor(async () => (await mails()).length === sample.length, 'the sample to be sent', 120_000, 500);
    const openedB = sample.filter((p) => p.label === 'B').length;
    let results;
    await waitFor(
      async () => {
        results = (await s.api('GET', `/campaigns/${id}/variants`)).body.steps[0];
        return results.variants[1].opened === openedB;
      },
      "variant B's opens to be counted",
      60_000,
      500,
    );
    assert.equal(results.status, 'testing', 'not before decideAfterSeconds');
    assert.equal(results.waiting, rest.length);
    assert.equal(results.variants[0].opened, 0);
    assert.equal((await mails()).length, sample.length, 'the rest wait for the winner');

    // A minute later, as far as the test is concerned: the scheduler decides on its next tick.
    await s.db.query(`UPDATE campaign_steps SET test_started_at = now() - interval '2 minutes' WHERE id = $1`, [step.id]);
    const done = await s.campaignDone(id);
    assert.equal(done.status, 'completed');
    assert.equal(done.steps[0].winnerVariantId, variantB.id);

    const sent = await mails();
    assert.equal(sent.length, 40);
    assert.equal(new Set(sent.map((m) => m.to)).size, 40, 'each lead once');
    assert.equal((await s.sandboxApi('GET', '/duplicates')).total, 0);
    const subjectOf = new Map(sent.map((m) => [m.to, m.subject]));
    for (const p of sample) assert.equal(subjectOf.get(p.address), `Subject ${p.label}`, p.address);
    for (const p of rest) assert.equal(subjectOf.get(p.address), 'Subject B', `${p.address} got the winner`);

    results = (await s.api('GET', `/campaigns/${id}/variants`)).body.steps[0];
    assert.equal(results.status, 'decided');
    assert.equal(results.winnerVariantId, variantB.id);
    assert.equal(results.waiting, 0);
    assert.deepEqual(
      results.variants.map((v) => [v.id, v.sent]),
      [
        [variantA.id, sample.filter((p) => p.label === 'A').length],
        [variantB.id, openedB + rest.length],
      ],
    );
    assert.equal(results.significance.metric, 'open');
    assert.equal(results.significance.leaderVariantId, variantB.id);
  });
});
