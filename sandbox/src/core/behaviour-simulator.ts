import { compilePattern, type Matcher } from './pattern';
import { facetUnit, seededHash } from './seeded-random';
import { sequenceId } from './ids';

export type DeliveryOutcome = 'delivered' | 'bounced' | 'failed';
export type CallOutcome = 'completed' | 'busy' | 'no-answer' | 'failed';
/** Who picks up an answered call, as answering-machine detection reports it. */
export type CallAnswerer = 'human' | 'machine';
/** What the AI agent concludes from a conversation on a `<Connect><Stream>` call. */
export type AgentOutcome = 'interested' | 'call_back' | 'not_interested';

export interface Behaviour {
  delivery: DeliveryOutcome;
  opened: boolean;
  clicked: boolean;
  replied: boolean;
  /** An out-of-office answer (RFC 3834 Auto-Submitted: auto-replied), not a person's reply. */
  autoReplied: boolean;
  unsubscribed: boolean;
  complained: boolean;
  /** SMS / WhatsApp recipient answers STOP. */
  stop: boolean;
  /** WhatsApp read receipt. */
  read: boolean;
  call: CallOutcome;
  callDurationSeconds: number;
  answeredBy: CallAnswerer;
  agentOutcome: AgentOutcome;
  replyText: string;
}

export interface BehaviourRates {
  bounce: number;
  open: number;
  click: number;
  reply: number;
  autoReply: number;
  unsubscribe: number;
  complain: number;
  stop: number;
  read: number;
  callBusy: number;
  callNoAnswer: number;
  callFailed: number;
  /** Of answered calls, the share a machine picks up. */
  callMachine: number;
}

export interface BehaviourOverride {
  id: string;
  match: string;
  behaviour: Partial<Behaviour>;
}

export const DEFAULT_RATES: BehaviourRates = {
  bounce: 0.03,
  open: 0.45,
  click: 0.12,
  reply: 0.05,
  autoReply: 0.02,
  unsubscribe: 0.01,
  complain: 0.002,
  stop: 0.02,
  read: 0.6,
  callBusy: 0.1,
  callNoAnswer: 0.15,
  callFailed: 0.03,
  callMachine: 0.1,
};

const AGENT_OUTCOMES: AgentOutcome[] = ['interested', 'call_back', 'not_interested'];

const FACETS: Record<string, number> = {
  bounce: 1,
  open: 2,
  click: 3,
  reply: 4,
  unsubscribe: 5,
  complain: 6,
  stop: 7,
  read: 8,
  call: 9,
  duration: 10,
  autoReply: 11,
  machine: 12,
  agent: 13,
};

const QUIET: Behaviour = {
  delivery: 'delivered',
  opened: false,
  clicked: false,
  replied: false,
  autoReplied: false,
  unsubscribed: false,
  complained: false,
  stop: false,
  read: false,
  call: 'completed',
  callDurationSeconds: 30,
  answeredBy: 'human',
  agentOutcome: 'interested',
  replyText: 'Thanks, sounds interesting. Can you tell me more?',
};

const EMAIL_TAGS: Record<string, Partial<Behaviour>> = {
  deliver: {},
  bounce: { delivery: 'bounced' },
  fail: { delivery: 'failed' },
  open: { opened: true },
  click: { opened: true, clicked: true },
  reply: { replied: true, opened: true },
  ooo: { autoReplied: true },
  unsubscribe: { unsubscribed: true, opened: true },
  complain: { complained: true },
  stop: { stop: true },
  read: { read: true },
};

const PHONE_SUFFIXES: Record<string, Partial<Behaviour>> = {
  '9990': {},
  '9991': { delivery: 'failed' },
  '9992': { stop: true },
  '9993': { replied: true, read: true },
  '9994': { call: 'busy' },
  '9995': { call: 'no-answer' },
  '9996': { call: 'failed' },
  '9997': { read: true, call: 'completed', callDurationSeconds: 42 },
  '9998': { call: 'completed', answeredBy: 'machine', callDurationSeconds: 12 },
  '9989': { call: 'completed', agentOutcome: 'call_back' },
  '9988': { call: 'completed', agentOutcome: 'not_interested' },
};

