import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { DateTime } from 'luxon';

/**
 * When a campaign may reach a lead, in the lead's own time: the days (ISO weekdays, 1 = Monday) and the
 * hours (`HH:MM`, end exclusive, `24:00` for midnight). `timezone` is for leads whose zone is unknown.
 */
export interface SendWindow {
  days: number[];
  start: string;
  end: string;
  timezone?: string;
}

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

const zoneValidity = new Map<string, boolean>();
/** An IANA zone this runtime knows (Intl's database): a lead's stored zone is never trusted blindly. */
export function isTimeZone(zone: string): boolean {
  let valid = zoneValidity.get(zone);
  if (valid === undefined) {
    valid = DateTime.now().setZone(zone).isValid;
    if (zoneValidity.size < 5000) zoneValidity.set(zone, valid);
  }
  return valid;
}

/**
 * The zones a lead may be in: their own, else every zone of their phone number's country (a US number
 * could be anywhere from New York to Honolulu, and the window must hold in all of them), else the window's
 * fallback, else UTC.
 */
export function recipientZones(lead: { timezone: string | null; phone: string | null }, fallback?: string): string[] {
  if (lead.timezone && isTimeZone(lead.timezone)) return [lead.timezone];
  const country = lead.phone ? parsePhoneNumberFromString(lead.phone)?.country : undefined;
  const zones = country ? countryZones(country).filter(isTimeZone) : [];
  // The window's own zone first when the country has it: nextSendTime's fallback is the first zone.
  if (zones.length) return fallback && zones.includes(fallback) ? [fallback, ...zones.filter((z) => z !== fallback)] : zones;
  return [fallback && isTimeZone(fallback) ? fallback : 'UTC'];
}

/** The zones of a country (ISO 3166 alpha-2), from the runtime's CLDR data (Intl Locale Info). */
function countryZones(country: string): string[] {
  const locale = new Intl.Locale(`und-${country}`) as Intl.Locale & { getTimeZones?: () => string[] | undefined };
  return locale.getTimeZones?.() ?? [];
}

function openIn(window: SendWindow, zone: string, at: DateTime): boolean {
  const local = at.setZone(zone);
  const minute = local.hour * 60 + local.minute;
  return window.days.includes(local.weekday) && minute >= minutesOf(window.start) && minute < minutesOf(window.end);
}

/** The first instant at or after `at` when the window is open in `zone` (within eight days). */
function nextOpenIn(window: SendWindow, zone: string, at: DateTime): DateTime | undefined {
  if (openIn(window, zone, at)) return at;
  const today = at.setZone(zone).startOf('day');
  for (let d = 0; d <= 8; d++) {
    const day = today.plus({ days: d });
    if (!window.days.includes(day.weekday)) continue;
    // Local wall time to an instant: luxon moves a time inside a DST gap forward, as the clocks do.
    const opens = day.plus({ minutes: minutesOf(window.start) });
    if (opens > at && openIn(window, zone, opens)) return opens;
  }
  return undefined;
}

/**
 * When a message to a lead in `zones` may go: `now` when the window is open in every zone, else the first
 * instant it is (messages outside their window wait, they are not skipped). Zones whose windows never
 * overlap (a two-hour window across six hours of zones) fall back to the first zone alone, so a message
 * waits at most a week.
 */
export function nextSendTime(window: SendWindow, zones: string[], now: Date): Date {
  let at = DateTime.fromJSDate(now);
  for (let i = 0; i < 32; i++) {
    const opens = zones.map((z) => nextOpenIn(window, z, at));
    if (opens.some((o) => o === undefined)) break;
    const latest = DateTime.max(...(opens as DateTime[]))!;
    if (zones.every((z) => openIn(window, z, latest))) return latest.toJSDate();
    at = latest;
  }
  if (zones.length > 1) return nextSendTime(window, zones.slice(0, 1), now);
  return now;
}

/** "09:00" ≤ "17:00": a window that closes before it opens (or at once) is refused when saved. */
export function sendWindowProblem(window: SendWindow): string | undefined {
  if (minutesOf(window.end) <= minutesOf(window.start)) return 'sendWindow.end must be after sendWindow.start';
  return undefined;
}
