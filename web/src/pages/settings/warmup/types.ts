/** `GET/PUT /channels/{id}/warmup` and `/email-accounts/{id}/warmup`: a sender's ramp and where it stands now. */
export interface Warmup {
  startPerDay: number;
  growthPercent: number;
  targetPerDay: number;
  startedAt: string;
  /** Whole days since the ramp started (0 on its first day). */
  day: number;
  /** The daily cap the ramp allows today (rolling 24 hours); the sender's own cap still applies. */
  capToday: number;
  sentLast24h: number;
  complete: boolean;
  /** When the daily cap first equals the target. */
  completesAt: string;
}

/** What `PUT …/warmup` takes. startedAt is never sent from here: a change keeps the ramp's day, a start begins now. */
export interface WarmupInput {
  startPerDay: number;
  growthPercent: number;
  targetPerDay: number;
}

/** A channel connection or a Gmail mailbox: anything that sends and can be warmed up. */
export interface WarmupSender {
  kind: 'channel' | 'mailbox';
  id: string;
  /** How the page names it: the channel's name or the mailbox's address. */
  name: string;
  /** The sender's own daily cap when it has one: the default target, and a limit that still applies. */
  dailyCap?: number;
}

export const warmupPath = (s: WarmupSender) => `/${s.kind === 'channel' ? 'channels' : 'email-accounts'}/${s.id}/warmup`;
export const warmupQueryKey = (s: WarmupSender) => ['warmup', s.kind, s.id] as const;
