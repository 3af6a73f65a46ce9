import {
  ATTRIBUTE_KEY,
  attributeKey,
  type ColumnTarget,
  type ConsentChannel,
  guessColumn as guessServerColumn,
  type LeadField,
} from '@cadence/contracts/src/lead-columns';
import { CHANNEL_LABELS, CONSENT_CHANNELS } from './types';

/**
 * The column-mapping step's model. What each column is sent as is the backend's mapping format
 * (backend/src/modules/leads/csv/lead-csv-mapping.ts): `email`, `phone`, `countryCode`, `firstName`, `lastName`,
 * `timezone`, `consent.<channel>`, `attributes.<key>`, or null to ignore. The guesses are the server's own
 * (@cadence/contracts lead-columns), so what the page proposes is what the server would do unmapped.
 */
export type { LeadField };
export type ColumnChoice = ColumnTarget;

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
  { value: 'countryCode', label: 'Country calling code (completes Phone)' },
  ...CONSENT_CHANNELS.map((c) => ({ value: `consent:${c}`, label: `${CHANNEL_LABELS[c]} consent (yes/no)` })),
  { value: 'attribute', label: 'Custom attribute' },
  { value: 'ignore', label: 'Ignore this column' },
];

export { ATTRIBUTE_KEY };

/** A sensible first guess per column: the server's own rule for an unmapped column. */
export const guessColumn: (header: string) => ColumnChoice = guessServerColumn;

export function choiceValue(c: ColumnChoice): string {
  if (c.kind === 'field') return `field:${c.field}`;
  if (c.kind === 'consent') return `consent:${c.channel}`;
  return c.kind;
}

export function choiceFromValue(value: string, header: string, previous: ColumnChoice): ColumnChoice {
  if (value.startsWith('field:')) return { kind: 'field', field: value.slice(6) as LeadField };
  if (value.startsWith('consent:')) return { kind: 'consent', channel: value.slice(8) as ConsentChannel };
  if (value === 'countryCode') return { kind: 'countryCode' };
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
      if (c.kind === 'countryCode') return [h, 'countryCode'];
      return [h, null];
    }),
  );
}

/** The column heading a target shows under in the mapped preview. */
export function targetLabel(c: ColumnChoice): string {
  if (c.kind === 'field') return FIELD_LABELS[c.field];
  if (c.kind === 'consent') return `${CHANNEL_LABELS[c.channel]} consent`;
  if (c.kind === 'attribute') return `attributes.${c.key}`;
  if (c.kind === 'countryCode') return 'Country code';
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
