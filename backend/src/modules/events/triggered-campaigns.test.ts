import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { RuntimeSecrets } from '../../config/runtime-secrets';
import { FakeSender, tick, tickUntil, TriggerReceiver } from '../../test/engine-harness';
import { startTestApp, TestApp } from '../../test/test-app';

describe.each([
  ['PostgreSQL', false],
  ['PGlite', true],
])('event-triggered campaigns on %s: events enroll, re-enter, leave and are capped', (_database, embedded) => {
  let t: TestApp;
  let key: string;
  let receiver: TriggerReceiver;
  let twilioId: string;
  let smsTemplate: string;

  const api = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    t.request(method, `/api/v1${path}`, { key, body, ...(headers && { headers }) });
  const runsOf = async (id: string): Promise<string[]> =>
    (await t.dataSource.query('SELECT id FROM campaign_runs WHERE campaign_id = $1 ORDER BY created_at', [id])).map(
      (r: { id: string }) => r.id,
    );

  async function leads(n: number, prefix: string) {
    const res = await api(
      'POST',
      '/leads',
      Array.from({ length: n }, (_, i) => ({ phone: `+1415${prefix}${String(i).padStart(4, '0')}`, consent: { sms: true } })),
    );
    assert.equal(res.body.failed, 0, JSON.stringify(res.body.errors));
    return res.body.ids as string[];
  }

  async function triggered(trigger: Record<string, unknown>, extra: Record<string, unknown> = {}) {
    const res = await api('POST', '/campaigns', {
      name: 'Welcome',
      type: 'triggered',
      sender: { channelId: twilioId },
      audience: { all: true },
      trigger,
      steps: [
        { channel: 'sms', templateId: smsTemplate },
        { channel: 'sms', templateId: smsTemplate, delaySeconds: 3600 },
      ],
      ...extra,
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const launched = await api('POST', `/campaigns/${res.body.id}/launch`);
    assert.equal(launched.status, 202, JSON.stringify(launched.body));
    await tickUntil(t, async () => (await api('GET', `/campaigns/${res.body.id}`)).body.materialized);
    return res.body.id as string;
  }

  const enrollmentsOf = async (campaignId: string) =>
    (await api('GET', `/campaigns/${campaignId}/enrollments?limit=500`)).body.items as Array<Record<string, any>>;

  beforeAll(async () => {
    receiver = new TriggerReceiver(() => t.app.get(RuntimeSecrets).triggerSigningSecret);
    await receiver.start();
    t = await startTestApp({ embedded, env: { SCHEDULER_INTERVAL_MS: '0', N8N_URL: receiver.url, LEASE_TTL_SECONDS: '5' } });
    key = (await t.createOrg()).apiKey;
    twilioId = (
      await api('POST', '/channels', {
        type: 'twilio',
        name: 'Line',
        config: { accountSid: `AC${'3'.repeat(32)}`, from: '+14155550100', ratePerSecond: 1000 },
        secrets: { authToken: 'token-token-token' },
      })
    ).body.id;
    smsTemplate = (await api('POST', '/templates', { name: 'Hi', channel: 'sms', body: 'Hi {{ lead.first_name | default: "there" }}' }))
      .body.id;
  });

  afterAll(async () => {
    await t?.close();
    await receiver?.stop();
  });

  // The volume test once, on PostgreSQL; the rules on both databases.
  (embedded ? it.skip : it)(
    '10,000 events over 1,000 leads enroll each lead once, and replaying them changes nothing',
    async () => {
      const ids = await leads(1000, '610');
      const id = await triggered({ event: 'signup' });
      const batches = Array.from({ length: 20 }, (_, b) =>
        Array.from({ length: 500 }, (_, i) => {
          const n = b * 500 + i;
          return { leadId: ids[n % 1000], name: 'signup', properties: { n }, idempotencyKey: `signup-${n}` };
        }),
      );
      let recorded = 0;
      for (const events of batches) {
        const res = await api('POST', '/events/batch', { events });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        recorded += res.body.recorded;
        assert.equal(res.body.rejected, 0);
      }
      assert.equal(recorded, 10_000);
      const counts = async () =>
        (
          await t.dataSource.query(
            `SELECT (SELECT count(*)::int FROM campaign_enrollments WHERE campaign_id = $1) AS enrollments,
                  (SELECT count(DISTINCT lead_id)::int FROM campaign_enrollments WHERE campaign_id = $1) AS leads,
                  (SELECT max(entry)::int FROM campaign_enrollments WHERE campaign_id = $1) AS max_entry,
                  (SELECT count(*)::int FROM messages WHERE campaign_id = $1) AS messages,
                  (SELECT count(*)::int FROM lead_events) AS events`,
            [id],
          )
        )[0];
      const before = await counts();
      assert.deepEqual(before, { enrollments: 1000, leads: 1000, max_entry: 1, messages: 2000, events: 10_000 });
      assert.equal((await api('GET', `/campaigns/${id}`)).body.audienceSize, 1000);
      // Each lead's first event enrolled it: the enrollment names it.
      const [{ wrong }] = await t.dataSource.query(
        `SELECT count(*)::int AS wrong FROM campaign_enrollments en JOIN lead_events ev ON ev.id = en.event_id
        WHERE en.campaign_id = $1 AND (ev.properties ->> 'n')::int >= 1000`,
        [id],
      );
      assert.equal(wrong, 0);

      for (const events of batches.slice(0, 3)) {
        const replay = await api('POST', '/events/batch', { events });
        assert.deepEqual([replay.body.recorded, replay.body.duplicates], [0, 500]);
        assert.ok(
          replay.body.results.every(
            (r: { event: { duplicate: boolean; enrollments: unknown[] } }) => r.event.duplicate && r.event.enrollments.length === 0,
          ),
        );
      }
      const single = await api('POST', '/events', { leadId: ids[0], name: 'signup' }, { 'idempotency-key': 'signup-0' });
      assert.equal(single.status, 200);
      assert.equal(single.body.duplicate, true);
      assert.deepEqual(await counts(), before);

      const summary = await api('GET', `/campaigns/${id}/enrollments/summary`);
      assert.deepEqual(summary.body, { active: 1000, completed: 0, exited: 0, total: 1000 });
      const page = await api('GET', `/events?campaignId=${id}&limit=5`);
      assert.equal(page.status, 200);
      assert.equal(page.body.items.length, 5);
      assert.ok(page.body.nextCursor);
      const next = await api('GET', `/events?campaignId=${id}&limit=5&cursor=${page.body.nextCursor}`);
      assert.equal(next.body.items.length, 5);
      const seen = new Set(page.body.items.map((e: { id: string }) => e.id));
      assert.ok(
        next.body.items.every((e: { id: string }) => !seen.has(e.id)),
        'the next page goes on, without repeating',
      );
      assert.ok(Date.parse(next.body.items[0].receivedAt) <= Date.parse(page.body.items[4].receivedAt), 'newest first');
      const firstEnrollments = await api('GET', `/campaigns/${id}/enrollments?limit=500`);
      const restEnrollments = await api('GET', `/campaigns/${id}/enrollments?limit=500&cursor=${firstEnrollments.body.nextCursor}`);
      const enrolled = new Set(
        [...firstEnrollments.body.items, ...restEnrollments.body.items].map((e: { lead: { id: string } }) => e.lead.id),
      );
      assert.deepEqual([enrolled.size, restEnrollments.body.nextCursor], [1000, null], 'two pages list every enrolled lead once');
      const names = await api('GET', '/events/names');
      assert.deepEqual(
        names.body.items.map((n: { name: string; count: number }) => [n.name, n.count]),
        [['signup', 10_000]],
      );
    },
    240_000,
  );

  it('conditions choose the events, a leaving event stops the sequence, and re-entry waits for the previous enrollment to end', async () => {
    const [lead] = await leads(1, '620');
    const id = await triggered({
      event: 'trial_started',
      conditions: [{ property: 'plan.tier', operator: 'equals', value: 'pro' }],
      reentry: 'after_exit',
      exitOn: [{ event: 'purchase', conditions: [{ property: 'total', operator: 'greater_than', value: 0 }] }],
    });
    const event = (name: string, properties: Record<string, unknown> = {}) => api('POST', '/events', { leadId: lead, name, properties });

    assert.deepEqual((await event('trial_started', { plan: { tier: 'free' } })).body.enrollments, [], 'the condition does not hold');
    const first = await event('trial_started', { plan: { tier: 'pro' } });
    assert.equal(first.status, 201);
    assert.deepEqual(
      first.body.enrollments.map((e: { campaignId: string; entry: number }) => [e.campaignId, e.entry]),
      [[id, 1]],
    );
    assert.deepEqual((await event('trial_started', { plan: { tier: 'pro' } })).body.enrollments, [], 'still enrolled: no second entry');

    await tick(t);
    const sender = new FakeSender(t);
    const lease = await sender.cycle((await runsOf(id))[0]);
    assert.equal(lease.items.length, 1, 'step 1 went out');

    assert.deepEqual((await event('purchase', { total: 0 })).body.exits, [], 'a purchase of 0 is not the leaving condition');
    const left = await event('purchase', { total: 49 });
    assert.equal(left.body.exits.length, 1);
    const rows = await t.dataSource.query(
      `SELECT position, status, skip_reason, entry FROM messages WHERE campaign_id = $1 ORDER BY entry, position`,
      [id],
    );
    assert.deepEqual(rows, [
      { position: 0, status: 'sent', skip_reason: null, entry: 1 },
      { position: 1, status: 'skipped', skip_reason: 'exited', entry: 1 },
    ]);
    assert.deepEqual((await event('purchase', { total: 49 })).body.exits, [], 'nothing left to leave');

    const again = await event('trial_started', { plan: { tier: 'pro' } });
    assert.deepEqual(
      again.body.enrollments.map((e: { entry: number }) => e.entry),
      [2],
    );
    const list = await enrollmentsOf(id);
    assert.deepEqual(
      list.map((e) => [e.entry, e.status, e.eventName, e.exitEventName]),
      [
        [2, 'active', 'trial_started', null],
        [1, 'exited', 'trial_started', 'purchase'],
      ],
    );
    assert.ok(list[1].endedAt && list[1].lead.id === lead);
    assert.equal((await api('GET', `/campaigns/${id}/enrollments?status=exited`)).body.items.length, 1);

    // Evergreen: nothing queued does not complete it.
    await api('POST', '/events', { leadId: lead, name: 'purchase', properties: { total: 1 } });
    await tick(t);
    assert.equal((await api('GET', `/campaigns/${id}`)).body.status, 'active');
  });

  it('a campaign enrolls only while active, only for events after its launch and only leads of its audience', async () => {
    const [inside, outside] = await leads(2, '630');
    await api('PATCH', `/leads/${inside}`, { attributes: { segment: 'beta' } });
    const id = await triggered({ event: 'webinar_registered' }, { audience: { filter: { attributes: { segment: 'beta' } } } });
    const enrolled = async (lead: string, extra: Record<string, unknown> = {}) =>
      (await api('POST', '/events', { leadId: lead, name: 'webinar_registered', ...extra })).body.enrollments.length;

    assert.equal(await enrolled(inside, { occurredAt: new Date(Date.now() - 86_400_000).toISOString() }), 0, 'before the launch');
    assert.equal(await enrolled(outside), 0, 'not in the audience');
    assert.equal((await api('POST', `/campaigns/${id}/pause`)).status, 200);
    assert.equal(await enrolled(inside), 0, 'paused');
    await api('POST', `/campaigns/${id}/resume`);
    assert.equal(await enrolled(inside), 1);
    const campaign = (await api('GET', `/campaigns/${id}`)).body;
    assert.deepEqual(campaign.trigger, { event: 'webinar_registered', conditions: [], reentry: 'never', exitOn: [] });
  });

  it('the frequency cap skips a message when the lead already got that many on the channel from any campaign', async () => {
    const [lead] = await leads(1, '640');
    const noisy = await triggered({ event: 'viewed_pricing' });
    const capped = await triggered({ event: 'viewed_pricing_2' }, { settings: { frequencyCap: { limit: 1, periodHours: 24 } } });
    await api('POST', '/events', { leadId: lead, name: 'viewed_pricing' });
    await tick(t);
    const sender = new FakeSender(t);
    assert.equal((await sender.cycle((await runsOf(noisy))[0])).items.length, 1);
    await api('POST', '/events', { leadId: lead, name: 'viewed_pricing_2' });
    await tick(t);
    const lease = await sender.cycle((await runsOf(capped))[0]);
    assert.equal(lease.items.length, 0, 'capped, not handed to n8n');
    const [row] = await t.dataSource.query(`SELECT status, skip_reason FROM messages WHERE campaign_id = $1 AND position = 0`, [capped]);
    assert.deepEqual(row, { status: 'skipped', skip_reason: 'frequency_capped' });
  });

  it('a bad event of a batch is reported with its code while the others are kept; bad bodies answer 400 with a code', async () => {
    const [lead] = await leads(1, '650');
    const batch = await api('POST', '/events/batch', {
      events: [
        { leadId: lead, name: 'ok' },
        { email: 'nobody@example.com', name: 'ok' },
        { leadId: lead, name: 'bad name!' },
        { leadId: lead, email: 'x@example.com', name: 'ok' },
        'not an event',
        { leadId: lead, name: 'deep', properties: { a: { b: { c: { d: { e: 1 } } } } } },
      ],
    });
    assert.equal(batch.status, 200);
    assert.deepEqual(
      batch.body.results.map((r: { status: string; error?: { code: string } }) => r.error?.code ?? r.status),
      ['recorded', 'lead_not_found', 'validation_failed', 'validation_failed', 'validation_failed', 'validation_failed'],
    );
    assert.equal((await api('POST', '/events', { email: 'nobody@example.com', name: 'x' })).body.code, 'lead_not_found');
    const tooBig = await api('POST', '/events', { leadId: lead, name: 'big', properties: { blob: 'x'.repeat(9000) } });
    assert.deepEqual([tooBig.status, tooBig.body.code], [400, 'validation_failed']);
    const tooMany = await api('POST', '/events/batch', { events: Array.from({ length: 501 }, () => ({ leadId: lead, name: 'x' })) });
    assert.deepEqual([tooMany.status, tooMany.body.code], [400, 'validation_failed']);
    const badTrigger = await api('POST', '/campaigns', {
      name: 'T',
      type: 'triggered',
      sender: { channelId: twilioId },
      audience: { all: true },
      steps: [{ channel: 'sms', templateId: smsTemplate }],
      trigger: { event: 'a', conditions: [{ property: 'n', operator: 'greater_than', value: 'ten' }] },
    });
    assert.deepEqual([badTrigger.status, badTrigger.body.code], [400, 'validation_failed']);
    const noTrigger = await api('POST', '/campaigns', {
      name: 'T',
      type: 'triggered',
      sender: { channelId: twilioId },
      audience: { all: true },
      steps: [{ channel: 'sms', templateId: smsTemplate }],
    });
    assert.deepEqual([noTrigger.status, noTrigger.body.code], [400, 'validation_failed']);
  });

  it('concurrent events for one lead enroll it once', async () => {
    const [lead] = await leads(1, embedded ? '671' : '670');
    const id = await triggered({ event: 'form_submitted' });
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => api('POST', '/events', { leadId: lead, name: 'form_submitted', properties: { i } })),
    );
    assert.ok(answers.every((a) => a.status === 201));
    assert.equal(
      answers.reduce((n, a) => n + a.body.enrollments.length, 0),
      1,
    );
    assert.equal((await enrollmentsOf(id)).length, 1);
  });

  it("another organization's events and enrollments are out of reach", async () => {
    const other = (await t.createOrg()).apiKey;
    const [lead] = await leads(1, '660');
    const id = await triggered({ event: 'joined' });
    await api('POST', '/events', { leadId: lead, name: 'joined' });
    const as = (path: string, body?: unknown) => t.request(body ? 'POST' : 'GET', `/api/v1${path}`, { key: other, body });
    assert.equal((await as(`/campaigns/${id}/enrollments`)).body.code, 'campaign_not_found');
    assert.equal((await as('/events', { leadId: lead, name: 'joined' })).body.code, 'lead_not_found');
    assert.deepEqual((await as('/events')).body.items, []);
    assert.equal((await enrollmentsOf(id)).length, 1);
  });
});
