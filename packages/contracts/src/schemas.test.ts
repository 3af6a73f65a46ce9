import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import {
  CHANNELS,
  compiledContract,
  gmailRfcMessageId,
  HandoffRequestSchema,
  heldBytesOf,
  isGranted,
  leaseHeldBytes,
  leaseTemplateOf,
  MAX_LEASE_BATCH,
  MAX_LEASE_HELD_BYTES,
  maxLeaseCountFor,
  issuePath,
  LeaseRequestSchema,
  LeaseResponseSchema,
  MessageTemplateSchema,
  parseContract,
  ResultsRequestSchema,
  RunReadSchema,
  SendingAnswerSchema,
  SendingRequestSchema,
  TriggerPayloadSchema,
  type ContractSchema,
  type LeaseItem,
  type LeaseResponse,
} from './index';

const ID = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function item(n: number, extra: Partial<LeaseItem> = {}): LeaseItem {
  return {
    messageId: ID(n),
    channel: 'sms',
    to: '+14155550123',
    lead: {
      id: ID(100 + n),
      email: null,
      phone: '+14155550123',
      firstName: 'Ada',
      lastName: null,
      timezone: null,
      attributes: { plan: 'pro' },
    },
    campaign: { id: ID(900), name: 'Spring', type: 'blast' },
    templateKey: 'step-1',
    tracking: {
      tokens: { open: 'o', click: 'c', unsubscribe: 'u' },
      clickBaseUrl: 'http://x/t/c/c',
      openPixelUrl: 'http://x/t/o/o.gif',
      unsubscribeUrl: 'http://x/u/u',
    },
    callbacks: {},
    threading: { inReplyTo: null, references: [], threadId: null },
    ...extra,
  };
}

function lease(items: LeaseItem[]): LeaseResponse {
  return {
    leaseId: ID(1),
    leaseExpiresAt: '2026-11-21T10:00:30.000Z',
    done: false,
    retryAfterMs: 0,
    grant: { count: items.length, startInMs: 0, intervalMs: 1000, ratePerSecond: 1, concurrency: 4 },
    sender: { kind: 'twilio', channelId: ID(2), config: {}, secrets: {} },
    templates: { 'step-1': { channel: 'sms', body: 'Hi {{ lead.first_name }}' } },
    items,
  };
}

describe('channels and templates', () => {
  it('lists the four channels', () => assert.deepEqual([...CHANNELS], ['email', 'sms', 'whatsapp', 'voice']));

  it("accepts each channel's template and refuses an unknown channel or a malformed spec", () => {
    assert.ok(MessageTemplateSchema.safeParse({ channel: 'email', subject: 's', html: '<p>x</p>' }).success);
    assert.ok(
      MessageTemplateSchema.safeParse({
        channel: 'whatsapp',
        whatsapp: { name: 'n', language: 'en_US', parameters: ['{{ lead.first_name }}'] },
      }).success,
    );
    assert.ok(MessageTemplateSchema.safeParse({ channel: 'voice', voice: { mode: 'agent', streamUrl: 'wss://a.example/s' } }).success);
    assert.equal(MessageTemplateSchema.safeParse({ channel: 'fax', body: 'x' }).success, false);
    assert.equal(MessageTemplateSchema.safeParse({ channel: 'voice', voice: { mode: 'sing' } }).success, false);
    assert.equal(MessageTemplateSchema.safeParse({ channel: 'whatsapp', whatsapp: { name: 'n' } }).success, false);
  });
});

describe('trigger', () => {
  it('accepts what the outbox posts and refuses a payload without a run', () => {
    const ok = {
      event: 'campaign.run',
      runId: ID(1),
      campaignId: ID(2),
      organizationId: ID(3),
      shard: 0,
      shards: 2,
      channel: 'sms',
      triggeredAt: '2026-11-21T10:00:00.000Z',
    };
    assert.ok(TriggerPayloadSchema.safeParse(ok).success);
    const { runId: _runId, ...noRun } = ok;
    const r = parseContract(TriggerPayloadSchema, noRun);
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.message, /^runId: /);
  });
});

