import { CHANNELS } from './channel-names';

/**
 * How a CSV column becomes part of a lead, shared by the server's import and the web app's mapping step, so
 * what the page proposes is what the server does with an unmapped file. Free of zod: the web bundle imports
 * this file alone.
 */
export const LEAD_FIELDS = ['email', 'phone', 'firstName', 'lastName', 'timezone'] as const;
export type LeadField = (typeof LEAD_FIELDS)[number];
export type ConsentChannel = (typeof CHANNELS)[number];

/**
 * Where a CSV column goes: a lead field, a consent flag, a custom attribute, or nowhere. `countryCode` is the
 * calling code (`1`, `+44`) a national `phone` column is completed with, the shape of WhatsApp sample files
 * (`country_code`, `phone_number`).
 */
export type ColumnTarget =
  | { kind: 'field'; field: LeadField }
  | { kind: 'countryCode' }
  | { kind: 'consent'; channel: ConsentChannel }
  | { kind: 'attribute'; key: string }
  | { kind: 'ignore' };

/** Custom attribute keys: what a Liquid template can name as `lead.<key>`. */
export const ATTRIBUTE_KEY = /^[A-Za-z0-9_]{1,100}$/;

const KNOWN_HEADERS: Record<string, ColumnTarget> = {};
const alias = (target: ColumnTarget, ...names: string[]) => names.forEach((n) => (KNOWN_HEADERS[n] = target));
alias({ kind: 'field', field: 'email' }, 'email', 'e mail', 'email address', 'mail', 'work email');
alias(
  { kind: 'field', field: 'phone' },
  ...['phone', 'phone number', 'mobile', 'mobile phone', 'mobile number', 'cell', 'cell phone', 'telephone', 'tel', 'msisdn'],
);
alias({ kind: 'field', field: 'firstName' }, 'first name', 'firstname', 'given name', 'forename');
alias({ kind: 'field', field: 'lastName' }, 'last name', 'lastname', 'surname', 'family name');
alias({ kind: 'field', field: 'timezone' }, 'timezone', 'time zone', 'tz');
alias({ kind: 'countryCode' }, 'country code', 'calling code', 'country calling code', 'dial code', 'phone country code');
for (const channel of CHANNELS) alias({ kind: 'consent', channel }, `consent ${channel}`, `${channel} consent`, `${channel} opt in`);

/** `Work_Email`, `workEmail`, `work-email` → `work email`: the form header aliases are written in. */
function normalizeHeader(header: string): string {
  return header
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/[\s_\-.]+/g, ' ')
    .trim();
}

/** `Company Name` → `company_name`: the attribute key a template names as `lead.company_name` (at most 100 characters). */
export function attributeKey(header: string): string {
  return (
    normalizeHeader(header)
      .replace(/[^a-z0-9 ]/g, '')
      .trim()
      .replace(/ /g, '_')
      .slice(0, 100) || 'column'
  );
}

/** An unmapped column: known names to lead fields and consent, anything else to a custom attribute. */
export function guessColumn(header: string): ColumnTarget {
  return KNOWN_HEADERS[normalizeHeader(header)] ?? { kind: 'attribute', key: attributeKey(header) };
}
