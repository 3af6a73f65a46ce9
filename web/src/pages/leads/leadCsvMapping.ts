import { CHANNEL_LABELS, CONSENT_CHANNELS } from './types';

/**
 * The column-mapping step's model. What each column is sent as is the backend's mapping format
 * (backend/src/modules/leads/csv/lead-csv-mapping.ts): `email`, `phone`, `firstName`, `lastName`,
 * `timezone`, `consent.<channel>`, `attributes.<key>`, or null to ignore. The guesses below mirror the
 * backend's own header aliases, so what the page proposes is what the server would do unmapped.
 */
export type LeadField = 'email' | 'phone' | 'firstName' | 'lastName' | 'timezone';
export type ColumnChoice =
  { kind: 'field'; field: LeadField } | { kind: 'consent'; channel: string } | { kind: 'attribute'; key: string } | { kind: 'ignore' };

export const FIELD_LABELS: Record<LeadField, string> = {
  email: 'Email',
  phone: 'Phone',
  firstName: 'First name',
  lastName: 'Last name',
  timezone: 'Time zone',
};

/** The options of a column's select: `field:email`, `consent:sms`, `attribute`, `ignore`. */
export const TARGET_OPTIONS: Array<{ value: string; label: string }> = [
  ...Object.entries(FIELD_LABELS).map(([field, label]) => ({ value: `field:${field}`, label })),
  ...CONSENT_CHANNELS.map((c) => ({ value: `consent:${c}`, label: `${CHANNEL_LABELS[c]} consent (yes/no)` })),
  { value: 'attribute', label: 'Custom attribute' },
  { value: 'ignore', label: 'Ignore this column' },
];

const KNOWN: Record<string, ColumnChoice> = {};
const alias = (choice: ColumnChoice, ...names: string[]) => names.forEach((n) => (KNOWN[n] = choice));
alias({ kind: 'field', field: 'email' }, 'email', 'e mail', 'email address', 'mail', 'work email');
alias(
  { kind: 'field', field: 'phone' },
  ...['phone', 'phone number', 'mobile', 'mobile phone', 'mobile number', 'cell', 'cell phone', 'telephone', 'tel', 'msisdn'],
);
alias({ kind: 'field', field: 'firstName' }, 'first name', 'firstname', 'given name', 'forename');
alias({ kind: 'field', field: 'lastName' }, 'last name', 'lastname', 'surname', 'family name');
alias({ kind: 'field', field: 'timezone' }, 'timezone', 'time zone', 'tz');
for (const channel of CONSENT_CHANNELS)
  alias({ kind: 'consent', channel }, `consent ${channel}`, `${channel} consent`, `${channel} opt in`);

function normalizeHeader(header: string): string {
  return header
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/[\s_\-.]+/g, ' ')
    .trim();
}

/** `Company Name` → `company_name`, the key a template names as `lead.company_name`. */
export function attributeKey(header: string): string {
  return (
    normalizeHeader(header)
      .replace(/[^a-z0-9 ]/g, '')
      .trim()
      .replace(/ /g, '_')
      .slice(0, 100) || 'column'
  );
}

export const ATTRIBUTE_KEY = /^[A-Za-z0-9_]{1,100}$/;

/** A sensible first guess per column: known names to lead fields and consent, the rest to attributes. */
export function guessColumn(header: string): ColumnChoice {
  return KNOWN[normalizeHeader(header)] ?? { kind: 'attribute', key: attributeKey(header) };
}

export function choiceValue(c: ColumnChoice): string {
  if (c.kind === 'field') return `field:${c.field}`;
  if (c.kind === 'consent') return `consent:${c.channel}`;
  return c.kind;
}

export function choiceFromValue(value: string, header: string, previous: ColumnChoice): ColumnChoice {
  if (value.startsWith('field:')) return { kind: 'field', field: value.slice(6) as LeadField };
  if (value.startsWith('consent:')) return { kind: 'consent', channel: value.slice(8) };
  if (value === 'attribute') return { kind: 'attribute', key: previous.kind === 'attribute' ? previous.key : attributeKey(header) };
  return { kind: 'ignore' };
}

/** The `mapping` form field of POST /leads/import: every column named, so nothing is left to the server's guess. */
export function toMapping(headers: string[], choices: ColumnChoice[]): Record<string, string | null> {
  return Object.fromEntries(
    headers.map((h, i) => {
      const c = choices[i]!;
      if (c.kind === 'field') return [h, c.field];
      if (c.kind === 'consent') return [h, `consent.${c.channel}`];
      if (c.kind === 'attribute') return [h, `attributes.${c.key}`];
      return [h, null];
    }),
  );
}

/** The column heading a target shows under in the mapped preview. */
export function targetLabel(c: ColumnChoice): string {
  if (c.kind === 'field') return FIELD_LABELS[c.field];
  if (c.kind === 'consent') return `${CHANNEL_LABELS[c.channel as keyof typeof CHANNEL_LABELS] ?? c.channel} consent`;
  if (c.kind === 'attribute') return `attributes.${c.key}`;
  return '';
}

/** What keeps the mapping from being sent: no address column, a target used twice, a bad attribute key. */
export function mappingProblems(headers: string[], choices: ColumnChoice[]): string[] {
  const problems: string[] = [];
  if (!choices.some((c) => c.kind === 'field' && (c.field === 'email' || c.field === 'phone')))
    problems.push('Map a column to Email or Phone: each lead needs an address.');
  const seen = new Map<string, string>();
  choices.forEach((c, i) => {
    if (c.kind === 'ignore') return;
    if (c.kind === 'attribute' && !ATTRIBUTE_KEY.test(c.key))
      problems.push(`Column “${headers[i]}”: the attribute name may use only letters, digits and _ (up to 100).`);
    const label = targetLabel(c);
    const earlier = seen.get(label);
    if (earlier !== undefined) problems.push(`Columns “${earlier}” and “${headers[i]}” both go to ${label}: choose one.`);
    else seen.set(label, headers[i]!);
  });
  return problems;
}
