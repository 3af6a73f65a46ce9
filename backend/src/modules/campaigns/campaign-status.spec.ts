import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { AppError } from '../../common/errors/app-error';
import {
  CAMPAIGN_ACTIONS,
  CAMPAIGN_EVENTS,
  CAMPAIGN_TRANSITIONS,
  campaignTarget,
  completeIfDone,
  eventForAction,
  eventOrConflict,
  moveCampaign,
  startDueCampaigns,
  reopenCampaign,
  suspendCampaign,
  suspendForMailbox,
} from './campaign-status';
import { CAMPAIGN_STATUSES, CampaignStatus } from './campaign.entity';

/** The product's campaign lifecycle, written out independently of the table it checks. */
const LEGAL: Array<[CampaignStatus, string, CampaignStatus]> = [
  ['draft', 'launch', 'active'],
  ['draft', 'schedule', 'scheduled'],
  ['scheduled', 'start', 'active'],
  ['active', 'pause', 'paused'],
  ['scheduled', 'pause', 'paused'],
  ['active', 'suspend', 'paused'],
  ['paused', 'resume', 'active'],
  ['paused', 'reschedule', 'scheduled'],
  ['draft', 'cancel', 'cancelled'],
  ['scheduled', 'cancel', 'cancelled'],
  ['active', 'cancel', 'cancelled'],
  ['paused', 'cancel', 'cancelled'],
  ['active', 'complete', 'completed'],
  ['completed', 'reopen', 'active'],
];

/** Records the statements a machine function sends, answering like TypeORM's postgres driver for UPDATE ... RETURNING. */
function recorder(rows: unknown[] = [{ id: 'x', launched_at: new Date() }]) {
  const sent: Array<{ sql: string; params: unknown[] }> = [];
  return {
    sent,
    m: {
      query: async (sql: string, params: unknown[] = []) => {
        sent.push({ sql, params });
        return [rows, rows.length];
      },
    } as never,
  };
}

const inList = (statuses: readonly string[]) => statuses.map((s) => `'${s}'`).join(', ');

describe('campaign status machine (pure)', () => {
  it('walks every (status, event) pair: legal moves reach the table target, every other one is refused', () => {
    let legal = 0;
    for (const from of CAMPAIGN_STATUSES) {
      for (const event of CAMPAIGN_EVENTS) {
        const expected = LEGAL.find(([f, e]) => f === from && e === event)?.[2];
        assert.equal(campaignTarget(from, event), expected, `${from} --${event}-->`);
        if (expected) legal++;
      }
    }
    assert.equal(legal, LEGAL.length, 'every legal move of the lifecycle is in the table');
  });

  it('cancelled is final; completed is left only when a retry gives it work again (reopen)', () => {
    for (const event of CAMPAIGN_EVENTS) {
      assert.equal(campaignTarget('cancelled', event), undefined);
      assert.equal(campaignTarget('completed', event), event === 'reopen' ? 'active' : undefined);
    }
  });

  it('maps every API action from every status to its event, or to 409 campaign_invalid_transition', () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    const past = '2020-01-01T00:00:00Z';
    const future = '2099-01-01T00:00:00Z'; // also ahead of the real clock, which eventOrConflict reads
    for (const from of CAMPAIGN_STATUSES) {
      for (const action of CAMPAIGN_ACTIONS) {
        for (const startAt of [undefined, past, future]) {
          const later = startAt === future;
          const event =
            action === 'launch' ? (later ? 'schedule' : 'launch') : action === 'resume' ? (later ? 'reschedule' : 'resume') : action;
          const legal = LEGAL.some(([f, e]) => f === from && e === event);
          assert.equal(
            eventForAction(from, action, startAt, now),
            legal ? event : undefined,
            `${action} a ${from} campaign (startAt ${startAt})`,
          );
          if (legal) assert.equal(eventOrConflict(from, action, startAt), event);
          else {
            assert.throws(
              () => eventOrConflict(from, action, startAt),
              (e: unknown) => e instanceof AppError && e.code === 'campaign_invalid_transition' && e.statusCode === 409,
            );
          }
        }
      }
    }
  });

  it('every statement writes its move target and is limited to the move from-states', async () => {
    const checks: Array<[string, (m: never) => Promise<unknown>]> = [
      ['launch', (m) => moveCampaign(m, 'id', 'launch')],
      ['schedule', (m) => moveCampaign(m, 'id', 'schedule')],
      ['pause', (m) => moveCampaign(m, 'id', 'pause')],
      ['resume', (m) => moveCampaign(m, 'id', 'resume')],
      ['reschedule', (m) => moveCampaign(m, 'id', 'reschedule')],
      ['cancel', (m) => moveCampaign(m, 'id', 'cancel')],
      ['suspend', (m) => suspendCampaign(m, 'id', 'why')],
      ['reopen', (m) => reopenCampaign(m, 'id')],
      ['suspend', (m) => suspendForMailbox(m, 'org', 'acct', 'why')],
      ['start', (m) => startDueCampaigns(m)],
      ['complete', (m) => completeIfDone(m, 'id')],
      ['complete', (m) => completeIfDone(m)],
    ];
    for (const [event, run] of checks) {
      const { sent, m } = recorder();
      await run(m);
      assert.equal(sent.length, 1, `${event}: one statement`);
      const sql = sent[0].sql.replace(/\s+/g, ' ');
      const rule = CAMPAIGN_TRANSITIONS[event as keyof typeof CAMPAIGN_TRANSITIONS];
      assert.match(sql, /^UPDATE campaigns /);
      assert.ok(sql.includes(`SET status = '${rule.to}'`), `${event}: ${sql}`);
      assert.ok(sql.includes(`status IN (${inList(rule.from)})`), `${event}: ${sql}`);
    }
  });

  it('answers whether the campaign moved (0 rows: the move was refused)', async () => {
    assert.equal((await moveCampaign(recorder([]).m, 'id', 'pause')).moved, false);
    assert.equal((await moveCampaign(recorder().m, 'id', 'pause')).moved, true);
    assert.equal(await suspendCampaign(recorder([]).m, 'id', 'why'), false);
    assert.equal(await completeIfDone(recorder([{ id: 'a' }, { id: 'b' }]).m), 2);
  });
});
