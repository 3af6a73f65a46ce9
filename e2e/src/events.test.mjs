// Events from n8n end to end (issue 19): a workflow Webhook -> Split Out -> Cadence Event (our node, with
// the Cadence API Key credential holding a key made through the backend's API) running in a real n8n
// records events; triggered campaigns enroll the leads and their messages go out through the same
// sending spine as any campaign (signed trigger -> the exported workflow -> the provider sandbox); a
// leaving event skips what is left of a two-step sequence; a replayed delivery changes nothing.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startStack, waitFor } from './stack.mjs';

const SID = `AC${'e'.repeat(32)}`;
const FROM = '+14155550160';
const HOOK = 'cadence-events';
/** Distinct valid US numbers that none of the sandbox's behaviour conventions (…999x) touches. */
const phone = (i) => `+1415306${String(i).padStart(4, '0')}`;

/** Webhook (answers with every item of the last node) -> Split Out body.events -> Cadence Event. */
function eventsWorkflow(credentialId) {
  return {
    name: 'Events in from a webhook',
    nodes: [
      {
        id: 'e2e0e2e0-0000-4000-8000-000000000001',
        name: 'Webhook',
        type: 'n8n-nodes-base.webhook',
        typeVersion: 2,
        position: [0, 0],
        webhookId: 'e2e0e2e0-0000-4000-8000-0000000000aa',
        parameters: { httpMethod: 'POST', path: HOOK, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
      },
      {
        id: 'e2e0e2e0-0000-4000-8000-000000000002',
        name: 'Split Out',
        type: 'n8n-nodes-base.splitOut',
        typeVersion: 1,
        position: [220, 0],
        parameters: { fieldToSplitOut: 'body.events', include: 'noOtherFields', options: {} },
      },
      {
        id: 'e2e0e2e0-0000-4000-8000-000000000003',
        name: 'Cadence Event',
        type: 'n8n-nodes-cadence.cadenceEvent',
        typeVersion: 1,
        position: [440, 0],
        // Every item answers (recorded, duplicate, rejected or failed) instead of failing the execution.
        onError: 'continueRegularOutput',
        parameters: {
          identifyBy: 'email',
          email: '={{ $json.email }}',
          eventName: '={{ $json.event }}',
          sendProperties: true,
          specifyProperties: 'json',
          propertiesJson: '={{ $json.properties ?? {} }}',
          idempotencyKey: '={{ $json.id }}',
          options: {},
        },
        credentials: { cadencePublicApi: { id: credentialId, name: 'Cadence API Key' } },
      },
    ],
    connections: {
      Webhook: { main: [[{ node: 'Split Out', type: 'main', index: 0 }]] },
      'Split Out': { main: [[{ node: 'Cadence Event', type: 'main', index: 0 }]] },
    },
    settings: { executionOrder: 'v1' },
  };
}

describe('events from an n8n workflow trigger campaigns end to end', () => {
  let s;
  let twilio;
  let welcome;
  let followUp;
  let apiKey;
  let credentialId;
  let leads;
  let welcomeCampaign;

  /** What a CRM or a form would post to the workflow's webhook; n8n answers with one item per event. */
  async function send(events) {
    const res = await s.n8n.webhook(HOOK, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    assert.equal(res.status, 200, `${res.status} ${await res.clone().text()}\n${s.n8n.logs().slice(-3000)}`);
    const out = await res.json();
    assert.equal(out.length, events.length, JSON.stringify(out));
    return out;
  }

  async function triggered(body) {
    const created = await s.api('POST', '/campaigns', {
      name: 'Triggered',
      type: 'triggered',
      sender: { channelId: twilio },
      audience: { all: true },
      ...body,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const launched = await s.api('POST', `/campaigns/${created.body.id}/launch`);
    assert.equal(launched.status, 202, JSON.stringify(launched.body));
    const campaign = (await s.api('GET', `/campaigns/${created.body.id}`)).body;
    assert.equal(campaign.status, 'active');
    return campaign;
  }

  const sandboxSms = async (to) => (await s.sandboxApi('GET', '/messages?provider=twilio')).items.filter((m) => m.to === to);
  const messagesOf = async (campaignId) =>
    (
      await s.db.query('SELECT lead_id, position, status, skip_reason FROM messages WHERE campaign_id = $1 ORDER BY lead_id, position', [
        campaignId,
      ])
    ).rows;
  const enrollments = async (campaignId) => {
    const res = await s.api('GET', `/campaigns/${campaignId}/enrollments?limit=500`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.items;
  };

  beforeAll(async () => {
    s = await startStack();
    twilio = (
      await s.api('POST', '/channels', {
        type: 'twilio',
        name: 'Line',
        config: { accountSid: SID, from: FROM, baseUrl: s.sandboxUrl, ratePerSecond: 50 },
        secrets: { authToken: 'sandbox-twilio-auth-token' },
      })
    ).body.id;
    welcome = (await s.api('POST', '/templates', { name: 'Welcome', channel: 'sms', body: 'Welcome {{ lead.first_name }}!' })).body.id;
    followUp = (await s.api('POST', '/templates', { name: 'Follow-up', channel: 'sms', body: 'Still there, {{ lead.first_name }}?' })).body
      .id;
    await s.sandboxApi('POST', '/behaviour/overrides', { match: '+1415306*', behaviour: {} });
    const imported = await s.api(
      'POST',
      '/leads',
      Array.from({ length: 6 }, (_, i) => ({
        email: `member${i}@events.test`,
        phone: phone(i),
        firstName: `Member${i}`,
        consent: { sms: true },
      })),
    );
    assert.equal(imported.body.failed, 0, JSON.stringify(imported.body));
    leads = imported.body.ids.map((id, i) => ({ id, email: `member${i}@events.test`, phone: phone(i) }));

    // The key n8n holds: one made for it in Settings -> API keys (here through the API), not the CLI's.
    const issued = await s.api('POST', '/api-keys', { name: 'n8n events' });
    assert.equal(issued.status, 201, JSON.stringify(issued.body));
    apiKey = issued.body;
    credentialId = (
      await s.n8n.createCredential({
        name: 'Cadence API Key',
        type: 'cadencePublicApi',
        data: { baseUrl: s.backendUrl, apiKey: apiKey.key },
      })
    ).id;
    const wf = await s.n8n.importWorkflow(eventsWorkflow(credentialId));
    await s.n8n.activate(wf.id);
  });
  afterAll(async () => {
    if (process.exitCode && s) console.error(s.logs.slice(-60).join(''));
    await s?.stop();
  });

  it("n8n's credential test passes against the backend with the API key (GET /api/v1/events/names)", async () => {
    const login = await fetch(`${s.n8n.url}/rest/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ emailOrLdapLoginId: s.n8n.owner.email, password: s.n8n.owner.password }),
    });
    assert.equal(login.status, 200);
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const test = await fetch(`${s.n8n.url}/rest/credentials/test`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({
        credentials: {
          id: credentialId,
          name: 'Cadence API Key',
          type: 'cadencePublicApi',
          data: { baseUrl: s.backendUrl, apiKey: apiKey.key },
        },
      }),
    });
    const answer = await test.json();
    assert.equal(answer.data?.status, 'OK', JSON.stringify(answer));
  });

  it('signup events through the n8n webhook enroll the leads in a triggered SMS campaign, whose messages are sent', async () => {
    const campaign = await triggered({ name: 'Welcome', steps: [{ channel: 'sms', templateId: welcome }], trigger: { event: 'signup' } });
    welcomeCampaign = campaign;
    const out = await send([
      ...[0, 1, 2].map((i) => ({ id: `crm-signup-${i}`, email: leads[i].email, event: 'signup', properties: { plan: 'pro' } })),
      { id: 'crm-signup-x', email: 'stranger@events.test', event: 'signup' },
      // Valid for the node, too deep for the backend (properties of at most 4 levels): rejected there, per item.
      { id: 'crm-signup-deep', email: leads[5].email, event: 'signup', properties: { a: { b: { c: { d: { e: 1 } } } } } },
    ]);
    assert.deepEqual(
      out.map((o) => o.status),
      ['recorded', 'recorded', 'recorded', 'rejected', 'rejected'],
      JSON.stringify(out),
    );
    assert.equal(out[4].error.code, 'validation_failed');
    for (const [i, o] of out.slice(0, 3).entries()) {
      assert.equal(o.event.leadId, leads[i].id);
      assert.equal(o.event.name, 'signup');
      assert.deepEqual(o.event.properties, { plan: 'pro' });
      assert.equal(o.event.idempotencyKey, `crm-signup-${i}`);
      assert.deepEqual(
        o.event.enrollments.map((e) => ({ campaignId: e.campaignId, entry: e.entry })),
        [{ campaignId: campaign.id, entry: 1 }],
      );
      assert.deepEqual(o.event.exits, []);
    }
    assert.equal(out[3].error.code, 'lead_not_found');

    const listed = await enrollments(campaign.id);
    assert.deepEqual(listed.map((e) => e.lead.email).sort(), [0, 1, 2].map((i) => leads[i].email).sort());
    for (const e of listed) assert.equal(e.eventName, 'signup');

    // The sending spine: the backend's signed trigger, the exported workflow in n8n, the sandbox, the log.
    await waitFor(
      async () => (await messagesOf(campaign.id)).filter((m) => ['sent', 'delivered'].includes(m.status)).length === 3,
      'the three welcome messages to be sent',
      90_000,
    );
    for (const i of [0, 1, 2]) {
      const got = await sandboxSms(leads[i].phone);
      assert.equal(got.length, 1, `${leads[i].phone}: ${JSON.stringify(got)}`);
      assert.equal(got[0].body, `Welcome Member${i}!`);
    }
    const after = (await s.api('GET', `/campaigns/${campaign.id}`)).body;
    assert.equal(after.status, 'active', 'a triggered campaign stays active');
    assert.equal(after.audienceSize, 3);
  });

  it('the same delivery again (same idempotency keys): every event a duplicate, nobody enrolled or messaged again', async () => {
    const campaign = welcomeCampaign;
    const out = await send([
      ...[0, 1, 2].map((i) => ({ id: `crm-signup-${i}`, email: leads[i].email, event: 'signup', properties: { plan: 'pro' } })),
    ]);
    assert.deepEqual(
      out.map((o) => o.status),
      ['duplicate', 'duplicate', 'duplicate'],
    );
    for (const o of out) {
      assert.equal(o.event.duplicate, true);
      assert.deepEqual(o.event.enrollments, []);
    }
    assert.equal((await enrollments(campaign.id)).length, 3);
    assert.equal((await s.api('GET', '/events?name=signup&limit=500')).body.items.length, 3, 'recorded once each');
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal((await messagesOf(campaign.id)).length, 3);
    for (const i of [0, 1, 2]) assert.equal((await sandboxSms(leads[i].phone)).length, 1);
    assert.equal((await s.sandboxApi('GET', '/duplicates')).total, 0);
  });

  it('a purchase ends the enrollment of a two-step campaign: its second step is skipped as exited, the other lead keeps it', async () => {
    const campaign = await triggered({
      name: 'Trial',
      steps: [
        { channel: 'sms', templateId: welcome },
        { channel: 'sms', templateId: followUp, delaySeconds: 3600 },
      ],
      trigger: { event: 'trial_started', exitOn: [{ event: 'purchase' }] },
    });
    const [a, b] = [leads[3], leads[4]];
    const started = await send([a, b].map((l) => ({ id: `trial-${l.id}`, email: l.email, event: 'trial_started' })));
    assert.deepEqual(
      started.map((o) => o.status),
      ['recorded', 'recorded'],
    );
    await waitFor(
      async () => (await messagesOf(campaign.id)).filter((m) => m.position === 0 && ['sent', 'delivered'].includes(m.status)).length === 2,
      'the first step of both leads to be sent',
      90_000,
    );

    const [bought] = await send([{ id: `order-${a.id}`, email: a.email, event: 'purchase', properties: { cart: { total: 120 } } }]);
    assert.equal(bought.status, 'recorded', JSON.stringify(bought));
    const enrollmentA = (await enrollments(campaign.id)).find((e) => e.lead.id === a.id);
    assert.deepEqual(bought.event.exits, [{ id: enrollmentA.id, campaignId: campaign.id }]);
    assert.deepEqual(bought.event.enrollments, []);

    const byLead = Object.fromEntries((await enrollments(campaign.id)).map((e) => [e.lead.id, e]));
    assert.equal(byLead[a.id].status, 'exited');
    assert.equal(byLead[a.id].exitEventName, 'purchase');
    assert.equal(byLead[a.id].exitEventId, bought.event.id);
    assert.ok(byLead[a.id].endedAt);
    assert.equal(byLead[b.id].status, 'active');
    assert.deepEqual((await s.api('GET', `/campaigns/${campaign.id}/enrollments/summary`)).body, {
      active: 1,
      completed: 0,
      exited: 1,
      total: 2,
    });

    const rows = await messagesOf(campaign.id);
    const second = (lead) => rows.find((m) => m.lead_id === lead.id && m.position === 1);
    assert.deepEqual({ status: second(a).status, reason: second(a).skip_reason }, { status: 'skipped', reason: 'exited' });
    assert.equal(second(b).status, 'queued', 'the other lead still waits for its follow-up');
    assert.equal((await sandboxSms(a.phone)).length, 1, 'only the first step reached the provider');
  });

  it('1,001 events in one delivery: the node sends them 500 at a time and every one is recorded', async () => {
    const many = Array.from({ length: 1001 }, (_, i) => ({ email: `visitor${i}@events.test` }));
    for (let i = 0; i < many.length; i += 1000) {
      const res = await s.api('POST', '/leads', many.slice(i, i + 1000));
      assert.equal(res.body.failed, 0, JSON.stringify(res.body));
    }
    const started = Date.now();
    const out = await send(many.map((l, i) => ({ id: `view-${i}`, email: l.email, event: 'page_view', properties: { path: `/p/${i}` } })));
    const tookMs = Date.now() - started;
    assert.deepEqual([...new Set(out.map((o) => o.status))], ['recorded']);
    assert.equal(new Set(out.map((o) => o.event.id)).size, 1001);
    assert.equal(out[1000].event.idempotencyKey, 'view-1000');
    assert.deepEqual(out[1000].event.properties, { path: '/p/1000' });
    const names = (await s.api('GET', '/events/names')).body.items;
    assert.equal(names.find((n) => n.name === 'page_view')?.count, 1001);
    console.log(`1,001 events through n8n and POST /events/batch: ${tookMs} ms`);
  });

  it('a revoked key: the node answers every item failed with the backend 401, nothing is recorded', async () => {
    assert.equal((await s.api('POST', `/api-keys/${apiKey.id}/revoke`)).status, 200);
    const before = (await s.api('GET', '/events?limit=500')).body.items.length;
    const out = await send([{ id: 'after-revoke', email: leads[5].email, event: 'signup' }]);
    assert.equal(out[0].status, 'failed', JSON.stringify(out));
    assert.equal(out[0].error.httpStatus, 401);
    assert.equal(out[0].error.code, 'api_key_revoked');
    assert.equal((await s.api('GET', '/events?limit=500')).body.items.length, before);
  });
});
