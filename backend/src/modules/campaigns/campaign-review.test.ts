import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { RuntimeSecrets } from '../../config/runtime-secrets';
import { FakeSender, tickUntil, TriggerReceiver } from '../../test/engine-harness';
import { startTestApp, TestApp } from '../../test/test-app';

/**
 * POST /campaigns/audience-preview (the wizard's review) and POST /campaigns/:id/duplicate, on both
 * databases. The review counts with the lease's own compliance expressions: a launched campaign skips
 * exactly what the review said it would.
 */
for (const embedded of [false, true]) {
  describe(`campaign review and duplicate on ${embedded ? 'PGlite' : 'PostgreSQL'}`, () => {
    let t: TestApp;
    let key: string;
    let receiver: TriggerReceiver;
    let twilioId: string;
    let mailgunId: string;
    let smsTemplate: string;
    let emailTemplate: string;
    const leads: Record<string, string> = {};

    const api = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
      t.request(method, `/api/v1${path}`, { key, body, headers });
    const preview = (body: unknown) => api('POST', '/campaigns/audience-preview', body);

    beforeAll(async () => {
      receiver = new TriggerReceiver(() => t.app.get(RuntimeSecrets).triggerSigningSecret);
      await receiver.start();
      t = await startTestApp({ embedded, env: { SCHEDULER_INTERVAL_MS: '0', N8N_URL: receiver.url } });
      key = (await t.createOrg()).apiKey;
      twilioId = (
        await api('POST', '/channels', {
          type: 'twilio',
          name: 'Line',
          config: { accountSid: `AC${'4'.repeat(32)}`, from: '+14155550100', ratePerSecond: 5 },
          secrets: { authToken: 'x' },
        })
      ).body.id;
      mailgunId = (
        await api('POST', '/channels', {
          type: 'mailgun',
          name: 'News',
          config: { domain: 'mg.acme.test', from: 'news@acme.test' },
          secrets: { apiKey: 'key-x', webhookSigningKey: 'sign-x' },
        })
      ).body.id;
      smsTemplate = (await api('POST', '/templates', { name: 'S', channel: 'sms', body: 'Hi {{ lead.firstName }}' })).body.id;
      emailTemplate = (await api('POST', '/templates', { name: 'E', channel: 'email', subject: 'Hi', text: 'Hello' })).body.id;
      const people = {
        // SMS: sent; email: sent.
        ok: { email: 'ok@acme.test', phone: '+14155550001', consent: { sms: true } },
        // SMS: no opt-in; email: no address.
        noConsent: { phone: '+14155550002', consent: { sms: false } },
        // SMS: on the STOP list; email: opted out.
        suppressed: { email: 'out@acme.test', phone: '+14155550003', consent: { sms: true, email: false } },
        // SMS: no phone; email: suppressed.
        emailOnly: { email: 'bounced@acme.test' },
      };
      for (const [name, lead] of Object.entries(people)) {
        const res = await api('POST', '/leads', { ...lead, attributes: { group: name === 'ok' ? 'a' : 'b' } });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        leads[name] = res.body.id;
      }
      assert.equal((await api('POST', '/suppressions', { channel: 'sms', address: '+14155550003', reason: 'stop' })).status, 201);
      assert.equal((await api('POST', '/suppressions', { channel: 'email', address: 'bounced@acme.test', reason: 'bounced' })).status, 201);
    }, 120_000);
    afterAll(async () => {
      await t?.close();
      await receiver?.stop();
    });

    it('counts a blast audience after address, suppression and consent, with a duration at the slowest rate', async () => {
      const res = await preview({
        sender: { channelId: twilioId },
        audience: { all: true },
        steps: [{ channel: 'sms' }],
        settings: { ratePerSecond: 0.5 },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.total, 4);
      assert.equal(res.body.messages, 4);
      assert.equal(res.body.eligible, 1);
      assert.deepEqual(res.body.skipped, { no_consent: 1, suppressed: 1, missing_address: 1 });
      assert.equal(res.body.ratePerSecond, 0.5, 'the campaign rate is below the number’s 5/s');
      assert.equal(res.body.estimatedSeconds, 2);
      assert.equal(res.body.perStep[0].senderRatePerSecond, 5);
      // Without a campaign rate, the sender's own rate bounds it.
      const faster = await preview({ sender: { channelId: twilioId }, audience: { all: true }, steps: [{ channel: 'sms' }] });
      assert.equal(faster.body.ratePerSecond, 5);
      assert.equal(faster.body.estimatedSeconds, 1);
    });

    it('counts each step of a sequence on its own channel and adds the delays; a daily cap adds whole days', async () => {
      const res = await preview({
        sender: { channelId: mailgunId },
        audience: { all: true },
        steps: [
          { channel: 'email', delaySeconds: 0 },
          { channel: 'sms', delaySeconds: 3600, sender: { channelId: twilioId } },
        ],
        settings: { dailyCap: 1 },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.total, 4);
      assert.equal(res.body.messages, 8);
      assert.deepEqual(
        res.body.perStep.map((s: { eligible: number; skipped: unknown }) => [s.eligible, s.skipped]),
        [
          [1, { missing_address: 1, no_consent: 1, suppressed: 1 }],
          [1, { missing_address: 1, no_consent: 1, suppressed: 1 }],
        ],
      );
      assert.deepEqual(res.body.skipped, { missing_address: 2, no_consent: 2, suppressed: 2 });
      assert.equal(res.body.eligible, 2);
      // 2 eligible messages, one per rolling day: the second waits a day; plus the hour's delay.
      assert.equal(res.body.estimatedSeconds, 3600 + 86_400);
    });

    it('counts a filter and a list of leads; another organization’s leads and senders are not seen', async () => {
      const filtered = await preview({ audience: { filter: { consent: { sms: true } } }, steps: [{ channel: 'sms' }] });
      assert.equal(filtered.body.total, 2);
      assert.deepEqual(filtered.body.skipped, { suppressed: 1 });
      assert.equal(filtered.body.estimatedSeconds, null, 'no sender and no campaign rate: no estimate');
      const byAttribute = await preview({ audience: { filter: { attributes: { group: 'b' } } }, steps: [{ channel: 'sms' }] });
      assert.equal(byAttribute.body.total, 3);
      const listed = await preview({ audience: { leadIds: [leads.ok, leads.noConsent, leads.ok] }, steps: [{ channel: 'sms' }] });
      assert.equal(listed.body.total, 2);
      assert.equal(listed.body.eligible, 1);

      const other = await t.createOrg();
      const foreign = await t.request('POST', '/api/v1/campaigns/audience-preview', {
        key: other.apiKey,
        body: { audience: { leadIds: [leads.ok] }, steps: [{ channel: 'sms' }] },
      });
      assert.equal(foreign.status, 200);
      assert.equal(foreign.body.total, 0);
      const foreignSender = await t.request('POST', '/api/v1/campaigns/audience-preview', {
        key: other.apiKey,
        body: { sender: { channelId: twilioId }, audience: { all: true }, steps: [{ channel: 'sms' }] },
      });
      assert.equal(foreignSender.status, 400);
      assert.equal(foreignSender.body.code, 'validation_failed');
    });

    it('a CSV imported with returnIds=true answers the ids of its created and updated leads: an audience of exactly that file', async () => {
      const csv =
        'email,phone,consent.sms\nok@acme.test,,\nnew1@acme.test,+14155550111,true\nbroken,,\nnew2@acme.test,,\nnew1@acme.test,,\n';
      const res = await t.request('POST', '/api/v1/leads/import?returnIds=true', {
        key,
        raw: csv,
        headers: { 'content-type': 'text/csv' },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.failed, 1);
      assert.equal(res.body.leadIdsTruncated, false);
      assert.equal(res.body.leadIds.length, 3, 'each lead once: ok (updated), new1 (twice in the file), new2');
      assert.equal(res.body.leadIds[0], leads.ok);
      const review = await preview({ audience: { leadIds: res.body.leadIds }, steps: [{ channel: 'sms' }] });
      assert.equal(review.body.total, 3);
      assert.equal(review.body.eligible, 2, 'ok and new1 have an SMS opt-in and a phone');
      // Without the flag the answer is as before; a bad flag is a 400.
      const plain = await t.request('POST', '/api/v1/leads/import', {
        key,
        raw: 'email\nnew3@acme.test\n',
        headers: { 'content-type': 'text/csv' },
      });
      assert.equal(plain.body.leadIds, undefined);
      const bad = await t.request('POST', '/api/v1/leads/import?returnIds=yes', {
        key,
        raw: 'email\nx@acme.test\n',
        headers: { 'content-type': 'text/csv' },
      });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.code, 'validation_failed');
      // Later tests count the whole organization: take the new leads out again.
      for (const id of res.body.leadIds.slice(1)) assert.equal((await api('DELETE', `/leads/${id}`)).status, 204);
      const third = (await api('GET', '/leads?email=new3@acme.test')).body.items[0].id;
      assert.equal((await api('DELETE', `/leads/${third}`)).status, 204);
    });

    it('answers 400 validation_failed to malformed bodies', async () => {
      for (const body of [
        { audience: { all: true }, steps: [] },
        { steps: [{ channel: 'sms' }] },
        { audience: { all: true }, steps: [{ channel: 'fax' }] },
        { audience: { all: true, leadIds: [leads.ok] }, steps: [{ channel: 'sms' }] },
        { audience: { filter: { consent: { pigeon: true } } }, steps: [{ channel: 'sms' }] },
        { audience: { all: true }, steps: Array.from({ length: 21 }, () => ({ channel: 'sms' })) },
        { audience: { all: true }, steps: [{ channel: 'sms' }], settings: { ratePerSecond: 0 } },
      ]) {
        const res = await preview(body);
        assert.equal(res.status, 400, `${JSON.stringify(body)} → ${res.status} ${JSON.stringify(res.body)}`);
        assert.equal(res.body.code, 'validation_failed');
      }
    });

    it('a launched campaign skips exactly what the review predicted (the lease uses the same rules)', async () => {
      const definition = { sender: { channelId: twilioId }, audience: { all: true }, steps: [{ channel: 'sms' as const }] };
      const predicted = (await preview(definition)).body;
      const created = await api('POST', '/campaigns', {
        name: 'Spring',
        type: 'blast',
        ...definition,
        steps: [{ channel: 'sms', templateId: smsTemplate }],
        settings: { ratePerSecond: 1000 },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const id = created.body.id as string;
      assert.equal((await api('POST', `/campaigns/${id}/launch`, undefined, { 'idempotency-key': 'launch-spring' })).status, 202);
      await tickUntil(t, async () => receiver.triggers.some((tr) => tr.campaignId === id));
      const runId = receiver.triggers.find((tr) => tr.campaignId === id)!.runId as string;
      assert.equal(await new FakeSender(t).drain(runId), predicted.eligible);
      const reasons: Array<{ reason: string; n: number }> = await t.dataSource.query(
        `SELECT skip_reason AS reason, count(*)::int AS n FROM messages WHERE campaign_id = $1 AND status = 'skipped' GROUP BY 1`,
        [id],
      );
      assert.deepEqual(Object.fromEntries(reasons.map((r) => [r.reason, Number(r.n)])), predicted.skipped);
    });

    it('duplicates a launched campaign as a draft with the same definition, named "Copy of …"', async () => {
      const created = await api('POST', '/campaigns', {
        name: 'Drip',
        type: 'sequence',
        sender: { channelId: mailgunId },
        audience: { filter: { attributes: { group: 'b' } } },
        steps: [
          { channel: 'email', templateId: emailTemplate },
          { channel: 'sms', templateId: smsTemplate, delaySeconds: 7200, condition: { type: 'no_reply' }, sender: { channelId: twilioId } },
        ],
        settings: { ratePerSecond: 3, dailyCap: 500, concurrency: 4, startAt: '2020-01-01T00:00:00Z' },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const id = created.body.id as string;
      assert.equal((await api('POST', `/campaigns/${id}/launch`)).status, 202);
      const copy = await api('POST', `/campaigns/${id}/duplicate`);
      assert.equal(copy.status, 201, JSON.stringify(copy.body));
      assert.notEqual(copy.body.id, id);
      assert.equal(copy.body.name, 'Copy of Drip');
      assert.equal(copy.body.status, 'draft');
      assert.equal(copy.body.type, 'sequence');
      assert.deepEqual(copy.body.sender, { channelId: mailgunId });
      assert.deepEqual(copy.body.audience, { filter: { attributes: { group: 'b' } } });
      assert.deepEqual(copy.body.settings, { ratePerSecond: 3, dailyCap: 500, concurrency: 4 }, 'a past start time is dropped');
      const shape = (s: Record<string, unknown>) => ({ ...s, id: undefined });
      assert.deepEqual(copy.body.steps.map(shape), created.body.steps.map(shape));
      assert.equal(copy.body.audienceSize, 0);
      // The copy is an ordinary draft: editable, and the original is untouched.
      assert.equal((await api('PATCH', `/campaigns/${copy.body.id}`, { name: 'Drip 2' })).body.name, 'Drip 2');
      assert.equal((await api('GET', `/campaigns/${id}`)).body.name, 'Drip');
      // A copy of a copy of a long name stays within the 200-character limit.
      const long = await api('PATCH', `/campaigns/${copy.body.id}`, { name: 'x'.repeat(200) });
      assert.equal(long.status, 200);
      assert.equal((await api('POST', `/campaigns/${copy.body.id}/duplicate`)).body.name.length, 200);
    });

    it('duplicate answers 404 for an unknown or foreign campaign and 400 for a malformed id', async () => {
      const missing = await api('POST', '/campaigns/00000000-0000-4000-8000-000000000000/duplicate');
      assert.equal(missing.status, 404);
      assert.equal(missing.body.code, 'campaign_not_found');
      const mine = (await api('GET', '/campaigns')).body.items[0].id as string;
      const other = await t.createOrg();
      const foreign = await t.request('POST', `/api/v1/campaigns/${mine}/duplicate`, { key: other.apiKey });
      assert.equal(foreign.status, 404);
      assert.equal((await api('POST', '/campaigns/not-a-uuid/duplicate')).status, 400);
    });

    if (!embedded) {
      it('stays set-based at 100,000 leads (one statement; measured)', async () => {
        const org = await t.createOrg();
        await t.dataSource.query(
          `INSERT INTO leads (organization_id, email, phone, consent)
           SELECT $1, 'bulk' || g || '@acme.test', '+1415' || lpad(g::text, 7, '0'),
                  CASE WHEN g % 3 = 0 THEN '{"sms": true}'::jsonb ELSE '{}'::jsonb END
             FROM generate_series(1, 100000) g`,
          [org.organizationId],
        );
        await t.dataSource.query(
          `INSERT INTO suppressions (organization_id, channel, address, reason)
           SELECT $1, 'sms', '+1415' || lpad(g::text, 7, '0'), 'stop' FROM generate_series(3, 30000, 3) g`,
          [org.organizationId],
        );
        await t.dataSource.query('ANALYZE leads');
        const started = Date.now();
        const res = await t.request('POST', '/api/v1/campaigns/audience-preview', {
          key: org.apiKey,
          body: { audience: { all: true }, steps: [{ channel: 'sms' }, { channel: 'email' }, { channel: 'sms' }] },
        });
        const ms = Date.now() - started;
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.body.total, 100_000);
        assert.equal(res.body.perStep[0].eligible, 33_333 - 10_000);
        assert.deepEqual(res.body.perStep[0].skipped, { no_consent: 66_667, suppressed: 10_000 });
        assert.equal(res.body.perStep[1].eligible, 100_000);
        console.log(`audience-preview over 100,000 leads × 3 steps (2 channels): ${ms} ms`);
        assert.ok(ms < 10_000, `took ${ms} ms`);
      }, 120_000);
    }
  });
}
