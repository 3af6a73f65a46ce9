import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { DEFAULT_CALLBACK_RULE, effectiveRule, scoreCallback, type ScoreInput } from './callback-priority';
import { replyIntent } from './reply-intent';

const created = new Date('2030-01-01T09:00:00Z');
const at = (hours: number) => new Date(created.getTime() + hours * 3_600_000);
const input = (over: Partial<ScoreInput> = {}): ScoreInput => ({
  source: 'api',
  createdAt: created,
  now: created,
  leadAttributes: null,
  engagements: 0,
  ...over,
});

describe('the callback priority rule', () => {
  it('adds source, value tier, stage, waiting and engagement points, each named in the reasons', () => {
    const s = scoreCallback(
      input({ source: 'reply_call_me', leadAttributes: { value: '1500', stage: 'Demo' }, engagements: 5, now: at(2.5) }),
    );
    // 40 + 15 (value >= 1,000) + 15 (demo) + 10 (2 full hours) + 15 (5 engagements, capped at 15) = 95
    assert.equal(s.score, 95);
    assert.deepEqual(s.reasons, [
      'source reply_call_me: +40',
      'lead value 1500: +15',
      'lead stage demo: +15',
      'waiting 2 h: +10',
      '5 recent replies/clicks: +15',
    ]);
    assert.equal(s.category, 'urgent');
    assert.equal(s.dueAt.getTime(), at(1).getTime());
  });

  it('maps the score to a category at the thresholds and the category to its SLA', () => {
    const cases: Array<[number, string, number]> = [
      [0, 'low', 4320],
      [24, 'low', 4320],
      [25, 'normal', 1440],
      [49, 'normal', 1440],
      [50, 'high', 240],
      [69, 'high', 240],
      [70, 'urgent', 60],
    ];
    for (const [score, category, minutes] of cases) {
      const rule = { ...DEFAULT_CALLBACK_RULE, sourcePoints: { ...DEFAULT_CALLBACK_RULE.sourcePoints, api: score } };
      const s = scoreCallback(input(), rule);
      assert.equal(s.category, category, `score ${score}`);
      assert.equal(s.dueAt.getTime() - created.getTime(), minutes * 60_000);
    }
  });

  it('climbs as the request waits, up to the waiting cap', () => {
    const scores = [0, 1, 3, 6, 24, 240].map((h) => scoreCallback(input({ now: at(h) })).score);
    assert.deepEqual(scores, [20, 25, 35, 50, 50, 50]);
    assert.equal(scoreCallback(input({ now: at(-1) })).score, 20, 'a clock behind the creation adds nothing');
  });

  it('ignores what is not a number or a known stage', () => {
    const s = scoreCallback(input({ leadAttributes: { value: 'lots', stage: 'curious' } }));
    assert.deepEqual(s.reasons, ['source api: +20']);
  });

  it('merges an organization override over the default part by part', () => {
    const rule = effectiveRule({ sourcePoints: { voice_no_answer: 60 } as never, slaMinutes: { high: 30 } as never });
    assert.equal(rule.sourcePoints.voice_no_answer, 60);
    assert.equal(rule.sourcePoints.reply_call_me, 40);
    assert.equal(rule.slaMinutes.high, 30);
    assert.equal(rule.slaMinutes.urgent, 60);
    assert.deepEqual(effectiveRule(null), DEFAULT_CALLBACK_RULE);
  });
});

describe('reply intent', () => {
  it('finds a request for a call, a yes, and a no (a no wins)', () => {
    const cases: Array<[string, string]> = [
      ['Could you call me tomorrow?', 'call_me'],
      ['Please give me a call at 5', 'call_me'],
      ['ring me on my mobile', 'call_me'],
      ['Can we talk this week?', 'call_me'],
      ['Yes, sounds good', 'positive'],
      ["I'm interested", 'positive'],
      ['Not interested', 'negative'],
      ['No thanks, please do not call', 'negative'],
      ["Don't call me", 'negative'],
      ['STOP', 'negative'],
      ['Who is this?', 'other'],
      ['', 'other'],
    ];
    for (const [text, intent] of cases) assert.equal(replyIntent(text), intent, text);
  });
});
