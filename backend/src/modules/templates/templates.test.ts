import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startTestApp, TestApp } from '../../test/test-app';

describe('templates API', () => {
  let t: TestApp;
  let key: string;

  beforeAll(async () => {
    t = await startTestApp();
    key = (await t.createOrg()).apiKey;
  });
  afterAll(() => t.close());

  it('refuses a Liquid syntax error with 422, naming field, line and column', async () => {
    const html = '<p>Hello</p>\n<p>Dear {{ lead.first_name }}</p>\n<p>{% if lead.plan %}Pro{% endiff %}</p>';
    const res = await t.request('POST', '/api/v1/templates', { key, body: { name: 'Broken', channel: 'email', subject: 'Hi', html } });
    assert.equal(res.status, 422);
    assert.equal(res.body.code, 'template_invalid');
    const error = res.body.details[0];
    assert.equal(error.field, 'html');
    assert.equal(error.line, 3);
    assert.ok(error.column > 0);
    assert.match(res.body.message, /html line 3, column \d+/);
  });

  it('refuses a template missing what its channel needs', async () => {
    const res = await t.request('POST', '/api/v1/templates', { key, body: { name: 'No body', channel: 'sms' } });
    assert.equal(res.status, 422);
    assert.equal(res.body.details[0].code, 'template_missing_field');
    const bad = await t.request('POST', '/api/v1/templates', { key, body: { name: 'x', channel: 'fax', body: 'hi' } });
    assert.equal(bad.body.code, 'validation_failed');
  });

  it('previews an email against a stored lead, sample data, and reports missing variables', async () => {
    const created = await t.request('POST', '/api/v1/templates', {
      key,
      body: {
        name: 'Welcome',
        channel: 'email',
        subject: 'Welcome {{ lead.first_name | default: "there" }}',
        html: '<p>Hi {{ lead.first_name }} from {{ lead.company }}</p>',
      },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const lead = (
      await t.request('POST', '/api/v1/leads', {
        key,
        body: { email: 'grace@example.com', firstName: 'Grace <3', attributes: { company: 'Navy' } },
      })
    ).body;
    const preview = await t.request('POST', `/api/v1/templates/${created.body.id}/preview`, { key, body: { leadId: lead.id } });
    assert.equal(preview.status, 200);
    assert.equal(preview.body.result.status, 'rendered');
    assert.equal(preview.body.result.subject, 'Welcome Grace <3');
    assert.match(preview.body.result.html, /Hi Grace &lt;3 from Navy/);
    const sample = await t.request('POST', `/api/v1/templates/${created.body.id}/preview`, { key, body: {} });
    assert.equal(sample.body.result.status, 'rendered');
    const missing = await t.request('POST', `/api/v1/templates/${created.body.id}/preview`, {
      key,
      body: { lead: { email: 'x@example.com', firstName: 'X' } },
    });
    assert.equal(missing.body.result.status, 'skipped');
    assert.equal(missing.body.result.reason, 'missing_variable');
    assert.deepEqual(missing.body.result.variables, ['lead.company']);
  });

  it('previews SMS segments, and updates re-validate', async () => {
    const sms = await t.request('POST', '/api/v1/templates', {
      key,
      body: { name: 'Promo', channel: 'sms', body: 'Hi {{ lead.first_name | default: "there" }}, 20% off today €' },
    });
    const preview = await t.request('POST', `/api/v1/templates/${sms.body.id}/preview`, { key, body: { lead: { phone: '+14155550123' } } });
    assert.equal(preview.body.result.body, 'Hi there, 20% off today €');
    assert.equal(preview.body.result.encoding, 'GSM-7');
    assert.equal(preview.body.result.segments, 1);
    const broken = await t.request('PATCH', `/api/v1/templates/${sms.body.id}`, { key, body: { body: 'Hi {{ lead.first_name ' } });
    assert.equal(broken.status, 422);
    const fixed = await t.request('PATCH', `/api/v1/templates/${sms.body.id}`, {
      key,
      body: { body: 'Bye {{ lead.first_name | default: "friend" }}' },
    });
    assert.equal(fixed.status, 200);
    assert.equal(fixed.body.body, 'Bye {{ lead.first_name | default: "friend" }}');
  });
});

describe('template preview edge cases', () => {
  let t: TestApp;
  let key: string;
  beforeAll(async () => {
    t = await startTestApp();
    key = (await t.createOrg()).apiKey;
  });
  afterAll(() => t.close());

  it('renders the unsubscribe link and List-Unsubscribe headers in an email preview', async () => {
    const created = await t.request('POST', '/api/v1/templates', {
      key,
      body: { name: 'News', channel: 'email', subject: 'News', html: '<p>Hi</p><a href="{{ unsubscribe_url }}">Unsubscribe</a>' },
    });
    const preview = await t.request('POST', `/api/v1/templates/${created.body.id}/preview`, { key, body: {} });
    assert.equal(preview.body.result.status, 'rendered');
    assert.match(preview.body.result.html, /href="https:\/\/unsubscribe\.invalid\/preview"/);
    assert.equal(preview.body.result.headers['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click');
  });

  it('a template that renders to nothing answers 422 with a stable code', async () => {
    const created = await t.request('POST', '/api/v1/templates', {
      key,
      body: { name: 'Empty subject', channel: 'email', subject: '{{ lead.nickname | default: "" }}', text: 'Body' },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const preview = await t.request('POST', `/api/v1/templates/${created.body.id}/preview`, { key, body: {} });
    assert.equal(preview.status, 422);
    assert.equal(preview.body.code, 'template_render_failed');
  });
});