describe('lease', () => {
  it('accepts a granted lease and an empty one', () => {
    assert.ok(LeaseResponseSchema.safeParse(lease([item(1), item(2)])).success);
    const empty: LeaseResponse = {
      leaseId: null,
      leaseExpiresAt: null,
      done: true,
      retryAfterMs: 0,
      grant: null,
      sender: null,
      templates: {},
      items: [],
    };
    assert.ok(LeaseResponseSchema.safeParse(empty).success);
    assert.equal(isGranted(empty), false);
    assert.equal(isGranted(lease([item(1)])), true);
  });

  it('requires the campaign on every item (templates may use campaign.name)', () => {
    const { campaign: _c, ...noCampaign } = item(1);
    const r = parseContract(LeaseResponseSchema, lease([noCampaign as LeaseItem]));
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.issues.some((i) => i.path === 'items[0].campaign'), JSON.stringify(r));
  });

  it('refuses items without a lease id, grant or sender, and a grant that does not match the items', () => {
    const r = parseContract(LeaseResponseSchema, { ...lease([item(1)]), leaseId: null, sender: null });
    assert.deepEqual(r.ok ? [] : r.issues.map((i) => i.path).sort(), ['leaseId', 'sender']);
    const g = parseContract(LeaseResponseSchema, {
      ...lease([item(1)]),
      grant: { count: 2, startInMs: 0, intervalMs: 1, ratePerSecond: 1000, concurrency: 1 },
    });
    assert.ok(!g.ok && g.issues[0].path === 'grant.count');
  });

  it('carries each template once, and refuses an item whose template is not in the lease', () => {
    const two = lease([item(1), item(2)]);
    assert.equal(Object.keys(two.templates).length, 1);
    assert.equal(leaseTemplateOf(two, two.items[1]).body, 'Hi {{ lead.first_name }}');
    const r = parseContract(LeaseResponseSchema, lease([item(1), item(2, { templateKey: 'step-2' })]));
    assert.ok(!r.ok && r.issues.some((i) => i.path === 'items[1].templateKey'), JSON.stringify(r));
    // An inherited property is not a template: "constructor" must not pass for one.
    assert.equal(LeaseResponseSchema.safeParse(lease([item(1, { templateKey: 'constructor' })])).success, false);
    assert.throws(() => leaseTemplateOf(two, { templateKey: 'step-9' }), /no template step-9/);
  });

  it('sizes leases by what n8n holds once they are rendered: fewer messages of a large template', () => {
    // A short template does not lower the lease below its usual cap.
    assert.equal(maxLeaseCountFor([{ channel: 'sms', body: 'Hi {{ lead.first_name }}' }]), 1998);
    assert.ok(1998 > MAX_LEASE_BATCH);
    const html = { channel: 'email' as const, subject: 'News', html: `<p>${'x'.repeat(20_000)}</p>` };
    const perMessage = heldBytesOf(html);
    assert.ok(perMessage > 22_000 && perMessage < 22_200, String(perMessage));
    assert.equal(maxLeaseCountFor([{ channel: 'sms', body: 'x' }, html]), Math.floor(MAX_LEASE_HELD_BYTES / perMessage));
    assert.equal(maxLeaseCountFor([{ channel: 'email', subject: 'x', html: 'x'.repeat(MAX_LEASE_HELD_BYTES) }]), 1);
    const two = lease([item(1), item(2)]);
    assert.equal(leaseHeldBytes(two), 2 * heldBytesOf(two.templates['step-1']));
  });

  it('refuses an unknown sender kind and a bad channel', () => {
    assert.equal(
      LeaseResponseSchema.safeParse({ ...lease([item(1)]), sender: { kind: 'pigeon', config: {}, secrets: {} } }).success,
      false,
    );
    assert.equal(LeaseResponseSchema.safeParse(lease([item(1, { channel: 'fax' as never })])).success, false);
  });

  it('takes an optional positive max', () => {
    assert.ok(LeaseRequestSchema.safeParse({}).success);
    assert.ok(LeaseRequestSchema.safeParse({ max: 10 }).success);
    for (const max of [0, 1.5, '10', -1]) assert.equal(LeaseRequestSchema.safeParse({ max }).success, false, String(max));
  });
});

