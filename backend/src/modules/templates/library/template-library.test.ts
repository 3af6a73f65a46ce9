import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startTestApp, TestApp } from '../../../test/test-app';

describe('template library API', () => {
  let t: TestApp;
  let key: string;
  let otherKey: string;

  beforeAll(async () => {
    t = await startTestApp();
    key = (await t.createOrg('Library A')).apiKey;
    otherKey = (await t.createOrg('Library B')).apiKey;
  });
  afterAll(() => t.close());

  it('lists the built-in starters, filtered by channel and category', async () => {
    const all = await t.request('GET', '/api/v1/templates/library', { key });
    assert.equal(all.status, 200, JSON.stringify(all.body));
    const starters = all.body.items.filter((e: { source: string }) => e.source === 'starter');
    assert.ok(starters.length >= 10);
    assert.deepEqual([...new Set(starters.map((e: { channel: string }) => e.channel))].sort(), ['email', 'sms', 'voice', 'whatsapp']);
    const welcome = starters.find((e: { id: string }) => e.id === 'starter-welcome-email');
    assert.equal(welcome.category, 'welcome');
    assert.match(welcome.description, /first email/);
    assert.match(welcome.subject, /lead\.first_name/);

    const sms = await t.request('GET', '/api/v1/templates/library?channel=sms&category=appointment_reminder', { key });
    assert.deepEqual(
      sms.body.items.map((e: { id: string }) => e.id),
      ['starter-appointment-reminder-sms'],
    );
  });

  it('refuses an unknown channel or category filter with validation_failed', async () => {
    for (const query of ['channel=fax', 'category=spam', 'surprise=1']) {
      const res = await t.request('GET', `/api/v1/templates/library?${query}`, { key });
      assert.equal(res.status, 400, query);
      assert.equal(res.body.code, 'validation_failed', query);
    }
  });

  it('copies a starter into an editable template of the organization, out of the library', async () => {
    const copy = await t.request('POST', '/api/v1/templates/library/starter-follow-up-sms/copy', { key, body: {} });
    assert.equal(copy.status, 201, JSON.stringify(copy.body));
    assert.equal(copy.body.name, 'Follow-up SMS');
    assert.equal(copy.body.channel, 'sms');
    assert.match(copy.body.body, /just checking you saw my email/);
    assert.equal(copy.body.libraryCategory, null);
    const named = await t.request('POST', '/api/v1/templates/library/starter-welcome-email/copy', {
      key,
      body: { name: 'Spring welcome' },
    });
    assert.equal(named.body.name, 'Spring welcome');
    assert.match(named.body.html, /unsubscribe_url/);

    // The copy is an ordinary template: listed, editable, and editing it leaves the starter as it was.
    const edited = await t.request('PATCH', `/api/v1/templates/${copy.body.id}`, { key, body: { body: 'Changed {{ lead.first_name }}' } });
    assert.equal(edited.status, 200);
    const listed = await t.request('GET', '/api/v1/templates?channel=sms', { key });
    assert.ok(listed.body.items.some((x: { id: string }) => x.id === copy.body.id));
    const starter = (await t.request('GET', '/api/v1/templates/library?channel=sms&category=follow_up', { key })).body.items[0];
    assert.match(starter.body, /just checking you saw my email/);
  });

  it("saves the organization's own templates to its library, for that organization only", async () => {
    const created = await t.request('POST', '/api/v1/templates', {
      key,
      body: {
        name: 'Partner intro',
        channel: 'email',
        subject: 'Hi {{ lead.first_name }}',
        text: 'Meet our partners.',
        libraryCategory: 'follow_up',
      },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.libraryCategory, 'follow_up');
    const plain = await t.request('POST', '/api/v1/templates', { key, body: { name: 'Not in library', channel: 'sms', body: 'Hi' } });

    const mine = await t.request('GET', '/api/v1/templates/library?category=follow_up', { key });
    const first = mine.body.items[0];
    assert.deepEqual([first.id, first.source, first.category, first.description], [created.body.id, 'organization', 'follow_up', null]);
    const all = (await t.request('GET', '/api/v1/templates/library', { key })).body.items.map((e: { id: string }) => e.id);
    assert.ok(!all.includes(plain.body.id), 'an ordinary template is not a library entry');

    const theirs = (await t.request('GET', '/api/v1/templates/library', { key: otherKey })).body.items;
    assert.ok(
      theirs.every((e: { source: string }) => e.source === 'starter'),
      'another organization sees only the starters',
    );
    const stolen = await t.request('POST', `/api/v1/templates/library/${created.body.id}/copy`, { key: otherKey, body: {} });
    assert.equal(stolen.status, 404);
    assert.equal(stolen.body.code, 'library_template_not_found');

    const copy = await t.request('POST', `/api/v1/templates/library/${created.body.id}/copy`, { key, body: {} });
    assert.equal(copy.status, 201);
    assert.equal(copy.body.name, 'Partner intro (copy)');
    assert.equal(copy.body.text, 'Meet our partners.');
    assert.equal(copy.body.libraryCategory, null);

    // Taking it out of the library: still a template, no longer an entry.
    const out = await t.request('PATCH', `/api/v1/templates/${created.body.id}`, { key, body: { libraryCategory: null } });
    assert.equal(out.body.libraryCategory, null);
    const after = (await t.request('GET', '/api/v1/templates/library?category=follow_up', { key })).body.items;
    assert.ok(after.every((e: { source: string }) => e.source === 'starter'));
  });

  it('answers library_template_not_found for an unknown starter, a plain template or garbage, and refuses a bad category', async () => {
    const plain = await t.request('POST', '/api/v1/templates', { key, body: { name: 'Plain', channel: 'sms', body: 'Hi' } });
    for (const id of ['starter-nope', plain.body.id, 'not-an-id', '00000000-0000-4000-8000-000000000000']) {
      const res = await t.request('POST', `/api/v1/templates/library/${id}/copy`, { key, body: {} });
      assert.equal(res.status, 404, id);
      assert.equal(res.body.code, 'library_template_not_found', id);
    }
    const bad = await t.request('PATCH', `/api/v1/templates/${plain.body.id}`, { key, body: { libraryCategory: 'spam' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'validation_failed');
    const blank = await t.request('POST', '/api/v1/templates/library/starter-welcome-sms/copy', { key, body: { name: '  ' } });
    assert.equal(blank.body.code, 'validation_failed');
  });
});
