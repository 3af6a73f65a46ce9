/**
 * What a lead's reply asks for, by its words: `call_me` (they want a call), `positive` (yes, interested),
 * `negative` (no, stop), or `other`. Deliberately simple and conservative: a negative word wins over a
 * positive one ("not interested"), and only the first 1,000 characters are read (a quoted thread below
 * the answer is not the lead's words).
 */
export type ReplyIntent = 'call_me' | 'positive' | 'negative' | 'other';

const CALL_ME = [
  /\bcall (me|us)\b/,
  /\b(give|gimme) (me|us) a (call|ring)\b/,
  /\b(ring|phone) (me|us)\b/,
  /\bcall ?back\b/,
  /\bcan (you|we) (call|talk|speak)\b/,
  /\b(call|reach) me (at|on)\b/,
];
const NEGATIVE = [
  /\bnot interested\b/,
  /\bno thanks?\b/,
  /\bunsubscribe\b/,
  /^\s*(stop|no|nope)\b/,
  /\b(don'?t|do not) (call|contact|text|email)\b/,
  /\bremove me\b/,
];
const POSITIVE = [
  /^\s*(yes|yeah|yep|sure|ok|okay)\b/,
  /\binterested\b/,
  /\bsounds (good|great)\b/,
  /\btell me more\b/,
  /\blet'?s (talk|do it)\b/,
];

export function replyIntent(text: string | null | undefined): ReplyIntent {
  const t = (text ?? '').slice(0, 1000).toLowerCase().replace(/[’']/g, "'");
  if (NEGATIVE.some((r) => r.test(t))) return 'negative';
  if (CALL_ME.some((r) => r.test(t))) return 'call_me';
  if (POSITIVE.some((r) => r.test(t))) return 'positive';
  return 'other';
}