describe('sending and handoff', () => {
  it('needs a lease id and message ids that are UUIDs', () => {
    assert.ok(SendingRequestSchema.safeParse({ leaseId: ID(1), messageIds: [ID(2)] }).success);
    const r = parseContract(SendingRequestSchema, { leaseId: ID(1), messageIds: [ID(2), 'nope'] });
    assert.ok(!r.ok && r.issues[0].path === 'messageIds[1]');
    assert.equal(SendingRequestSchema.safeParse({ messageIds: [] }).success, false);
    assert.ok(SendingAnswerSchema.safeParse({ accepted: [ID(1)], rejected: [{ messageId: ID(2), reason: 'lease_expired' }] }).success);
    assert.equal(SendingAnswerSchema.safeParse({ accepted: [], rejected: [{ messageId: ID(2), reason: 'bored' }] }).success, false);
  });

  it('handoff reasons are the two the Lease node sends', () => {
    assert.ok(HandoffRequestSchema.safeParse({ reason: 'quota_wait' }).success);
    assert.ok(HandoffRequestSchema.safeParse({}).success);
    assert.equal(HandoffRequestSchema.safeParse({ reason: 'tired' }).success, false);
  });
});

describe('results', () => {
  it('normalises what it can and leaves absent fields absent', () => {
    const r = ResultsRequestSchema.parse({
      leaseId: ID(1),
      results: [
        { messageId: ID(2), outcome: 'failed', errorCode: 21211, errorMessage: 'x'.repeat(2000) },
        { messageId: ID(3), outcome: 'deferred', retryAfterMs: 99_999_999 },
        { messageId: ID(4), outcome: 'sent', providerMessageId: 'SM1', sentAt: 'not a date' },
      ],
    });
    assert.deepEqual(r.results[0], { messageId: ID(2), outcome: 'failed', errorCode: '21211', errorMessage: 'x'.repeat(1000) });
    assert.deepEqual(r.results[1], { messageId: ID(3), outcome: 'deferred', retryAfterMs: 3_600_000 });
    assert.deepEqual(r.results[2], { messageId: ID(4), outcome: 'sent', providerMessageId: 'SM1' });
  });

  it('sends the backend whole milliseconds and ISO times, which PostgreSQL reads as JavaScript did', () => {
    const r = ResultsRequestSchema.parse({
      leaseId: ID(1),
      results: [
        { messageId: ID(2), outcome: 'deferred', retryAfterMs: 1500.6 },
        { messageId: ID(3), outcome: 'sent', sentAt: 'Tue, 01 Dec 2026 10:00:00 GMT' },
        { messageId: ID(4), outcome: 'sent', sentAt: '1' },
        { messageId: ID(5), outcome: 'sent', sentAt: '+275760-09-13T00:00:00.000Z' },
      ],
    });
    assert.equal(r.results[0].retryAfterMs, 1501);
    assert.equal(r.results[1].sentAt, '2026-12-01T10:00:00.000Z');
    assert.equal(r.results[2].sentAt, new Date(Date.parse('1')).toISOString());
    assert.equal(r.results[3].sentAt, undefined, 'past the year 9999: the backend clock');
  });

  it('refuses a bad outcome, a bad skip reason and a non-UUID message id, naming where', () => {
    const paths = (body: unknown) => {
      const r = parseContract(ResultsRequestSchema, body);
      return r.ok ? [] : r.issues.map((i) => i.path);
    };
    assert.deepEqual(paths({ leaseId: ID(1), results: [{ messageId: ID(2), outcome: 'exploded' }] }), ['results[0].outcome']);
    assert.deepEqual(paths({ leaseId: ID(1), results: [{ messageId: ID(2), outcome: 'skipped', reason: 'bored' }] }), [
      'results[0].reason',
    ]);
    assert.deepEqual(paths({ leaseId: ID(1), results: [{ messageId: 'm1', outcome: 'sent' }] }), ['results[0].messageId']);
    assert.deepEqual(paths({ leaseId: ID(1), results: 'nope' }), ['results']);
    assert.deepEqual(paths({ results: [] }), ['leaseId']);
  });
});

