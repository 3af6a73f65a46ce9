// Reply detection end to end: a Gmail sequence sent by a real n8n through the sandbox's Gmail; the
// sandbox's recipients answer into the mailbox; the backend reads the mailbox history and a person's reply
// stops that lead's step 2 (no_reply), while an out-of-office does not.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startStack } from './stack.mjs';

const MAILBOX = 'sales@cadence.test';

/** A browser's cookies for the backend origin, enough for the OAuth round trips. */
class Jar {
  cookies = new Map();
  store(res) {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const value = decodeURIComponent(pair.slice(eq + 1).trim());
      if (value) this.cookies.set(pair.slice(0, eq).trim(), value);
      else this.cookies.delete(pair.slice(0, eq).trim());
    }
  }
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ');
  }
}

/** Start URL on the backend -> the sandbox's consent page (deciding at once) -> the backend's callback. */
async function oauth(startUrl, jar, backendUrl, email) {
  const go = async (url) => {
    const own = url.startsWith(backendUrl);
    const res = await fetch(url, { redirect: 'manual', headers: own && jar.cookies.size ? { cookie: jar.header() } : {} });
    if (own) jar.store(res);
    await res.arrayBuffer();
    return new URL(res.headers.get('location'), url).toString();
  };
  const consent = new URL(await go(startUrl));
  consent.searchParams.set('sandbox_decision', 'allow');
  consent.searchParams.set('login_hint', email);
  return go(await go(consent.toString()));
}

describe('Gmail reply detection with a real n8n', () => {
  let s;

  beforeAll(async () => {
    s = await startStack({ google: true, backendEnv: { GMAIL_SYNC_INTERVAL_MS: '500' } });
    // Sign in (a new organization), connect the mailbox, and use an API key of that organization.
    const jar = new Jar();
    await oauth(`${s.backendUrl}/auth/google`, jar, s.backendUrl, 'owner@cadence.test');
    const session = await (await fetch(`${s.backendUrl}/api/v1/session`, { headers: { cookie: jar.header() } })).json();
    await oauth(`${s.backendUrl}/auth/gmail/connect`, jar, s.backendUrl, MAILBOX);
    const issued = await fetch(`${s.backendUrl}/api/v1/api-keys`, {
      method: 'POST',
      headers: { cookie: jar.header(), 'x-csrf-token': session.csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'e2e' }),
    });
    assert.equal(issued.status, 201);
    s.key = (await issued.json()).key;
    await s.sandboxApi('POST', '/behaviour/overrides', { match: 'ann@replies.test', behaviour: { replied: true } });
    await s.sandboxApi('POST', '/behaviour/overrides', { match: 'bob@replies.test', behaviour: { autoReplied: true } });
    await s.sandboxApi('POST', '/behaviour/overrides', { match: 'cy@replies.test', behaviour: {} });
  });
  afterAll(async () => {
    if (process.exitCode && s) console.error(s.logs.slice(-60).join(''));
    await s?.stop();
  });

  it('a reply stops step 2 for that lead (no_reply); an out-of-office and silence do not', async () => {
    const accounts = (await s.api('GET', '/email-accounts')).body.items;
    assert.deepEqual(
      accounts.map((a) => [a.email, a.status]),
      [[MAILBOX, 'connected']],
    );
    const leads = (
      await s.api(
        'POST',
        '/leads',
        ['ann', 'bob', 'cy'].map((n) => ({ email: `${n}@replies.test`, firstName: n })),
      )
    ).body.ids;
    const first = (
      await s.api('POST', '/templates', {
        name: 'First',
        channel: 'email',
        subject: 'Quick question',
        text: 'Hi {{ lead.first_name }}, a quick question.',
      })
    ).body.id;
    const second = (
      await s.api('POST', '/templates', { name: 'Follow-up', channel: 'email', subject: 'Following up', text: 'Just following up.' })
    ).body.id;
    const created = await s.api('POST', '/campaigns', {
      name: 'Replies',
      type: 'sequence',
      sender: { emailAccountId: accounts[0].id },
      audience: { leadIds: leads },
      steps: [
        { channel: 'email', templateId: first },
        { channel: 'email', templateId: second, delaySeconds: 6, condition: { type: 'no_reply' } },
      ],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal((await s.api('POST', `/campaigns/${created.body.id}/launch`)).status, 202);
    assert.equal((await s.campaignDone(created.body.id)).status, 'completed');

    const { rows } = await s.db.query(
      `SELECT m.id, m.to_address, m.position, m.status, m.skip_reason, m.stopped_by_message_id,
              (SELECT array_agg(e.type ORDER BY e.type) FROM message_events e WHERE e.message_id = m.id AND e.type IN ('replied', 'auto_replied')) AS answers
         FROM messages m WHERE m.campaign_id = $1 ORDER BY m.to_address, m.position`,
      [created.body.id],
    );
    const sent = (r) => ['sent', 'delivered'].includes(r.status);
    const [ann1, ann2, bob1, bob2, cy1, cy2] = rows;
    assert.deepEqual(ann1.answers, ['replied']);
    assert.ok(sent(ann1));
    // The reply itself stops the lead's remaining steps (reply effects), before the no_reply condition is looked at.
    assert.deepEqual([ann2.status, ann2.skip_reason], ['skipped', 'replied'], 'the reply stopped ann’s follow-up');
    assert.equal(ann2.stopped_by_message_id, ann1.id);
    assert.deepEqual(bob1.answers, ['auto_replied']);
    assert.ok(sent(bob2), `the out-of-office did not stop bob’s follow-up: ${JSON.stringify(bob2)}`);
    assert.equal(cy1.answers, null);
    assert.ok(sent(cy2), JSON.stringify(cy2));
    // What the sandbox's mailbox saw: 3 first emails and 2 follow-ups sent, the follow-ups in the leads' threads.
    const mailbox = await s.sandboxApi('GET', `/gmail/mailboxes/${MAILBOX}`);
    const sentMail = mailbox.messages.filter((m) => m.labelIds.includes('SENT'));
    assert.equal(sentMail.length, 5);
    assert.equal(
      sentMail
        .filter((m) => m.subject === 'Following up')
        .map((m) => m.to[0])
        .sort()
        .join(),
      'bob@replies.test,cy@replies.test',
    );
  });
});
