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
}

export interface CampaignStep {
  id: string;
  position: number;
  channel: StepChannel;
  templateId: string;
  delaySeconds: number;
  condition: { type: 'no_reply' } | null;
  sender?: Sender;
}

export type StatusCounts = Record<MessageStatus, number> & { total: number };

export interface Campaign {
  id: string;
  name: string;
  type: 'blast' | 'sequence';
  status: CampaignStatus;
  statusReason: string | null;
  sender: Sender;
  audience: Audience;
  settings: CampaignSettings;
  steps: CampaignStep[];
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
