/** The campaign as `/api/v1/campaigns` presents it (backend campaigns.controller.ts `present`). */
export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'active', 'paused', 'completed', 'cancelled'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
export const MESSAGE_STATUSES = ['queued', 'leased', 'sending', 'sent', 'delivered', 'failed', 'unknown', 'skipped'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];
export type StepChannel = 'email' | 'sms' | 'whatsapp' | 'voice';

export type Sender = { channelId: string } | { emailAccountId: string };

export interface LeadFilter {
  email?: string;
  phone?: string;
  search?: string;
  timezone?: string;
  hasEmail?: boolean;
  hasPhone?: boolean;
  attributes?: Record<string, string | number | boolean>;
  consent?: Partial<Record<'email' | 'sms' | 'whatsapp' | 'voice', boolean>>;
  createdAfter?: string;
  createdBefore?: string;
}

export type Audience = { all: true } | { leadIds: string[] } | { filter: LeadFilter };

export const CAMPAIGN_TYPES = ['blast', 'sequence', 'triggered'] as const;
export type CampaignType = (typeof CAMPAIGN_TYPES)[number];

/** A trigger's property test (TRIGGERS-SPEC: `property` is a dotted path into the event's `properties`). */
export const CONDITION_OPERATORS = ['equals', 'not_equals', 'contains', 'greater_than', 'less_than', 'exists', 'not_exists'] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];
export interface TriggerCondition {
  property: string;
  operator: ConditionOperator;
  /** Absent for exists / not_exists. */
  value?: string | number | boolean | null;
}

/** What ends a lead's enrollment early: an event of that name (and, optionally, properties). */
export interface ExitRule {
  event: string;
  conditions?: TriggerCondition[];
}

/** A triggered campaign's `trigger`: which event enrolls its lead, when a lead may enroll again, what makes it leave. */
export interface CampaignTrigger {
  event: string;
  conditions?: TriggerCondition[];
  reentry?: 'never' | 'after_exit';
  reentryAfterSeconds?: number | null;
  exitOn?: ExitRule[];
}

/** A message is skipped when its lead already got `limit` messages on that channel, from any campaign, in the period. */
export interface FrequencyCap {
  limit: number;
  periodHours: number;
}

/** Voice: what a call answered by a machine does (backend campaign.entity.ts ANSWERING_MACHINE). */
export type AnsweringMachine = 'hang_up' | 'voicemail' | 'treat_as_answered';

/**
 * When leads may be reached, in each lead's own time (backend send-window.ts): ISO weekdays (1 = Monday), `HH:MM`
 * hours with `end` exclusive (`24:00` for midnight), and the zone for leads whose own is unknown (default UTC).
 * Messages outside it wait for it to open; none is skipped.
 */
export interface SendWindow {
  days: number[];
  start: string;
  end: string;
  timezone?: string;
}

export interface CampaignSettings {
  ratePerSecond?: number;
  concurrency?: number;
  batchSize?: number;
  dailyCap?: number;
  shards?: number;
  startAt?: string;
  /** When a lead replies: stop their remaining steps in every running campaign (default) or in this one only. */
  stopOnReply?: 'all_campaigns' | 'this_campaign';
  /** `callback`: a reply asking for a call (or saying yes) creates a callback request. */
  onReply?: 'nothing' | 'callback';
  /** `callback`: a voice call that ends no-answer or busy creates a callback request. */
  onNoAnswer?: 'nothing' | 'callback';
  /** Voice: live calls at once across every shard (held by the backend). */
  maxConcurrentCalls?: number;
  /** Voice: seconds between two call starts on the number. */
  callDelaySeconds?: number;
  /** Voice: how many more times a busy, unanswered or never-connected call is placed. */
  retryCount?: number;
  /** Voice: seconds before calling again. */
  retryDelaySeconds?: number;
  /**
   * Voice: detect answering machines and hang up, leave `voicemailScript` after the beep, or play the call's
   * own script anyway (counted as voicemail). Absent: no detection, every answered call hears the script.
   */
  answeringMachine?: AnsweringMachine;
  /** Voice, with `answeringMachine: voicemail`: what is said after the beep (Liquid, at most 2,000 characters). */
  voicemailScript?: string;
  /** Triggered campaigns: at most `limit` messages per lead and channel in `periodHours`, counting every campaign. */
  frequencyCap?: FrequencyCap;
  /** Absent: messages go at any hour. */
  sendWindow?: SendWindow;
}

/** What an A/B test's winner is judged by (open and click: email only). */
export type AbMetric = 'open' | 'click' | 'reply' | 'conversion';

/** A step's A/B test: a sample of the leads gets the variants, the rest waits and gets the winner. */
export interface AbTest {
  samplePercent: number;
  metric: AbMetric;
  decideAfterSeconds: number;
  /** Default 100. */
  minSamplePerVariant?: number;
}

/** A variant as a campaign's step request gives it (the first is the step's own template). */
export interface VariantInput {
  templateId: string;
  percent: number;
}

export interface StepVariant extends VariantInput {
  id: string;
  label: 'A' | 'B' | 'C' | 'D' | 'E';
}

export interface CampaignStep {
  id: string;
  position: number;
  channel: StepChannel;
  templateId: string;
  delaySeconds: number;
  condition: { type: 'no_reply' } | null;
  sender?: Sender;
  /** Empty when the step has one template. */
  variants?: StepVariant[];
  abTest?: AbTest | null;
  winnerVariantId?: string | null;
  decidedAt?: string | null;
}

export type StatusCounts = Record<MessageStatus, number> & { total: number };

export interface Campaign {
  id: string;
  name: string;
  type: CampaignType;
  status: CampaignStatus;
  statusReason: string | null;
  sender: Sender;
  audience: Audience;
  settings: CampaignSettings;
  steps: CampaignStep[];
  /** Triggered campaigns only (null for the others). */
  trigger?: CampaignTrigger | null;
  /** A triggered campaign: the enrollments so far. */
  audienceSize: number;
  materialized: boolean;
  counts: StatusCounts;
  launchedAt: string | null;
  completedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** `GET /campaigns/{id}/progress` and each SSE event of `/campaigns/{id}/events`. */
export interface ProgressSnapshot {
  status: CampaignStatus;
  statusReason: string | null;
  audienceSize: number;
  materialized: boolean;
  counts: StatusCounts;
}

export interface CampaignMessage {
  id: string;
  leadId: string;
  stepId: string;
  position: number;
  channel: StepChannel;
  to: string;
  status: MessageStatus;
  skipReason: string | null;
  providerMessageId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  attempts: number;
  dueAt: string;
  sentAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export const ENROLLMENT_STATUSES = ['active', 'completed', 'exited'] as const;
export type EnrollmentStatus = (typeof ENROLLMENT_STATUSES)[number];

/** The lead an event or an enrollment names (null: the lead was deleted since). */
export interface LeadRef {
  id: string;
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
}

/** One item of `GET /campaigns/{id}/enrollments`: a lead's entry into a triggered campaign. */
export interface Enrollment {
  id: string;
  campaignId: string;
  /** 1 for the lead's first entry, 2 for its second (re-entry)... */
  entry: number;
  lead: LeadRef | null;
  eventId: string;
  eventName: string;
  status: EnrollmentStatus;
  enrolledAt: string;
  endedAt: string | null;
  exitEventId: string | null;
  exitEventName: string | null;
}

/** `GET /campaigns/{id}/enrollments/summary`. */
export interface EnrollmentSummary {
  active: number;
  completed: number;
  exited: number;
  total: number;
}
