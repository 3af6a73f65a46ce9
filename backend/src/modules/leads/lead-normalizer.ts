import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js';
import { Consent, CONSENT_CHANNELS } from './lead.entity';

/** Lead fields as they arrive from JSON or from a CSV row (all strings there). */
export interface RawLead {
  email?: unknown;
  phone?: unknown;
  firstName?: unknown;
  lastName?: unknown;
  timezone?: unknown;
  attributes?: unknown;
  consent?: unknown;
}

export interface NormalizedLead {
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  timezone: string | null;
  attributes: Record<string, unknown>;
  consent: Consent;
}

export type LeadErrorCode =
  'missing_address' | 'invalid_email' | 'invalid_phone' | 'invalid_timezone' | 'invalid_field' | 'invalid_consent';
export type NormalizeResult = { ok: true; lead: NormalizedLead } | { ok: false; code: LeadErrorCode; message: string };

// Deliberately permissive local part (RFC 5322 allows much), strict on shape: one @, a dotted domain, no spaces.
const EMAIL = /^[^\s@"<>()[\],;:]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const MAX_TEXT = 500;
const zoneCache = new Map<string, boolean>();

export function normalizeEmail(value: unknown): string | null | Error {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') return new Error('email must be a string');
  const email = value.trim().toLowerCase();
  if (email === '') return null;
  if (email.length > 254 || !EMAIL.test(email)) return new Error(`"${value.slice(0, 100)}" is not a valid email address`);
  return email;
}

export function normalizePhone(value: unknown, defaultCountry?: string): string | null | Error {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string' && typeof value !== 'number') return new Error('phone must be a string');
  const text = String(value).trim();
  if (text === '') return null;
  const country = defaultCountry && isSupportedCountry(defaultCountry) ? defaultCountry : undefined;
  const parsed = parsePhoneNumberFromString(text, country);
  if (!parsed || !parsed.isValid()) {
    return new Error(
      `"${text.slice(0, 40)}" is not a valid phone number${country ? '' : ' (use E.164, e.g. +14155550123, or give a default country)'}`,
    );
  }
  return parsed.number;
}

function isTimeZone(zone: string): boolean {
  let known = zoneCache.get(zone);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      known = true;
    } catch {
      known = false;
    }
    if (zoneCache.size < 1000) zoneCache.set(zone, known);
  }
  return known;
}

function optionalText(value: unknown, field: string): string | null | Error {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') return new Error(`${field} must be a string`);
  const text = value.trim();
  if (text.length > MAX_TEXT) return new Error(`${field} is longer than ${MAX_TEXT} characters`);
  return text === '' ? null : text;
}

function parseConsent(value: unknown): Consent | Error {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) return new Error('consent must be an object like {"sms": true}');
  const consent: Consent = {};
  for (const [channel, flag] of Object.entries(value)) {
    if (!(CONSENT_CHANNELS as readonly string[]).includes(channel))
      return new Error(`consent.${channel}: unknown channel (${CONSENT_CHANNELS.join(', ')})`);
    if (typeof flag !== 'boolean') return new Error(`consent.${channel} must be true or false`);
    consent[channel as keyof Consent] = flag;
  }
  return consent;
}

/** The single validation path for leads, shared by the JSON API and the CSV import. */
export function normalizeLead(raw: RawLead, defaultCountry?: string): NormalizeResult {
  const email = normalizeEmail(raw.email);
  if (email instanceof Error) return { ok: false, code: 'invalid_email', message: email.message };
  const phone = normalizePhone(raw.phone, defaultCountry);
  if (phone instanceof Error) return { ok: false, code: 'invalid_phone', message: phone.message };
  if (!email && !phone) return { ok: false, code: 'missing_address', message: 'A lead needs an email or a phone number' };
  const firstName = optionalText(raw.firstName, 'firstName');
  if (firstName instanceof Error) return { ok: false, code: 'invalid_field', message: firstName.message };
  const lastName = optionalText(raw.lastName, 'lastName');
  if (lastName instanceof Error) return { ok: false, code: 'invalid_field', message: lastName.message };
  const timezone = optionalText(raw.timezone, 'timezone');
  if (timezone instanceof Error) return { ok: false, code: 'invalid_field', message: timezone.message };
  if (timezone && !isTimeZone(timezone))
    return { ok: false, code: 'invalid_timezone', message: `"${timezone}" is not an IANA time zone (e.g. Europe/Paris)` };
  const attributes = raw.attributes ?? {};
  if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) {
    return { ok: false, code: 'invalid_field', message: 'attributes must be an object' };
  }
  const consent = parseConsent(raw.consent);
  if (consent instanceof Error) return { ok: false, code: 'invalid_consent', message: consent.message };
  return { ok: true, lead: { email, phone, firstName, lastName, timezone, attributes: attributes as Record<string, unknown>, consent } };
}
