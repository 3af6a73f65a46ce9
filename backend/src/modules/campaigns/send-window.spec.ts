import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { nextSendTime, recipientZones, sendWindowProblem } from './send-window';

const WEEKDAYS_9_TO_5 = { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' };
const utc = (iso: string) => new Date(iso);

describe('send windows', () => {
  it("inside the window in the lead's zone: now", () => {
    // Tuesday 2026-12-01 15:00 UTC = 10:00 in New York.
    const now = utc('2026-12-01T15:00:00Z');
    assert.deepEqual(nextSendTime(WEEKDAYS_9_TO_5, ['America/New_York'], now), now);
  });

  it('before the window opens: today at the opening, in local time', () => {
    // 12:00 UTC = 07:00 in New York: opens at 09:00 EST = 14:00 UTC.
    assert.deepEqual(nextSendTime(WEEKDAYS_9_TO_5, ['America/New_York'], utc('2026-12-01T12:00:00Z')), utc('2026-12-01T14:00:00Z'));
  });

  it('after it closed on a Friday: Monday morning', () => {
    // Friday 2026-12-04 18:00 in Berlin (17:00 UTC) → Monday 2026-12-07 09:00 CET.
    assert.deepEqual(nextSendTime(WEEKDAYS_9_TO_5, ['Europe/Berlin'], utc('2026-12-04T17:00:00Z')), utc('2026-12-07T08:00:00Z'));
  });

  it('the end is exclusive; 24:00 is midnight', () => {
    assert.deepEqual(nextSendTime(WEEKDAYS_9_TO_5, ['UTC'], utc('2026-12-01T17:00:00Z')), utc('2026-12-02T09:00:00Z'));
    const lateNight = { days: [1, 2, 3, 4, 5, 6, 7], start: '20:00', end: '24:00' };
    const at = utc('2026-12-01T23:59:00Z');
    assert.deepEqual(nextSendTime(lateNight, ['UTC'], at), at);
  });

  it('across a DST change the window stays in wall time', () => {
    // Sunday 2027-03-14 is the US spring-forward day; Monday 09:00 EDT = 13:00 UTC (not 14:00).
    assert.deepEqual(nextSendTime(WEEKDAYS_9_TO_5, ['America/New_York'], utc('2027-03-13T20:00:00Z')), utc('2027-03-15T13:00:00Z'));
  });

  it('several zones: only when it is open in all of them (a US number in US quiet hours 08:00–21:00)', () => {
    const tcpa = { days: [1, 2, 3, 4, 5, 6, 7], start: '08:00', end: '21:00' };
    const us = recipientZones({ timezone: null, phone: '+14155550100' });
    assert.ok(us.includes('America/New_York') && us.includes('Pacific/Honolulu'));
    // 2026-12-01 13:00 UTC: 08:00 in New York but 03:00 in Honolulu. 08:00 HST = 18:00 UTC; 21:00 EST = 02:00 UTC.
    assert.deepEqual(nextSendTime(tcpa, us, utc('2026-12-01T13:00:00Z')), utc('2026-12-01T18:00:00Z'));
    const open = utc('2026-12-01T20:00:00Z');
    assert.deepEqual(nextSendTime(tcpa, us, open), open);
    // 02:00 UTC is 21:00 in New York: closed there, until Honolulu's next 08:00.
    assert.deepEqual(nextSendTime(tcpa, us, utc('2026-12-02T02:00:00Z')), utc('2026-12-02T18:00:00Z'));
  });

  it("zones whose windows never overlap fall back to the first zone: the message waits at most until that zone's opening", () => {
    const narrow = { days: [1, 2, 3, 4, 5], start: '09:00', end: '10:00' };
    const at = nextSendTime(narrow, ['America/New_York', 'Pacific/Honolulu'], utc('2026-12-01T16:00:00Z'));
    assert.deepEqual(at, utc('2026-12-02T14:00:00Z'));
  });

  it("a lead's own zone wins; an unknown zone falls to the phone's country, then the window's zone, then UTC", () => {
    assert.deepEqual(recipientZones({ timezone: 'Asia/Tokyo', phone: '+14155550100' }), ['Asia/Tokyo']);
    assert.deepEqual(recipientZones({ timezone: 'Mars/Olympus', phone: '+442079460000' }), ['Europe/London']);
    assert.deepEqual(recipientZones({ timezone: null, phone: null }, 'Europe/Paris'), ['Europe/Paris']);
    // The window's zone leads the country's, so a window that can never hold everywhere follows it.
    assert.equal(recipientZones({ timezone: null, phone: '+14155550100' }, 'America/Chicago')[0], 'America/Chicago');
    assert.deepEqual(recipientZones({ timezone: null, phone: 'not a number' }, 'Nowhere/Else'), ['UTC']);
  });

  it('refuses a window that closes before it opens', () => {
    assert.equal(sendWindowProblem({ days: [1], start: '17:00', end: '09:00' }), 'sendWindow.end must be after sendWindow.start');
    assert.equal(sendWindowProblem({ days: [1], start: '09:00', end: '09:00' }), 'sendWindow.end must be after sendWindow.start');
    assert.equal(sendWindowProblem(WEEKDAYS_9_TO_5), undefined);
  });
});