describe('compiled parsing (parseContract)', () => {
  const grantMismatch = { ...lease([item(1)]), grant: { count: 2, startInMs: 0, intervalMs: 1, ratePerSecond: 1000, concurrency: 1 } };
  const cases: Array<[string, ContractSchema<unknown>, unknown[]]> = [
    [
      'lease',
      LeaseResponseSchema,
      [
        lease([item(1), item(2, { callbacks: { statusCallbackUrl: 'http://x/cb' } })]),
        { ...lease([item(1)]), leaseId: null, sender: null },
        grantMismatch,
        lease([item(1), item(2, { templateKey: 'step-2' })]),
        lease([item(1, { templateKey: 'constructor' })]),
        lease([item(1, { channel: 'fax' as never })]),
        lease([{ ...item(1), lead: { ...item(1).lead, id: 'nope' } }]),
        'not a lease',
      ],
    ],
    [
      'sending',
      SendingRequestSchema,
      [{ leaseId: ID(1), messageIds: [ID(2)] }, { leaseId: ID(1), messageIds: [ID(2), 'nope'] }, { messageIds: [] }],
    ],
    [
      'results',
      ResultsRequestSchema,
      [
        {
          leaseId: ID(1),
          results: [
            { messageId: ID(2), outcome: 'failed', errorCode: 21211, errorMessage: 'x'.repeat(2000) },
            { messageId: ID(3), outcome: 'deferred', retryAfterMs: 99_999_999 },
            { messageId: ID(4), outcome: 'sent', providerMessageId: 'SM1', sentAt: 'not a date' },
          ],
        },
        { leaseId: ID(1), results: [{ messageId: ID(2), outcome: 'exploded' }] },
        { leaseId: ID(1), results: [{ messageId: ID(2), outcome: 'skipped', reason: 'bored' }] },
        { leaseId: ID(1), results: 'nope' },
      ],
    ],
  ];
  const answer = (r: { success: boolean; data?: unknown; error?: { issues: unknown[] } }) =>
    r.success ? { data: r.data } : { issues: r.error?.issues };

  it('compiles the contracts parsed per message: the lease n8n reads, the marks and reports the backend reads', () => {
    for (const [name, schema] of cases) assert.notEqual(compiledContract(schema), schema, `${name} fell back to the interpreted parser`);
    assert.equal(compiledContract(LeaseResponseSchema), compiledContract(LeaseResponseSchema), 'compiled once per schema');
  });

  it('answers as the interpreted parser does, valid or not: the same data, the same issues', () => {
    for (const [name, schema, bodies] of cases)
      for (const [i, body] of bodies.entries())
        assert.deepEqual(answer(compiledContract(schema).safeParse(body)), answer(schema.safeParse(body)), `${name} #${i}`);
    // Both kinds of answer are among the cases.
    const outcomes = cases.flatMap(([, schema, bodies]) => bodies.map((b) => schema.safeParse(b).success));
    assert.ok(outcomes.includes(true) && outcomes.includes(false));
  });
});

describe('run read and helpers', () => {
  it('reads a run', () => {
    assert.ok(
      RunReadSchema.safeParse({ runId: ID(1), campaignId: ID(2), organizationId: ID(3), shard: 0, status: 'finished', counts: { sent: 3 } })
        .success,
    );
    assert.equal(
      RunReadSchema.safeParse({ runId: ID(1), campaignId: ID(2), organizationId: ID(3), shard: 0, status: 'running', counts: {} }).success,
      false,
    );
  });

  it('formats issue paths and Gmail Message-IDs', () => {
    assert.equal(issuePath(['results', 2, 'messageId']), 'results[2].messageId');
    assert.equal(issuePath([]), '');
    assert.equal(gmailRfcMessageId('m1', 'Ada <ada@example.com>'), '<m1@example.com>');
    assert.equal(gmailRfcMessageId('m1', ''), '<m1@cadence.local>');
  });
});
