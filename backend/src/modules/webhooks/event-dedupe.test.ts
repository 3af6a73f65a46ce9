import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startTestApp, TestApp } from '../../test/test-app';
import { MessageEventRecorder } from './message-event.recorder';

describe('provider events are de-duplicated per organization', () => {
  let t: TestApp;
  let recorder: MessageEventRecorder;
  let a: string;
  let b: string;

  beforeAll(async () => {
    t = await startTestApp();
    recorder = t.app.get(MessageEventRecorder);
    a = (await t.createOrg('A')).organizationId;
    b = (await t.createOrg('B')).organizationId;
  });
  afterAll(() => t.close());

  const stop = (organizationId: string) => ({
    organizationId,
    source: 'twilio',
    eventId: 'SM00000000000000000000000000000001:inbound',
    type: 'stop',
    occurredAt: new Date(),
    payload: { Body: 'STOP' },
    suppress: { channel: 'sms', address: '+14155550199', reason: 'stop', source: 'twilio' },
  });

  it("the same provider event id on two tenants' channels is recorded for both, and each gets its suppression", async () => {
    assert.equal((await recorder.record(stop(a))).recorded, true);
    assert.equal((await recorder.record(stop(b))).recorded, true, "A's event must not make B's genuine STOP a no-op");
    const suppressions: Array<{ organization_id: string }> = await t.dataSource.query(
      `SELECT organization_id FROM suppressions WHERE address = '+14155550199' AND channel = 'sms' ORDER BY organization_id`,
    );
    assert.deepEqual(suppressions.map((s) => s.organization_id).sort(), [a, b].sort());
  });

  it('within one organization, a second delivery of the same event is still a duplicate', async () => {
    assert.equal((await recorder.record(stop(a))).recorded, false);
    const rows: Array<{ count: number }> = await t.dataSource.query(
      `SELECT count(*)::int AS count FROM message_events WHERE organization_id = $1`,
      [a],
    );
    const count = rows[0]?.count;
    assert.equal(count, 1);
  });
});
