import type { CampaignTrigger, ConditionOperator, FrequencyCap, TriggerCondition } from './types';

/**
 * A trigger in words, for the campaign page and the wizard's review: one line per aspect (the event and
 * its conditions, re-entry, what makes a lead leave, the frequency cap). Pure, so a test can check the text.
 */
export interface DescriptionLine {
  key: 'event' | 'conditions' | 'reentry' | 'exit' | 'frequencyCap';
  label: string;
  text: string;
}

const VERBS: Record<ConditionOperator, string> = {
  equals: 'is',
  not_equals: 'is not',
  contains: 'contains',
  greater_than: 'is greater than',
  less_than: 'is less than',
  exists: 'is set',
  not_exists: 'is not set',
};

const valueText = (v: TriggerCondition['value']) => (typeof v === 'string' ? `"${v}"` : String(v));

/** `plan is "pro"`, `cart.total is greater than 100`, `coupon is set`. */
export function conditionText(c: TriggerCondition): string {
  const verb = VERBS[c.operator] ?? c.operator;
  return c.operator === 'exists' || c.operator === 'not_exists' ? `${c.property} ${verb}` : `${c.property} ${verb} ${valueText(c.value)}`;
}

export const conditionsText = (conditions: TriggerCondition[]) => conditions.map(conditionText).join(' and ');

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** 90061 → "1 day 1 hour 1 minute"; below a minute in seconds. */
export function durationText(seconds: number): string {
  if (seconds < 60) return plural(Math.round(seconds), 'second');
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.round((seconds % 3600) / 60);
  return [days && plural(days, 'day'), hours && plural(hours, 'hour'), minutes && plural(minutes, 'minute')].filter(Boolean).join(' ');
}

/** Hours as "24 hours" or "7 days" when they make whole days beyond one day. */
const periodText = (hours: number) => (hours > 24 && hours % 24 === 0 ? plural(hours / 24, 'day') : plural(hours, 'hour'));

export function describeTrigger(trigger: CampaignTrigger, frequencyCap?: FrequencyCap | null): DescriptionLine[] {
  const conditions = trigger.conditions ?? [];
  const exits = trigger.exitOn ?? [];
  const lines: DescriptionLine[] = [
    { key: 'event', label: 'Enrolls on', text: `Each “${trigger.event}” event enrolls its lead.` },
    {
      key: 'conditions',
      label: 'Only if',
      text: conditions.length ? `${conditionsText(conditions)}.` : 'Always: no condition on the event’s properties.',
    },
    {
      key: 'reentry',
      label: 'Re-entry',
      text:
        trigger.reentry === 'after_exit'
          ? `A lead enrolls again once its previous enrollment has ended (completed or exited)${
              trigger.reentryAfterSeconds ? `, at least ${durationText(trigger.reentryAfterSeconds)} after its previous entry` : ''
            }.`
          : 'Never: a lead enrolls once, ever.',
    },
    {
      key: 'exit',
      label: 'Leaves on',
      text: exits.length
        ? `${exits
            .map(
              (e) =>
                `${/^[aeiou]/i.test(e.event) ? 'an' : 'a'} “${e.event}” event${e.conditions?.length ? ` where ${conditionsText(e.conditions)}` : ''}`,
            )
            .join(', or ')
            .replace(/^a/, 'A')}: the lead’s remaining steps are skipped.`
        : 'No exit event: an enrolled lead goes through every step.',
    },
    {
      key: 'frequencyCap',
      label: 'Frequency cap',
      text: frequencyCap
        ? `At most ${plural(frequencyCap.limit, 'message')} per lead and channel in ${periodText(frequencyCap.periodHours)}, counting every campaign; a message over the cap is skipped.`
        : 'None.',
    },
  ];
  return lines;
}
