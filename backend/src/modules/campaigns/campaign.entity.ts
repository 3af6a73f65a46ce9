import { Check, Column, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn } from 'typeorm';
import { OrgScopedEntity } from '../../database/org-scoped.entity';
import { ChannelConnection } from '../channels/channel-connection.entity';
import { EmailAccount } from '../email-accounts/email-account.entity';
import type { SendWindow } from './send-window';
import type { LeadFilter } from '../leads/lead-filter';

/** `triggered`: evergreen; each matching event (`POST /events`) enrolls its lead in the steps. */
export const CAMPAIGN_TYPES = ['blast', 'sequence', 'triggered'] as const;
/** `reply`: one answer written in the inbox, sent through the campaign engine; hidden from campaign lists. */
export type CampaignType = (typeof CAMPAIGN_TYPES)[number] | 'reply';
export const STOP_ON_REPLY = ['all_campaigns', 'this_campaign'] as const;
export type StopOnReply = (typeof STOP_ON_REPLY)[number];
export const ON_REPLY = ['nothing', 'callback'] as const;
export type OnReply = (typeof ON_REPLY)[number];
export const ON_NO_ANSWER = ['nothing', 'callback'] as const;
export type OnNoAnswer = (typeof ON_NO_ANSWER)[number];
/**
 * Voice: what a call answered by a machine (Twilio's answering-machine detection) does: hang up at once,
 * leave the voicemail script after the beep, or play the call's own script as if a person answered.
 */
export const ANSWERING_MACHINE = ['hang_up', 'voicemail', 'treat_as_answered'] as const;
export type AnsweringMachine = (typeof ANSWERING_MACHINE)[number];
export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'active', 'paused', 'completed', 'cancelled'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export type Audience = { all: true } | { leadIds: string[] } | { filter: LeadFilter };

export const CONDITION_OPERATORS = ['equals', 'not_equals', 'contains', 'greater_than', 'less_than', 'exists', 'not_exists'] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];
/** A test on an event's properties: `property` is a dotted path (`cart.total`). */
export interface PropertyCondition {
  property: string;
  operator: ConditionOperator;
  value?: string | number | boolean;
}
export const REENTRY_POLICIES = ['never', 'after_exit'] as const;
export type ReentryPolicy = (typeof REENTRY_POLICIES)[number];

/** What enrolls a lead in a triggered campaign, and what ends the enrollment. */
export interface CampaignTrigger {
  event: string;
  /** All must hold. */
  conditions: PropertyCondition[];
  /** `never`: once per lead, ever; `after_exit`: again once the previous enrollment ended (completed or exited). */
  reentry: ReentryPolicy;
  /** With `after_exit`: at least this long after the previous entry. */
  reentryAfterSeconds?: number;
  /** Leaving events: any of them ends the lead's enrollment and skips its remaining steps (`exited`). */
  exitOn: Array<{ event: string; conditions: PropertyCondition[] }>;
}

