import { ATTRIBUTE_KEY, type ColumnTarget, guessColumn, LEAD_FIELDS, type LeadField } from '@cadence/contracts';
import { AppError } from '../../../common/errors/app-error';
import { CONSENT_CHANNELS } from '../lead.entity';
import { RawLead } from '../lead-normalizer';

export type { ColumnTarget };

function parseTarget(spec: unknown, header: string): ColumnTarget {
  if (spec === null || spec === '' || spec === 'ignore') return { kind: 'ignore' };
  if (typeof spec !== 'string') throw new AppError('invalid_mapping', `mapping["${header}"] must be a string or null`);
  if ((LEAD_FIELDS as readonly string[]).includes(spec)) return { kind: 'field', field: spec as LeadField };
  const consent = /^consent\.(\w+)$/.exec(spec);
  if (consent && (CONSENT_CHANNELS as readonly string[]).includes(consent[1])) return { kind: 'consent', channel: consent[1] as 'sms' };
  const attribute = /^attributes\.(.+)$/.exec(spec);
  if (attribute && ATTRIBUTE_KEY.test(attribute[1])) return { kind: 'attribute', key: attribute[1] };
  throw new AppError(
    'invalid_mapping',
    `mapping["${header}"]: "${spec}" is not a target (email, phone, firstName, lastName, timezone, consent.<channel>, attributes.<key>, or null)`,
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

export function toRawLead(header: string[], targets: ColumnTarget[], values: Record<string, string>): RawLead | string {
  const raw: RawLead & { attributes: Record<string, string>; consent: Record<string, boolean> } = { attributes: {}, consent: {} };
  for (let i = 0; i < header.length; i++) {
    const value = values[header[i]];
    const target = targets[i];
    if (value === undefined || value === '') continue;
    if (target.kind === 'field') raw[target.field] = value;
    else if (target.kind === 'attribute') raw.attributes[target.key] = value;
    else if (target.kind === 'consent') {
      const v = value.toLowerCase();
      if (TRUE.has(v)) raw.consent[target.channel] = true;
      else if (FALSE.has(v)) raw.consent[target.channel] = false;
      else return `Column "${header[i]}": "${value.slice(0, 40)}" is not a yes/no value`;
    }
  }
  return raw;
}
