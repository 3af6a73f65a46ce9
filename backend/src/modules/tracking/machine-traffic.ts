/**
 * Tells opens and clicks made by machines from those made by people, from what a tracking request shows.
 * The rule (docs/architecture.md, "Analytics"; the analytics endpoints' descriptions):
 *  - a HEAD request (link checkers ask for headers only): `head_request`;
 *  - a user agent of a known security scanner, link checker or HTTP library: `scanner`;
 *  - an open with no user agent or exactly `Mozilla/5.0`, the Apple Mail Privacy Protection proxy's: `apple_mpp`;
 *  - an open within OPEN_MIN_SECONDS of sending, or a click within CLICK_MIN_SECONDS: no person reads that
 *    fast, a gateway fetching at delivery does: `too_soon`;
 *  - a click on another link of the same message within BURST_SECONDS of the previous one (a scanner
 *    following every link at once): `link_burst`.
 * Machine events are recorded (payload.machine, payload.machineReason) and counted apart from unique opens and clicks.
 */
export const OPEN_MIN_SECONDS = 2;
export const CLICK_MIN_SECONDS = 10;
export const BURST_SECONDS = 2;

const SCANNERS =
  /barracuda|mimecast|proofpoint|ppops|urldefense|messagelabs|symantec|forcepoint|trendmicro|trend micro|sophos|fireeye|ironport|safelinks|bitdefender|zscaler|paloalto|cloudmark|spamtitan|bot\b|crawler|spider|python-requests|python-urllib|curl\/|wget\/|go-http-client|okhttp|java\/|libwww|httpclient|headlesschrome|node-fetch|axios\//i;

export type MachineReason = 'head_request' | 'scanner' | 'apple_mpp' | 'too_soon' | 'link_burst';

export interface Visit {
  method: string;
  userAgent: string | undefined;
  /** Seconds since the message was sent; null when the send time is not known. */
  secondsSinceSent: number | null;
}

export function machineOpen(visit: Visit): MachineReason | undefined {
  const ua = visit.userAgent?.trim() ?? '';
  if (visit.method === 'HEAD') return 'head_request';
  if (SCANNERS.test(ua)) return 'scanner';
  if (ua === '' || ua === 'Mozilla/5.0') return 'apple_mpp';
  if (visit.secondsSinceSent !== null && visit.secondsSinceSent < OPEN_MIN_SECONDS) return 'too_soon';
  return undefined;
}

/** `secondsSincePreviousClick`: since this message's latest click on another link, null if none. */
export function machineClick(visit: Visit, secondsSincePreviousClick: number | null): MachineReason | undefined {
  const ua = visit.userAgent?.trim() ?? '';
  if (visit.method === 'HEAD') return 'head_request';
  if (ua === '' || SCANNERS.test(ua)) return 'scanner';
  if (visit.secondsSinceSent !== null && visit.secondsSinceSent < CLICK_MIN_SECONDS) return 'too_soon';
  if (secondsSincePreviousClick !== null && secondsSincePreviousClick < BURST_SECONDS) return 'link_burst';
  return undefined;
}