export interface CampaignSettings {
  /** Caps the sender's own rate for this campaign. */
  ratePerSecond?: number;
  /** Requests in flight inside one n8n execution. */
  concurrency?: number;
  /** Messages per lease. */
  batchSize?: number;
  /** Messages this campaign may send per rolling 24 hours. */
  dailyCap?: number;
  /** Parallel n8n executions leasing from this campaign's queue. */
  shards?: number;
  /** Launch now but start sending at this time (status `scheduled` until then). */
  startAt?: string;
  /** When a lead replies, stop their remaining steps in every active campaign (default) or in this one only. */
  stopOnReply?: StopOnReply;
  /** `callback`: a reply asking to be called (or a positive one) creates a callback request (hand-over to a person). */
  onReply?: OnReply;
  /** `callback`: a voice call that ends no-answer or busy creates a callback request. */
  onNoAnswer?: OnNoAnswer;
  /** Voice: live calls of this campaign at once, across every shard (held by the backend's call slots). */
  maxConcurrentCalls?: number;
  /** Voice: seconds between two call starts on the number (overrides the channel's). */
  callDelaySeconds?: number;
  /** Voice: how many more times a busy, unanswered or failed-before-connect call is placed again. */
  retryCount?: number;
  /** Voice: the wait before calling again. */
  retryDelaySeconds?: number;
  /** Voice: detect answering machines and do this with them; absent, calls are placed without detection. */
  answeringMachine?: AnsweringMachine;
  /** Voice, `answeringMachine: voicemail`: what is said after the beep (Liquid, rendered per lead). */
  voicemailScript?: string;
  /** When leads may be reached, in their own time; messages outside it wait for it to open (send-window.ts). */
  sendWindow?: SendWindow;
  /** A reply campaign: the email it answers, so it threads (In-Reply-To / References, Gmail thread). */
  replyThreading?: { inReplyTo: string | null; references: string[]; threadId: string | null };
  /**
   * A call-now bridge (callbacks/callback-calls.service.ts): the call rings this number (the agent's)
   * and its TwiML dials the lead; the lead stays the message's lead, so compliance is checked on them.
   */
  bridgeTo?: string;
  /**
   * A message of this campaign is skipped (`frequency_capped`) when the lead already got `limit`
   * messages on that channel, from any campaign of the organization, in the last `periodHours`.
   */
  frequencyCap?: { limit: number; periodHours: number };
}

@Entity('campaigns')
@Check('CHK_campaigns_type', `"type" IN ('blast', 'sequence', 'triggered', 'reply')`)
@Check('CHK_campaigns_trigger', `("type" = 'triggered') = ("trigger" IS NOT NULL)`)
@Check('CHK_campaigns_status', `"status" IN ('draft', 'scheduled', 'active', 'paused', 'completed', 'cancelled')`)
@Check('CHK_campaigns_one_sender', `num_nonnulls("sender_channel_id", "sender_email_account_id") = 1`)
@Index('IDX_campaigns_org_created', ['organizationId', 'createdAt', 'id'])
@Index('IDX_campaigns_status', ['status'])
export class Campaign extends OrgScopedEntity {
  @Column('text')
  name: string;

  @Column('text')
  type: CampaignType;

  @Column('text', { default: 'draft' })
  status: CampaignStatus;

  /** Why the campaign is paused or cancelled when the system did it (e.g. the mailbox needs re-authorization). */
  @Column('text', { name: 'status_reason', nullable: true })
  statusReason: string | null;

  @Column('uuid', { name: 'sender_channel_id', nullable: true })
  senderChannelId: string | null;

  @ManyToOne(() => ChannelConnection, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'sender_channel_id' })
  senderChannel?: ChannelConnection;

  @Column('uuid', { name: 'sender_email_account_id', nullable: true })
  senderEmailAccountId: string | null;

  @ManyToOne(() => EmailAccount, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'sender_email_account_id' })
  senderEmailAccount?: EmailAccount;

  /** A reply campaign's conversation. */
  @Column('uuid', { name: 'conversation_id', nullable: true })
  conversationId: string | null;

  @Column('jsonb')
  audience: Audience;

  @Column('jsonb', { default: {} })
  settings: CampaignSettings;

  /** A triggered campaign's trigger; null for the other types. */
  @Column('jsonb', { nullable: true })
  trigger: CampaignTrigger | null;

  /** Leads enrolled so far; final once `materializedAt` is set. */
  @Column('integer', { name: 'audience_size', default: 0 })
  audienceSize: number;

  /** Keyset cursor of the audience materialization, so a crash resumes where it stopped. */
  @Column('uuid', { name: 'materialize_cursor', nullable: true })
  materializeCursor: string | null;

  @Column('timestamptz', { name: 'materialized_at', nullable: true })
  materializedAt: Date | null;

  @Column('timestamptz', { name: 'launched_at', nullable: true })
  launchedAt: Date | null;

  @Column('timestamptz', { name: 'completed_at', nullable: true })
  completedAt: Date | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
