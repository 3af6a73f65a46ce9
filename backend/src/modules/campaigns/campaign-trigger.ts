import { AppError } from '../../common/errors/app-error';
import type { CampaignTrigger, PropertyCondition } from './campaign.entity';
import type { PropertyConditionDto, TriggerDto } from './trigger.dto';

function invalid(message: string, field: string): AppError {
  return new AppError('validation_failed', message, [{ field, message }]);
}

function normalizeConditions(conditions: PropertyConditionDto[] | PropertyCondition[] | undefined, field: string): PropertyCondition[] {
  return (conditions ?? []).map((c, i) => {
    const at = `${field}[${i}]`;
    const unary = c.operator === 'exists' || c.operator === 'not_exists';
    if (unary) return { property: c.property, operator: c.operator };
    if (c.value === undefined) throw invalid(`${at}.value is required for ${c.operator}`, `${at}.value`);
    if ((c.operator === 'greater_than' || c.operator === 'less_than') && typeof c.value !== 'number')
      throw invalid(`${at}.value must be a number for ${c.operator}`, `${at}.value`);
    return { property: c.property, operator: c.operator, value: c.value };
  });
}

/** The stored form of a trigger: defaults filled in, rules the DTO cannot say checked. */
export function normalizeTrigger(input: TriggerDto | CampaignTrigger): CampaignTrigger {
  const reentry = input.reentry ?? 'never';
  if (reentry === 'never' && input.reentryAfterSeconds !== undefined)
    throw invalid('trigger.reentryAfterSeconds needs reentry "after_exit"', 'trigger.reentryAfterSeconds');
  const exitOn = (input.exitOn ?? []).map((e, i) => {
    // One event both enrolling and ending the same enrollment would make the campaign a no-op.
    if (e.event === input.event) throw invalid('trigger.exitOn cannot name the trigger event itself', `trigger.exitOn[${i}].event`);
    return { event: e.event, conditions: normalizeConditions(e.conditions, `trigger.exitOn[${i}].conditions`) };
  });
  return {
    event: input.event,
    conditions: normalizeConditions(input.conditions, 'trigger.conditions'),
    reentry,
    ...(input.reentryAfterSeconds !== undefined && { reentryAfterSeconds: input.reentryAfterSeconds }),
    exitOn,
  };
}

/** The value at a dotted path (`cart.total`), or undefined. */
function valueAt(properties: Record<string, unknown>, path: string): unknown {
  let value: unknown = properties;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** Numbers compare as numbers, anything else as text: a CRM may send `"120"` for 120. */
function sameValue(actual: unknown, expected: string | number | boolean): boolean {
  if (typeof expected === 'number') return Number(actual) === expected && actual !== '' && actual !== null;
  if (typeof expected === 'boolean') return actual === expected || String(actual) === String(expected);
  return typeof actual !== 'object' && actual !== undefined && String(actual) === expected;
}

function holds(condition: PropertyCondition, properties: Record<string, unknown>): boolean {
  const actual = valueAt(properties, condition.property);
  const expected = condition.value;
  switch (condition.operator) {
    case 'exists':
      return actual !== undefined && actual !== null;
    case 'not_exists':
      return actual === undefined || actual === null;
    case 'equals':
      return sameValue(actual, expected!);
    case 'not_equals':
      return !sameValue(actual, expected!);
    case 'contains':
      if (Array.isArray(actual)) return actual.some((item) => sameValue(item, expected!));
      return typeof actual === 'string' && actual.toLowerCase().includes(String(expected).toLowerCase());
    case 'greater_than':
    case 'less_than': {
      const n = typeof actual === 'number' ? actual : typeof actual === 'string' && actual.trim() !== '' ? Number(actual) : NaN;
      if (!Number.isFinite(n)) return false;
      return condition.operator === 'greater_than' ? n > Number(expected) : n < Number(expected);
    }
  }
}

/** Every condition holds for these properties (no condition: always). */
export function conditionsHold(conditions: PropertyCondition[], properties: Record<string, unknown>): boolean {
  return conditions.every((c) => holds(c, properties));
}
