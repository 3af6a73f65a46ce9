import { api } from '../../../api';

/** A sender's figures over the counted period (24 hours, or since the last resume). Rates are fractions: 0.05 = 5 %. */
export interface GuardMetrics {
  since: string;
  /** Messages the provider accepted: the denominator of the bounce and complaint rates. */
  sent: number;
  /** Accepted, then reported failed: bounces, undelivered texts. */
  bounced: number;
  complained: number;
  /** Refused by the provider's API when sent. */
  rejected: number;
  bounceRate: number;
  complaintRate: number;
  /** Rejected over every send (accepted + rejected). */
  rejectionRate: number;
}

export interface GuardThresholds {
  bounceRate: number;
  complaintRate: number;
  rejectionRate: number;
  /** Messages needed before a rate counts. */
  minSample: number;
}

/** `GET/PATCH /channels/{id}/guard` and `/email-accounts/{id}/guard` (backend guard.responses.ts). */
export interface Guard {
  /** Off: the guard still counts, but never pauses the sender. */
  enabled: boolean;
  state: 'sending' | 'paused';
  /** Why it paused the sender: "bounce rate 6.0 % over 100 messages (threshold 5.0 %)". */
  reason: string | null;
  pausedAt: string | null;
  /** The figures when it paused. */
  pausedMetrics: GuardMetrics | null;
  metrics: GuardMetrics;
  /** In force: the sender's own where set, else the defaults. */
  thresholds: GuardThresholds;
}

/** What `PATCH …/guard` takes: a field left out keeps its value, `null` goes back to the default. */
export type GuardInput = Partial<{ enabled: boolean } & { [K in keyof GuardThresholds]: number | null }>;

/** The backend's defaults (guard-verdict.ts GUARD_DEFAULTS), named on "Reset to defaults". */
export const GUARD_DEFAULTS: GuardThresholds = { bounceRate: 0.05, complaintRate: 0.003, rejectionRate: 0.1, minSample: 200 };

/** A channel connection or a Gmail mailbox, as the page names it (the channel's name, the mailbox's address). */
export interface GuardSender {
  kind: 'channel' | 'mailbox';
  id: string;
  name: string;
}

export const guardPath = (s: Pick<GuardSender, 'kind' | 'id'>) => `/${s.kind === 'channel' ? 'channels' : 'email-accounts'}/${s.id}/guard`;
/** Shared by Settings and the campaign page, so a resume in one shows in the other. */
export const guardQueryKey = (s: Pick<GuardSender, 'kind' | 'id'>) => ['guard', s.kind, s.id] as const;
export const fetchGuard = (s: Pick<GuardSender, 'kind' | 'id'>) => api<Guard>('GET', guardPath(s));
/**
 * Sending moves the rates and the guard may pause the sender at any moment: re-read every two minutes
 * while shown (the count scans a day of the sender's messages, so not more often).
 */
export const GUARD_REFRESH_MS = 120_000;
/** Where the sender's guard sits on Settings: the campaign page links there. */
export const guardAnchor = (s: Pick<GuardSender, 'kind' | 'id'>) => `guard-${s.kind}-${s.id}`;
