import { Brackets, SelectQueryBuilder, ObjectLiteral } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { CONSENT_CHANNELS, ConsentChannel } from './lead.entity';

/** One filter language for listing leads and, later, for campaign audiences. */
export interface LeadFilter {
  email?: string;
  phone?: string;
  /** Case-insensitive substring of email, first or last name. */
  search?: string;
  timezone?: string;
  hasEmail?: boolean;
  hasPhone?: boolean;
  attributes?: Record<string, string | number | boolean>;
  consent?: Partial<Record<ConsentChannel, boolean>>;
  createdAfter?: string;
  createdBefore?: string;
}

const BOOLEAN: Record<string, boolean> = { true: true, false: false, '1': true, '0': false };

/** Reads `?search=...&attributes.plan=pro&consent.sms=true` query strings. */
export function leadFilterFromQuery(query: Record<string, unknown>): LeadFilter {
  const filter: LeadFilter = {};
  const text = (key: string) => {
    const v = query[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw new AppError('validation_failed', `${key} must be given once`);
    return v;
  };
  const bool = (key: string) => {
    const v = text(key);
    if (v === undefined) return undefined;
    if (!(v in BOOLEAN)) throw new AppError('validation_failed', `${key} must be true or false`);
    return BOOLEAN[v];
  };
  filter.email = text('email')?.trim().toLowerCase();
  filter.phone = text('phone')?.trim();
  filter.search = text('search');
  filter.timezone = text('timezone');
  filter.hasEmail = bool('hasEmail');
  filter.hasPhone = bool('hasPhone');
  filter.createdAfter = text('createdAfter');
  filter.createdBefore = text('createdBefore');
  for (const key of Object.keys(query)) {
    const attribute = /^attributes\.([A-Za-z0-9_]{1,100})$/.exec(key);
    if (attribute) (filter.attributes ??= {})[attribute[1]] = text(key)!;
    const consent = /^consent\.(\w+)$/.exec(key);
    if (consent) {
      if (!(CONSENT_CHANNELS as readonly string[]).includes(consent[1])) throw new AppError('validation_failed', `${key}: unknown channel`);
      (filter.consent ??= {})[consent[1] as ConsentChannel] = bool(key)!;
    }
  }
  for (const key of ['createdAfter', 'createdBefore'] as const) {
    if (filter[key] !== undefined && Number.isNaN(Date.parse(filter[key])))
      throw new AppError('validation_failed', `${key} must be an ISO 8601 date`);
  }
  return filter;
}

export function applyLeadFilter<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  filter: LeadFilter,
): SelectQueryBuilder<T> {
  if (filter.email !== undefined) qb.andWhere(`${alias}.email = :fEmail`, { fEmail: filter.email });
  if (filter.phone !== undefined) qb.andWhere(`${alias}.phone = :fPhone`, { fPhone: filter.phone });
  if (filter.timezone !== undefined) qb.andWhere(`${alias}.timezone = :fTz`, { fTz: filter.timezone });
  if (filter.hasEmail !== undefined) qb.andWhere(`${alias}.email IS ${filter.hasEmail ? 'NOT ' : ''}NULL`);
  if (filter.hasPhone !== undefined) qb.andWhere(`${alias}.phone IS ${filter.hasPhone ? 'NOT ' : ''}NULL`);
  if (filter.createdAfter) qb.andWhere(`${alias}.created_at >= :fAfter`, { fAfter: filter.createdAfter });
  if (filter.createdBefore) qb.andWhere(`${alias}.created_at < :fBefore`, { fBefore: filter.createdBefore });
  if (filter.search) {
    const pattern = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    qb.andWhere(
      new Brackets((w) =>
        w.where(`${alias}.email ILIKE :fSearch`).orWhere(`${alias}.first_name ILIKE :fSearch`).orWhere(`${alias}.last_name ILIKE :fSearch`),
      ),
      { fSearch: pattern },
    );
  }
  // Compared as text so "42" in a CSV and 42 sent as JSON match the same filter.
  Object.entries(filter.attributes ?? {}).forEach(([key, value], i) => {
    qb.andWhere(`${alias}.attributes ->> :fAttrKey${i} = :fAttrValue${i}`, { [`fAttrKey${i}`]: key, [`fAttrValue${i}`]: String(value) });
  });
  Object.entries(filter.consent ?? {}).forEach(([channel, value], i) => {
    if (value) qb.andWhere(`(${alias}.consent ->> :fConsent${i}) = 'true'`, { [`fConsent${i}`]: channel });
    else qb.andWhere(`(${alias}.consent ->> :fConsent${i}) IS DISTINCT FROM 'true'`, { [`fConsent${i}`]: channel });
  });
  return qb;
}
