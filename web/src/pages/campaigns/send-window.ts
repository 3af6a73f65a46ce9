import type { SendWindow, StepChannel } from './types';

/** ISO weekdays (backend send-window.ts): 1 = Monday … 7 = Sunday, in the wizard's order. */
export const WEEKDAYS = [
  { day: 1, short: 'Mon', name: 'Monday' },
  { day: 2, short: 'Tue', name: 'Tuesday' },
  { day: 3, short: 'Wed', name: 'Wednesday' },
  { day: 4, short: 'Thu', name: 'Thursday' },
  { day: 5, short: 'Fri', name: 'Friday' },
  { day: 6, short: 'Sat', name: 'Saturday' },
  { day: 7, short: 'Sun', name: 'Sunday' },
] as const;
export const EVERY_DAY = WEEKDAYS.map((d) => d.day);
export const WORKDAYS = [1, 2, 3, 4, 5];

/**
 * The US Telephone Consumer Protection Act allows marketing texts and calls 08:00–21:00 in the recipient's
 * time: the window the wizard proposes when a step texts or calls (the API has no default).
 */
export const TCPA_HOURS = { start: '08:00', end: '21:00' } as const;
export const TCPA_REASON = 'US law (TCPA) allows texts and calls 08:00–21:00 in the recipient’s time';

/** The channels the TCPA hours apply to. */
export const textsOrCalls = (channels: StepChannel[]) => channels.some((c) => c === 'sms' || c === 'voice');

/** Whether a window lets texts and calls out before 08:00 or after 21:00 (no window: at any hour). */
export const outsideTcpaHours = (w: SendWindow | undefined) => !w || w.start < TCPA_HOURS.start || w.end > TCPA_HOURS.end;

/**
 * A typed 24-hour time as `HH:MM`: "9", "9:30", "0930" and "09:30" all read; undefined when it is not a time.
 * `24:00` (midnight, as an end) only when `endOfDay`.
 */
export function parseTime(text: string, endOfDay = false): string | undefined {
  const m = /^(\d{1,2})(?::?(\d{2}))?$/.exec(text.trim());
  if (!m) return undefined;
  const hours = Number(m[1]);
  const minutes = Number(m[2] ?? '0');
  if (minutes > 59 || hours > 24 || (hours === 24 && (!endOfDay || minutes > 0))) return undefined;
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

/** "Mon–Fri", "Mon, Wed, Fri", "Mon–Wed, Sat, Sun", "Every day": runs of three days or more joined by a dash. */
export function daysText(days: number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  if (sorted.length === 7) return 'Every day';
  const runs: number[][] = [];
  for (const d of sorted) {
    const run = runs[runs.length - 1];
    if (run && run[run.length - 1] === d - 1) run.push(d);
    else runs.push([d]);
  }
  const short = (d: number) => WEEKDAYS[d - 1]?.short ?? String(d);
  return runs.flatMap((run) => (run.length >= 3 ? [`${short(run[0]!)}–${short(run[run.length - 1]!)}`] : run.map(short))).join(', ');
}

/** "Mon–Fri, 09:00–17:00 in each lead’s time (else America/New_York)"; no window: any time. */
export function describeSendWindow(w: SendWindow | undefined): string {
  if (!w) return 'Any time: no send window';
  const hours = w.start === '00:00' && w.end === '24:00' ? 'all day' : `${w.start}–${w.end}`;
  return `${daysText(w.days)}, ${hours} in each lead’s time (else ${w.timezone ?? 'UTC'})`;
}

/** The zone of this browser, the fallback a new window proposes. */
export const browserTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

let zones: string[] | undefined;
/** The IANA zones this browser knows, for the fallback zone's list (UTC first: the API's default). */
export function timeZones(): string[] {
  if (!zones) {
    const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    zones = ['UTC', ...known.filter((z) => z !== 'UTC')];
  }
  return zones;
}

/** A zone Intl accepts (aliases such as US/Eastern included, as the API's check does). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
