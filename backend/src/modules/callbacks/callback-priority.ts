/**
 * The priority rule of callback requests: a score from what is known of the request and its lead, a
 * category from the score, and an SLA (how soon someone must call) per category. Pure, so the rule is
 * documented by its tests; an organization may override any part of it (`PUT /callbacks/rule`).
 *
 *   score = source points + lead value points + lead stage points
 *         + waiting points (per hour waited, capped) + engagement points (per recent reply/click, capped)
 *   category = the first of urgent / high / normal whose threshold the score reaches, else low
 *   due = created + SLA of the category
 *
 * Waiting time is part of the score, so a request climbs as it waits: the queue recomputes open requests.
 */
export const CALLBACK_SOURCES = [
  'reply_call_me',
  'reply_positive',
  'voice_no_answer',
  'agent_call_back',
  'missed_call',
  'web_form',
  'api',
] as const;
export type CallbackSource = (typeof CALLBACK_SOURCES)[number];
export const CALLBACK_CATEGORIES = ['urgent', 'high', 'normal', 'low'] as const;
export type CallbackCategory = (typeof CALLBACK_CATEGORIES)[number];

export interface CallbackRule {
  /** Points for where the request came from. */
  sourcePoints: Record<CallbackSource, number>;
  /** Points by the lead's `attributes.value` (a number): the highest tier it reaches. */
  valueTiers: Array<{ atLeast: number; points: number }>;
  /** Points by the lead's `attributes.stage` (compared lowercased). */
  stagePoints: Record<string, number>;
  /** Points per full hour waited, and their cap. */
  waitingPointsPerHour: number;
  waitingPointsMax: number;
  /** Points per reply or click from the lead in the last 30 days, and their cap. */
  engagementPointsEach: number;
  engagementPointsMax: number;
  /** Lowest score of each category; below `normal` is `low`. */
  thresholds: { urgent: number; high: number; normal: number };
  /** Minutes from creation until the request is due, per category. */
  slaMinutes: Record<CallbackCategory, number>;
}

export const DEFAULT_CALLBACK_RULE: CallbackRule = {
  // agent_call_back: the lead told the AI agent on the phone to call back, as strong as asking in a reply.
  sourcePoints: { reply_call_me: 40, agent_call_back: 40, missed_call: 30, web_form: 30, reply_positive: 25, api: 20, voice_no_answer: 15 },
  valueTiers: [
    { atLeast: 10_000, points: 25 },
    { atLeast: 1_000, points: 15 },
    { atLeast: 1, points: 5 },
  ],
  stagePoints: { negotiation: 20, proposal: 15, demo: 15, qualified: 10 },
  waitingPointsPerHour: 5,
  waitingPointsMax: 30,
  engagementPointsEach: 5,
  engagementPointsMax: 15,
  thresholds: { urgent: 70, high: 50, normal: 25 },
  slaMinutes: { urgent: 60, high: 240, normal: 1440, low: 4320 },
};

export interface ScoreInput {
  source: CallbackSource;
  createdAt: Date;
  now: Date;
  leadAttributes: Record<string, unknown> | null;
  /** Replies and clicks of the lead in the last 30 days. */
  engagements: number;
}

export interface CallbackScore {
  score: number;
  category: CallbackCategory;
  dueAt: Date;
  /** Each part of the score that counted, e.g. "source reply_call_me: +40". */
  reasons: string[];
}

export function scoreCallback(input: ScoreInput, rule: CallbackRule = DEFAULT_CALLBACK_RULE): CallbackScore {
  const reasons: string[] = [];
  let score = 0;
  const add = (points: number, why: string) => {
    if (points === 0) return;
    score += points;
    reasons.push(`${why}: ${points > 0 ? '+' : ''}${points}`);
  };
  add(rule.sourcePoints[input.source] ?? 0, `source ${input.source}`);

  const value = Number(input.leadAttributes?.value);
  if (Number.isFinite(value)) {
    const tier = [...rule.valueTiers].sort((a, b) => b.atLeast - a.atLeast).find((t) => value >= t.atLeast);
    if (tier) add(tier.points, `lead value ${value}`);
  }
  const stage = input.leadAttributes?.stage;
  if (typeof stage === 'string') add(rule.stagePoints[stage.toLowerCase()] ?? 0, `lead stage ${stage.toLowerCase()}`);

  const hours = Math.max(0, Math.floor((input.now.getTime() - input.createdAt.getTime()) / 3_600_000));
  add(Math.min(rule.waitingPointsMax, hours * rule.waitingPointsPerHour), `waiting ${hours} h`);
  add(Math.min(rule.engagementPointsMax, input.engagements * rule.engagementPointsEach), `${input.engagements} recent replies/clicks`);

  const t = rule.thresholds;
  const category: CallbackCategory = score >= t.urgent ? 'urgent' : score >= t.high ? 'high' : score >= t.normal ? 'normal' : 'low';
  return { score, category, dueAt: new Date(input.createdAt.getTime() + rule.slaMinutes[category] * 60_000), reasons };
}

/** An organization's stored override merged over the default, part by part. */
export function effectiveRule(override: Partial<CallbackRule> | null | undefined): CallbackRule {
  const o = override ?? {};
  return {
    ...DEFAULT_CALLBACK_RULE,
    ...o,
    sourcePoints: { ...DEFAULT_CALLBACK_RULE.sourcePoints, ...o.sourcePoints },
    thresholds: { ...DEFAULT_CALLBACK_RULE.thresholds, ...o.thresholds },
    slaMinutes: { ...DEFAULT_CALLBACK_RULE.slaMinutes, ...o.slaMinutes },
  };
}