/**
 * Decides what a recipient "does" with a message. Precedence: explicit overrides from the
 * control API, then the address conventions (`+bounce@`, numbers ending 9991...), then the
 * seeded rates. The same seed and recipient always give the same behaviour.
 */
export class BehaviourSimulator {
  seed: string;
  rates: BehaviourRates = { ...DEFAULT_RATES };
  private overrides: { o: BehaviourOverride; matcher: Matcher }[] = [];

  constructor(seed: string) {
    this.seed = seed;
  }

  addOverride(match: string, behaviour: Partial<Behaviour>): BehaviourOverride {
    const o: BehaviourOverride = { id: sequenceId('behaviour'), match, behaviour };
    this.overrides.push({ o, matcher: compilePattern(match) });
    return o;
  }

  listOverrides(): BehaviourOverride[] {
    return this.overrides.map((x) => x.o);
  }

  removeOverride(id: string): boolean {
    const n = this.overrides.length;
    this.overrides = this.overrides.filter((x) => x.o.id !== id);
    return n !== this.overrides.length;
  }

  clearOverrides(): void {
    this.overrides = [];
  }

  resolve(recipient: string): Behaviour {
    for (const { o, matcher } of this.overrides) {
      if (matcher(recipient)) return { ...QUIET, ...o.behaviour };
    }
    const convention = conventionFor(recipient);
    if (convention) return { ...QUIET, ...convention };
    return this.seeded(recipient);
  }

  private seeded(recipient: string): Behaviour {
    const hash = seededHash(this.seed, recipient.toLowerCase());
    const u = (facet: string): number => facetUnit(hash, FACETS[facet] ?? 0);
    const r = this.rates;
    const bounced = u('bounce') < r.bounce;
    const opened = !bounced && u('open') < r.open;
    const clicked = opened && u('click') < r.click / Math.max(r.open, 1e-9);
    const callRoll = u('call');
    const call: CallOutcome =
      callRoll < r.callFailed
        ? 'failed'
        : callRoll < r.callFailed + r.callBusy
          ? 'busy'
          : callRoll < r.callFailed + r.callBusy + r.callNoAnswer
            ? 'no-answer'
            : 'completed';
    return {
      delivery: bounced ? 'bounced' : 'delivered',
      opened,
      clicked,
      replied: !bounced && u('reply') < r.reply,
      autoReplied: !bounced && u('autoReply') < r.autoReply,
      unsubscribed: !bounced && u('unsubscribe') < r.unsubscribe,
      complained: !bounced && u('complain') < r.complain,
      stop: !bounced && u('stop') < r.stop,
      read: !bounced && u('read') < r.read,
      call,
      callDurationSeconds: call === 'completed' ? 5 + Math.floor(u('duration') * 175) : 0,
      answeredBy: u('machine') < r.callMachine ? 'machine' : 'human',
      agentOutcome: AGENT_OUTCOMES[Math.floor(u('agent') * AGENT_OUTCOMES.length)] ?? 'interested',
      replyText: QUIET.replyText,
    };
  }
}

function conventionFor(recipient: string): Partial<Behaviour> | undefined {
  const at = recipient.lastIndexOf('@');
  if (at > 0) {
    const local = recipient.slice(0, at).toLowerCase();
    const plus = local.indexOf('+');
    if (plus < 0) return undefined;
    let merged: Partial<Behaviour> | undefined;
    for (const tag of local.slice(plus + 1).split('+')) {
      const b = EMAIL_TAGS[tag];
      if (b) merged = { ...(merged ?? {}), ...b };
    }
    return merged;
  }
  const digits = recipient.replace(/\D/g, '');
  if (digits.length >= 8) return PHONE_SUFFIXES[digits.slice(-4)];
  return undefined;
}
