import type { LeadInput } from './types';

export type ContextObject = Record<string, unknown>;

export interface RenderContextInput {
  lead?: LeadInput | null;
  /** Sender identity, e.g. `{ name, email, phone, company }`; exposed as `sender.*`. */
  sender?: ContextObject | null;
  /** Campaign facts, e.g. `{ id, name }`; exposed as `campaign.*`. */
  campaign?: ContextObject | null;
  /** Message facts, e.g. `{ id }`; `message.id` also feeds the voice agent's parameters. */
  message?: ContextObject | null;
  /** Per-message links known before rendering; `unsubscribeUrl` becomes `{{ unsubscribe_url }}`. */
  tracking?: { unsubscribeUrl?: string | null } | null;
}

/** The Liquid scope: what templates can reference. */
export interface RenderContext {
  lead: ContextObject;
  sender: ContextObject;
  campaign: ContextObject;
  message: ContextObject;
  unsubscribe_url?: string;
  unsubscribeUrl?: string;
}

/** Root names templates may use; validateTemplate reports any other root as unknown. */
export const CONTEXT_ROOTS: readonly string[] = ['lead', 'sender', 'campaign', 'message', 'unsubscribe_url', 'unsubscribeUrl'];

/** Lead keys owned by the product; a custom attribute with one of these names never shadows it. */
export const STANDARD_LEAD_KEYS = new Set([
  'id',
  'email',
  'phone',
  'firstName',
  'first_name',
  'lastName',
  'last_name',
  'fullName',
  'full_name',
  'timezone',
  'attributes',
]);

/** Realistic data for previews when no lead is chosen. */
export const sampleLead: Readonly<LeadInput> = Object.freeze({
  id: '00000000-0000-4000-8000-000000000000',
  email: 'ada.lovelace@example.com',
  phone: '+14155550123',
  firstName: 'Ada',
  lastName: 'Lovelace',
  timezone: 'Europe/London',
  attributes: Object.freeze({ company: 'Analytical Engines Ltd', city: 'London', plan: 'pro' }),
});

/** A campaign for previews: the fields the lease carries as `campaign.*`. */
export const sampleCampaign: Readonly<ContextObject> = Object.freeze({
  id: '00000000-0000-4000-8000-00000000c0de',
  name: 'Sample campaign',
  type: 'blast',
});

// Keys repeat for every message of a campaign; the regex per key per message was a measurable
// share of rendering 100,000 emails.
const snakeCaseCache = new Map<string, string>();

function snakeCase(key: string): string {
  let alias = snakeCaseCache.get(key);
  if (alias === undefined) {
    alias = key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
    if (snakeCaseCache.size < 10_000) snakeCaseCache.set(key, alias);
  }
  return alias;
}

// `__proto__` as a plain assignment target would replace the object's prototype.
function isSafeKey(key: string): boolean {
  return key !== '__proto__';
}

/** Shallow copy with a snake_case alias next to each camelCase key (an explicit key wins). */
function withSnakeCaseAliases(source: ContextObject | null | undefined): ContextObject {
  const out: ContextObject = {};
  if (!source) return out;
  for (const [key, value] of Object.entries(source)) if (isSafeKey(key)) out[key] = value;
  for (const [key, value] of Object.entries(source)) {
    const alias = snakeCase(key);
    if (alias !== key && isSafeKey(alias) && !Object.hasOwn(out, alias)) out[alias] = value;
  }
  return out;
}

/** Trimmed; whitespace-only counts as absent so it is caught as a missing variable. */
function presentString(value: string | null | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function buildLead(lead: LeadInput | null | undefined): ContextObject {
  const attributes: ContextObject = {};
  const rawAttributes = lead?.attributes;
  const attributeEntries =
    rawAttributes && typeof rawAttributes === 'object' && !Array.isArray(rawAttributes) ? Object.entries(rawAttributes) : [];
  for (const [key, value] of attributeEntries) {
    // A whitespace-only cell from a CSV import would print as a blank; "" lets the
    // missing-variable check and `default` see it as empty.
    if (isSafeKey(key)) attributes[key] = typeof value === 'string' && value.trim() === '' ? '' : value;
  }

  const view: ContextObject = {};
  for (const [key, value] of Object.entries(attributes)) if (!STANDARD_LEAD_KEYS.has(key)) view[key] = value;

  const firstName = presentString(lead?.firstName);
  const lastName = presentString(lead?.lastName);
  const fullName = [firstName, lastName].filter((part) => part !== undefined).join(' ');
  const standard: ContextObject = {
    id: presentString(lead?.id),
    email: presentString(lead?.email),
    phone: presentString(lead?.phone),
    firstName,
    lastName,
    fullName: fullName === '' ? undefined : fullName,
    timezone: presentString(lead?.timezone),
  };
  Object.assign(view, withSnakeCaseAliases(standard));
  view.attributes = attributes;
  return view;
}

/**
 * Builds the Liquid scope for one message. Lead fields are exposed in camelCase and snake_case
 * (`lead.firstName`, `lead.first_name`), custom attributes both as `lead.attributes.x` and
 * `lead.x`; sender/campaign/message keys get snake_case aliases too.
 */
export function buildRenderContext(input: RenderContextInput): RenderContext {
  const context: RenderContext = {
    lead: buildLead(input.lead),
    sender: withSnakeCaseAliases(input.sender),
    campaign: withSnakeCaseAliases(input.campaign),
    message: withSnakeCaseAliases(input.message),
  };
  const unsubscribeUrl = input.tracking?.unsubscribeUrl;
  if (unsubscribeUrl) {
    context.unsubscribe_url = unsubscribeUrl;
    context.unsubscribeUrl = unsubscribeUrl;
  }
  return context;
}
