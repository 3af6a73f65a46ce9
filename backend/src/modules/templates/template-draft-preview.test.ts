import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startTestApp, TestApp } from '../../test/test-app';

// The editor previews what it has before it is saved: POST /templates/preview renders the given fields.
describe('preview of an unsaved template (POST /templates/preview)', () => {
  let t: TestApp;
  let key: string;
  let otherKey: string;

  beforeAll(async () => {
    t = await startTestApp();
    key = (await t.createOrg('Acme')).apiKey;
    otherKey = (await t.createOrg('Other')).apiKey;
  });
  afterAll(() => t.close());

  const preview = (body: unknown, k = key) => t.request('POST', '/api/v1/templates/preview', { key: k, body });

  it('renders an SMS draft against a stored lead of the organization, with its segments, and saves nothing', async () => {
    const lead = await t.request('POST', '/api/v1/leads', { key, body: { phone: '+14155550123', firstName: 'Ada' } });
    assert.equal(lead.status, 201, JSON.stringify(lead.body));
    const res = await preview({ channel: 'sms', body: 'Hi {{ lead.first_name }} 👋', leadId: lead.body.id });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.result.body, 'Hi Ada 👋');
    assert.equal(res.body.result.encoding, 'UCS-2');
    assert.equal(res.body.result.segments, 1);
    assert.equal(res.body.lead.id, lead.body.id);
    const list = await t.request('GET', '/api/v1/templates', { key });
    assert.deepEqual(list.body.items, []);
  });

  it('does not read another organization’s lead', async () => {
    const lead = await t.request('POST', '/api/v1/leads', { key, body: { phone: '+14155550999', firstName: 'Private' } });
    const res = await preview({ channel: 'sms', body: 'Hi {{ lead.first_name }}', leadId: lead.body.id }, otherKey);
    assert.equal(res.status, 404);
    assert.equal(res.body.code, 'lead_not_found');
  });

  it('renders an email draft with given lead data, and with sample data', async () => {
    const draft = {
      channel: 'email',
      subject: 'Hello {{ lead.first_name }}',
      html: '<p>Hi {{ lead.first_name }} at {{ lead.company }}</p>',
    };
    const given = await preview({ ...draft, lead: { email: 'g@example.com', firstName: 'Grace', attributes: { company: 'Navy' } } });
    assert.equal(given.status, 200, JSON.stringify(given.body));
    assert.equal(given.body.result.subject, 'Hello Grace');
    assert.match(given.body.result.html, /Hi Grace at Navy/);
    assert.match(given.body.result.text, /Hi Grace at Navy/, 'the text part is derived from the HTML');
    const sample = await preview(draft);
    assert.equal(sample.status, 200);
    assert.equal(sample.body.result.status, 'rendered');
  });

  it('answers a Liquid syntax error with 422 template_invalid naming field, line and column', async () => {
    const res = await preview({ channel: 'sms', body: 'Hello\n{{ lead.first_name ' });
    assert.equal(res.status, 422);
    assert.equal(res.body.code, 'template_invalid');
    const [error] = res.body.details;
    assert.equal(error.field, 'body');
    assert.equal(error.line, 2);
    assert.equal(error.column, 1);
  });

  it('refuses an unknown campaign key like a save does', async () => {
    const res = await preview({ channel: 'sms', body: 'From {{ campaign.budget }}' });
    assert.equal(res.status, 422);
    assert.equal(res.body.details[0].code, 'template_unknown_variable');
    assert.equal(res.body.details[0].column, 9);
  });

  it('keeps the render budget: a runaway loop answers 422 template_render_failed with its render code', async () => {
    const res = await preview({ channel: 'sms', body: '{% for i in (1..100000000) %}x{% endfor %}' });
    assert.equal(res.status, 422);
    assert.equal(res.body.code, 'template_render_failed');
    assert.equal(res.body.details.renderCode, 'render_memory_limit');
    assert.equal(res.body.details.field, 'body');
  });

  it('refuses malformed bodies with stable codes', async () => {
    assert.equal((await preview({ channel: 'fax', body: 'x' })).body.code, 'validation_failed');
    assert.equal((await preview({ channel: 'sms', body: 'x', leadId: 'not-a-uuid' })).body.code, 'validation_failed');
    assert.equal((await preview({ channel: 'sms', body: 'x', lead: ['not', 'an', 'object'] })).body.code, 'validation_failed');
    const tooLong = await preview({ channel: 'sms', body: 'x'.repeat(300 * 1024) });
    assert.equal(tooLong.status, 422);
    assert.equal(tooLong.body.details[0].code, 'template_too_large');
  });
});
