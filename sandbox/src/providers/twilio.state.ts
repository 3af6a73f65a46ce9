import type { Resettable } from '../context';

/** Path prefix of the 2010-04-01 REST API; captures the account SID. */
export const API = '/2010-04-01/Accounts/([^/]+)';

/** Twilio's `*Method` params: GET when asked, POST otherwise. */
export function method(value: string | undefined): 'POST' | 'GET' {
  return value?.toUpperCase() === 'GET' ? 'GET' : 'POST';
}

export interface TwilioNumberConfig {
  number: string;
  /** IncomingPhoneNumber SID (PN...), stable for the number within a run. */
  sid?: string;
  /** Where inbound SMS to this number are posted (Twilio's "A message comes in" webhook). */
  smsUrl?: string;
  smsMethod?: 'POST' | 'GET';
  /** Where inbound calls to this number are posted (Twilio's "A call comes in" webhook, VoiceUrl). */
  voiceUrl?: string;
  /** Account that owns the number; its auth token signs inbound webhooks. */
  accountSid?: string;
}

export type TwilioResource = Record<string, unknown> & { sid: string; status: string };

const MAX_RESOURCES = 500_000;

export class TwilioState implements Resettable {
  /** Inbound SMS URL for numbers that have none of their own. */
  constructor(readonly defaultSmsUrl?: string) {}

  readonly numbers = new Map<string, TwilioNumberConfig>();
  /** `${sender}|${recipient}` pairs that texted STOP: sends between them answer 21610. */
  readonly optOuts = new Set<string>();
  /** Which account last sent from a number, to sign inbound webhooks to that number. */
  readonly numberAccounts = new Map<string, string>();
  readonly messages = new Map<string, TwilioResource>();
  readonly calls = new Map<string, TwilioResource>();
  /** Calls between their creation and their final status, per account (and all: `*`), and the most there ever were at once. */
  readonly liveCalls = new Map<string, number>();
  readonly maxLiveCalls = new Map<string, number>();
  /** Every ended call: the record a test compares the backend's statistics with. */
  readonly callOutcomes: Array<{
    sid: string;
    accountSid: string;
    to: string;
    status: string;
    answeredBy: string | null;
    duration: number;
    startedAt: number;
    endedAt: number;
  }> = [];
  private readonly callStarts = new Map<string, number>();

  callStarted(resource: TwilioResource): void {
    const accountSid = String(resource.account_sid);
    this.callStarts.set(resource.sid, Date.now());
    for (const key of [accountSid, '*']) {
      const live = (this.liveCalls.get(key) ?? 0) + 1;
      this.liveCalls.set(key, live);
      if (live > (this.maxLiveCalls.get(key) ?? 0)) this.maxLiveCalls.set(key, live);
    }
  }

  callEnded(resource: TwilioResource, answeredBy: string | null): void {
    const accountSid = String(resource.account_sid);
    for (const key of [accountSid, '*']) this.liveCalls.set(key, Math.max(0, (this.liveCalls.get(key) ?? 0) - 1));
    this.callOutcomes.push({
      sid: resource.sid,
      accountSid,
      to: String(resource.to),
      status: resource.status,
      answeredBy,
      duration: Number(resource.duration ?? 0),
      startedAt: this.callStarts.get(resource.sid) ?? Date.now(),
      endedAt: Date.now(),
    });
    this.callStarts.delete(resource.sid);
    if (this.callOutcomes.length > MAX_RESOURCES) this.callOutcomes.shift();
  }

  remember(map: Map<string, TwilioResource>, resource: TwilioResource): void {
    map.set(resource.sid, resource);
    if (map.size > MAX_RESOURCES) {
      const oldest = map.keys().next().value;
      if (oldest !== undefined) map.delete(oldest);
    }
  }

  resetTraffic(): void {
    this.optOuts.clear();
    this.messages.clear();
    this.calls.clear();
    this.numberAccounts.clear();
    this.liveCalls.clear();
    this.maxLiveCalls.clear();
    this.callOutcomes.length = 0;
    this.callStarts.clear();
  }

  resetConfig(): void {
    this.numbers.clear();
  }
}

/** Twilio formats dates as RFC 2822 with a numeric zone. */
let cachedSecond = -1;
let cachedDate = '';
export function twilioDate(d?: Date): string {
  if (d) return d.toUTCString().replace('GMT', '+0000');
  // Formatting dominates a create at high rates; the string only changes once a second.
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedDate = new Date(now).toUTCString().replace('GMT', '+0000');
  }
  return cachedDate;
}

export const STOP_WORDS = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE']);
export const START_WORDS = new Set(['START', 'YES', 'UNSTOP']);
export const HELP_WORDS = new Set(['HELP', 'INFO']);
