import { ATTRIBUTE_KEY, type ColumnTarget, guessColumn, LEAD_FIELDS, type LeadField } from '@cadence/contracts';
import { AppError } from '../../../common/errors/app-error';
import { CONSENT_CHANNELS } from '../lead.entity';
import { RawLead } from '../lead-normalizer';

export type { ColumnTarget };

function parseTarget(spec: unknown, header: string): ColumnTarget {
  if (spec === null || spec === '' || spec === 'ignore') return { kind: 'ignore' };
  if (typeof spec !== 'string') throw new AppError('invalid_mapping', `mapping["${header}"] must be a string or null`);
  if ((LEAD_FIELDS as readonly string[]).includes(spec)) return { kind: 'field', field: spec as LeadField };
  if (spec === 'countryCode') return { kind: 'countryCode' };
  const consent = /^consent\.(\w+)$/.exec(spec);
  if (consent && (CONSENT_CHANNELS as readonly string[]).includes(consent[1])) return { kind: 'consent', channel: consent[1] as 'sms' };
  const attribute = /^attributes\.(.+)$/.exec(spec);
  if (attribute && ATTRIBUTE_KEY.test(attribute[1])) return { kind: 'attribute', key: attribute[1] };
  throw new AppError(
    'invalid_mapping',
    `mapping["${header}"]: "${spec}" is not a target (email, phone, countryCode, firstName, lastName, timezone, consent.<channel>, attributes.<key>, or null)`,
  );
}

export function parseMapping(raw: unknown): Record<string, unknown> | undefined {
  if (raw === undefined || raw === '') return undefined;
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new AppError('invalid_mapping', 'mapping must be a JSON object like {"Work Email": "email", "Plan": "attributes.plan"}');
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new AppError('invalid_mapping', 'mapping must be a JSON object');
  return value as Record<string, unknown>;
}

/** Resolves each header once; unknown headers become custom attributes. */
export function planColumns(header: string[], mapping: Record<string, unknown> | undefined): ColumnTarget[] {
  for (const name of Object.keys(mapping ?? {})) {
    if (!header.includes(name))
      throw new AppError('invalid_mapping', `mapping names a column "${name}" that the file does not have (columns: ${header.join(', ')})`);
  }
  const targets = header.map((h) => (mapping && h in mapping ? parseTarget(mapping[h], h) : guessColumn(h)));
  if (!targets.some((t) => t.kind === 'field' && (t.field === 'email' || t.field === 'phone'))) {
    throw new AppError(
      'invalid_csv',
      `No email or phone column found (columns: ${header.join(', ')}); name one "email" or "phone", or pass a mapping`,
    );
  }
  return targets;
}

const TRUE = new Set(['true', 'yes', 'y', '1', 'opted in', 'opt in', 'subscribed']);
const FALSE = new Set(['false', 'no', 'n', '0', 'opted out', 'opt out', 'unsubscribed']);

/**
 * A national number completed with its calling code: `44` + `07700 900123` → `+447700900123` (the trunk 0
 * dropped). A number already international (`+…`, `00…`) is left as it is: the file said so itself.
 */
export function withCallingCode(phone: string, countryCode: string): string | Error {
  if (/^\s*(\+|00)/.test(phone)) return phone;
  const code = countryCode.replace(/^\s*\+/, '').trim();
  if (!/^\d{1,4}$/.test(code)) return new Error(`"${countryCode.slice(0, 20)}" is not a country calling code (1 to 4 digits, e.g. 44)`);
  return `+${code}${phone.replace(/\D/g, '').replace(/^0+/, '')}`;
}

export type CsvRawLead = RawLead & { attributes: Record<string, string>; consent: Record<string, boolean> };

export type RowProblem = { code: 'invalid_consent' | 'invalid_phone'; message: string };

export function toRawLead(header: string[], targets: ColumnTarget[], values: Record<string, string>): CsvRawLead | RowProblem {
  const raw: CsvRawLead = { attributes: {}, consent: {} };
  let countryCode: string | undefined;
  for (let i = 0; i < header.length; i++) {
    const value = values[header[i]];
    const target = targets[i];
    if (value === undefined || value === '') continue;
    if (target.kind === 'countryCode') countryCode = value;
    else if (target.kind === 'field') raw[target.field] = value;
    else if (target.kind === 'attribute') raw.attributes[target.key] = value;
    else if (target.kind === 'consent') {
      const v = value.toLowerCase();
      if (TRUE.has(v)) raw.consent[target.channel] = true;
      else if (FALSE.has(v)) raw.consent[target.channel] = false;
      else return { code: 'invalid_consent', message: `Column "${header[i]}": "${value.slice(0, 40)}" is not a yes/no value` };
    }
  }
  if (countryCode !== undefined && typeof raw.phone === 'string') {
    const phone = withCallingCode(raw.phone, countryCode);
    if (phone instanceof Error) return { code: 'invalid_phone', message: phone.message };
    raw.phone = phone;
  }
  return raw;
}
