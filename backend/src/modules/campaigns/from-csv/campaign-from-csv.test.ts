import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startTestApp, TestApp } from '../../../test/test-app';

describe('POST /campaigns/from-csv: a CSV becomes leads and a draft campaign for exactly its valid rows, in one request', () => {
  let t: TestApp;
  let key: string;
  let otherKey: string;
  let channelId: string;
  let templateId: string;

  const upload = (csv: string, fields: Record<string, string>, as = key) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append('file', new Blob([csv], { type: 'text/csv' }), 'leads.csv');
    return t.request('POST', '/api/v1/campaigns/from-csv', { key: as, raw: form });
  };
  const campaign = (extra: Record<string, unknown> = {}) =>
    JSON.stringify({ name: 'From the CSV', type: 'blast', sender: { channelId }, steps: [{ templateId }], ...extra });
  const count = async (table: string) => (await t.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n as number;

  beforeAll(async () => {
    t = await startTestApp();
    key = (await t.createOrg()).apiKey;
    otherKey = (await t.createOrg('Other')).apiKey;
    const channel = await t.request('POST', '/api/v1/channels', {
      key,
      body: {
        type: 'twilio',
        name: 'Line',
        config: { accountSid: `AC${'2'.repeat(32)}`, from: '+14155550100' },
        secrets: { authToken: 'tok' },
      },
    });
    channelId = channel.body.id;
    templateId = (
      await t.request('POST', '/api/v1/templates', { key, body: { name: 'Hi', channel: 'sms', body: 'Hi {{ lead.first_name }}' } })
    ).body.id;
  });
  afterAll(() => t.close());

  it('imports the file with its mapping and creates a draft whose audience is exactly the valid rows; bad rows are reported', async () => {
    const existing = await t.request('POST', '/api/v1/leads', { key, body: { phone: '+14155550111', firstName: 'Old' } });
    const csv = [
      'mobile,name,opt_in',
      '+14155550111,Ada,yes', // an existing lead: updated, and in the audience
      '+14155550112,Ben,yes',
      'not a phone,Cy,yes',
      '+14155550113,Dee,yes',
      '+14155550112,Ben again,yes', // the same lead twice is one audience member
    ].join('\n');
    const res = await upload(csv, {
      campaign: campaign(),
      mapping: JSON.stringify({ mobile: 'phone', name: 'firstName', opt_in: 'consent.sms' }),
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.campaign.status, 'draft');
    assert.equal(res.body.campaign.name, 'From the CSV');
    assert.equal(res.body.import.failed, 1);
    assert.equal(res.body.import.errors[0].row, 4);
    assert.equal(res.body.import.created, 2);
    // Ada existed; Ben's second row is the same lead, written once with the file's last values.
    assert.equal(res.body.import.updated, 1);
    assert.equal(res.body.import.rows, 5);
    const ids: string[] = res.body.campaign.audience.leadIds;
    assert.equal(ids.length, 3);
    assert.ok(ids.includes(existing.body.id));
    const phones = (await t.dataSource.query('SELECT phone FROM leads WHERE id = ANY($1::uuid[]) ORDER BY phone', [ids])).map(
      (r: { phone: string }) => r.phone,
    );
    assert.deepEqual(phones, ['+14155550111', '+14155550112', '+14155550113']);
    // The draft is an ordinary draft: its review counts exactly those leads.
    const review = await t.request('GET', `/api/v1/campaigns/${res.body.campaign.id}`, { key });
    assert.equal(review.status, 200);
    assert.equal(review.body.audience.leadIds.length, 3);
  });

  it('a wrong campaign (unknown template, bad JSON, an audience given) imports nothing and answers 400 with the field', async () => {
    const leadsBefore = await count('leads');
    const campaignsBefore = await count('campaigns');
    const csv = 'phone,first_name\n+14155550121,Eve\n';
    for (const [field, expected] of [
      [campaign({ steps: [{ templateId: '00000000-0000-4000-8000-000000000000' }] }), /steps\[0\]\.templateId/],
      ['{not json', /campaign must be JSON/],
      [campaign({ audience: { all: true } }), /campaign\.audience/],
      [JSON.stringify({ name: 'x', type: 'blast', steps: [{ templateId }] }), /sender/],
    ] as Array<[string, RegExp]>) {
      const res = await upload(csv, { campaign: field });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.code, 'validation_failed');
      assert.match(res.body.message, expected);
    }
    const missing = await upload(csv, {});
    assert.equal(missing.status, 400);
    assert.match(missing.body.message, /campaign is required/);
    assert.equal(await count('leads'), leadsBefore, 'nothing imported');
    assert.equal(await count('campaigns'), campaignsBefore, 'no campaign');
  });

  it('a file without a valid row creates no campaign (422 csv_no_valid_rows, the report attached)', async () => {
    const before = await count('campaigns');
    const res = await upload('phone,first_name\nnope,Fay\n', { campaign: campaign() });
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assert.equal(res.body.code, 'csv_no_valid_rows');
    assert.equal(res.body.details.import.failed, 1);
    assert.equal(await count('campaigns'), before);
  });

  it("another organization's channel or template is unknown here", async () => {
    const res = await upload('phone\n+14155550131\n', { campaign: campaign() }, otherKey);
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.match(res.body.message, /no such channel/);
  });
});
