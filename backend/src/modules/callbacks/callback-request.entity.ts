import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { OrgScopedEntity } from '../../database/org-scoped.entity';
import { Lead } from '../leads/lead.entity';
import { User } from '../users/user.entity';
import type { CallbackCategory, CallbackSource } from './callback-priority';
import type { CallbackStatus } from './callback-status';

/**
 * A lead handed to a person: who to call back and why, where it came from (a reply, a voice call that
 * was not answered, a form or the API), its priority (score, category, reasons) and SLA due time, who
 * has it and how it ended. Every change and call attempt is in `callback_activities`.
 */
@Entity('callback_requests')
@Check('CHK_callback_requests_status', `"status" IN ('pending', 'assigned', 'in_progress', 'completed', 'no_answer', 'cancelled')`)
@Check('CHK_callback_requests_category', `"category" IN ('urgent', 'high', 'normal', 'low')`)
@Index('IDX_callback_requests_queue', ['organizationId', 'status', 'score', 'dueAt'])
// One request per message that caused it (a reply or a voice call), whatever replays the webhook.
@Index('UQ_callback_requests_source_message', ['organizationId', 'source', 'sourceMessageId'], {
  unique: true,
  where: '"source_message_id" IS NOT NULL',
})
export class CallbackRequest extends OrgScopedEntity {
  @Column('uuid', { name: 'lead_id', nullable: true })
  leadId: string | null;

  @ManyToOne(() => Lead, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'lead_id' })
  lead?: Lead;

  /** How to call back: voice (a phone call), or sms/email for a written answer. */
  @Column('text')
  channel: string;

  /** The number (E.164) or address to call back. */
  @Column('text')
  address: string;

  @Column('text', { default: '' })
  reason: string;

  @Column('text')
  source: CallbackSource;

  /** The message whose reply or unanswered call caused the request. */
  @Column('uuid', { name: 'source_message_id', nullable: true })
  sourceMessageId: string | null;

  /** The conversation a written answer goes through. */
  @Column('uuid', { name: 'conversation_id', nullable: true })
  conversationId: string | null;

  /** When the lead asked to be called, in their timezone (`timezone`). */
  @Column('timestamptz', { name: 'window_start', nullable: true })
  windowStart: Date | null;

  @Column('timestamptz', { name: 'window_end', nullable: true })
  windowEnd: Date | null;

  @Column('text', { nullable: true })
  timezone: string | null;

  @Column('text', { default: '' })
  notes: string;

  @Column('text', { default: 'pending' })
  status: CallbackStatus;

  @Column('uuid', { name: 'assignee_user_id', nullable: true })
  assigneeUserId: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'assignee_user_id' })
  assignee?: User;

  @Column('integer', { default: 0 })
  score: number;

  @Column('text', { default: 'normal' })
  category: CallbackCategory;

  /** Each part of the score, e.g. "source reply_call_me: +40". */
  @Column('jsonb', { name: 'score_reasons', default: [] })
  scoreReasons: string[];

  @Column('timestamptz', { name: 'scored_at' })
  scoredAt: Date;

  /** Created + the SLA of the category. */
  @Column('timestamptz', { name: 'due_at' })
  dueAt: Date;

  @Column('text', { nullable: true })
  resolution: string | null;

  @Column('timestamptz', { name: 'completed_at', nullable: true })
  completedAt: Date | null;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt: Date;
}
