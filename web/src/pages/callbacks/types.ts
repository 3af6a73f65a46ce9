export const CALLBACK_STATUSES = ['pending', 'assigned', 'in_progress', 'completed', 'no_answer', 'cancelled'] as const;
export type CallbackStatus = (typeof CALLBACK_STATUSES)[number];
export type CallbackCategory = 'urgent' | 'high' | 'normal' | 'low';

export const STATUS_LABELS: Record<CallbackStatus, string> = {
  pending: 'Pending',
  assigned: 'Assigned',
  in_progress: 'In progress',
  completed: 'Completed',
  no_answer: 'No answer',
  cancelled: 'Cancelled',
};

export const SOURCE_LABELS: Record<string, string> = {
  reply_call_me: 'Reply: call me',
  reply_positive: 'Reply: positive',
  voice_no_answer: 'Call not answered',
  agent_call_back: 'AI agent: call back',
  missed_call: 'Missed call',
  web_form: 'Web form',
  api: 'API',
};

/** Moves a person can make from each status (the backend's machine, callbacks/callback-status.ts, decides). */
export const NEXT_STATUSES: Record<CallbackStatus, CallbackStatus[]> = {
  pending: ['cancelled'],
  assigned: ['in_progress', 'pending', 'no_answer', 'cancelled'],
  in_progress: ['no_answer', 'cancelled'],
  completed: [],
  no_answer: ['pending', 'cancelled'],
  cancelled: [],
};

export const isOpen = (s: CallbackStatus) => s === 'pending' || s === 'assigned' || s === 'in_progress';
export const canComplete = (s: CallbackStatus) => s === 'assigned' || s === 'in_progress';

export interface Callback {
  id: string;
  lead: { id: string; email: string | null; phone: string | null; firstName: string | null; lastName: string | null } | null;
  channel: string;
  address: string;
  reason: string;
  source: string;
  sourceMessageId: string | null;
  conversationId: string | null;
  windowStart: string | null;
  windowEnd: string | null;
  timezone: string | null;
  notes: string;
  status: CallbackStatus;
  assignee: { id: string; email: string; name: string | null } | null;
  score: number;
  category: CallbackCategory;
  scoreReasons: string[];
  dueAt: string;
  overdue: boolean;
  slaBreached: boolean;
  resolution: string | null;
  completedAt: string | null;
  createdAt: string;
}

export interface CallbackActivity {
  id: string;
  kind: string;
  actor: string;
  summary: string;
  at: string;
}

/** A "call now" attempt: the agent's leg, then the bridged lead's. */
export interface CallbackCall {
  id: string;
  status: 'calling' | 'ended';
  agentPhone: string;
  leadPhone: string;
  outcome: 'completed' | 'busy' | 'no-answer' | 'failed' | null;
  agentAnswered: boolean | null;
  leadAnswered: boolean | null;
  leadDurationSeconds: number | null;
  durationSeconds: number | null;
  startedAt: string;
  endedAt: string | null;
}

export interface CallbackDetail extends Callback {
  activities: CallbackActivity[];
  /** Newest first. */
  calls: CallbackCall[];
}

export interface CallbackSummary {
  byStatus: Record<string, number>;
  openByCategory: Record<CallbackCategory, number>;
  overdue: number;
  slaBreaches: number;
  unassigned: number;
}

export const who = (c: Callback) =>
  [c.lead?.firstName, c.lead?.lastName].filter(Boolean).join(' ') || c.lead?.email || c.lead?.phone || c.address;

/** "due in 42 min", "3 h 5 min overdue": the SLA countdown. */
export function slaCountdown(dueAt: string, now: number): string {
  const minutes = Math.round((new Date(dueAt).getTime() - now) / 60_000);
  const abs = Math.abs(minutes);
  const days = Math.floor(abs / 1440);
  const hours = Math.floor((abs % 1440) / 60);
  const text = days ? `${days} d${hours ? ` ${hours} h` : ''}` : hours ? `${hours} h${abs % 60 ? ` ${abs % 60} min` : ''}` : `${abs} min`;
  return minutes < 0 ? `${text} overdue` : `due in ${text}`;
}
