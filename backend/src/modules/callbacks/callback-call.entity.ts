import { Check, Column, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn } from 'typeorm';
import { OrgScopedEntity } from '../../database/org-scoped.entity';
import { User } from '../users/user.entity';
import { CallbackRequest } from './callback-request.entity';

/**
 * One "call now" attempt from a callback request: a Twilio call that rings the agent, then `<Dial>`s the
 * lead. Sent as a one-message campaign (the `message_id`), so n8n places it; Twilio's reports fill in
 * the outcome: the parent call's final status (the agent leg) and the Dial action (the lead leg).
 */
@Entity('callback_calls')
@Check('CHK_callback_calls_status', `"status" IN ('calling', 'ended')`)
@Index('IDX_callback_calls_request', ['callbackRequestId', 'createdAt'])
@Index('UQ_callback_calls_message', ['messageId'], { unique: true, where: '"message_id" IS NOT NULL' })
export class CallbackCall extends OrgScopedEntity {
  @Column('uuid', { name: 'callback_request_id' })
  callbackRequestId: string;

  @ManyToOne(() => CallbackRequest, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'callback_request_id' })
  callbackRequest?: CallbackRequest;

  @Column('uuid', { name: 'agent_user_id', nullable: true })
  agentUserId: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'agent_user_id' })
  agent?: User;

  /** The numbers at the time: the agent's phone (rung first) and the lead's (dialled once the agent answers). */
  @Column('text', { name: 'agent_phone' })
  agentPhone: string;

  @Column('text', { name: 'lead_phone' })
  leadPhone: string;

  /** The Twilio channel the call goes out on (its number is the caller id). */
  @Column('uuid', { name: 'channel_id' })
  channelId: string;

  /** The call's message (its campaign is the hidden one-message `reply` campaign). */
  @Column('uuid', { name: 'message_id', nullable: true })
  messageId: string | null;

  /** calling → ended (the parent call's final status arrived). */
  @Column('text', { default: 'calling' })
  status: 'calling' | 'ended';

  /** The parent call's final Twilio status: completed (the agent answered), busy, no-answer, failed, canceled. */
  @Column('text', { name: 'agent_status', nullable: true })
  agentStatus: string | null;

  /** The Dial action's DialCallStatus: completed (the lead answered), busy, no-answer, failed, canceled. */
  @Column('text', { name: 'dial_status', nullable: true })
  dialStatus: string | null;

  @Column('text', { name: 'dial_call_sid', nullable: true })
  dialCallSid: string | null;

  /** DialCallDuration: how long the lead was connected. */
  @Column('integer', { name: 'lead_duration_seconds', nullable: true })
  leadDurationSeconds: number | null;

  /** The parent call's CallDuration. */
  @Column('integer', { name: 'duration_seconds', nullable: true })
  durationSeconds: number | null;

  @Column('timestamptz', { name: 'ended_at', nullable: true })
  endedAt: Date | null;

  /** The `attempt` line of the request's activity log, written when the call ended. */
  @Column('uuid', { name: 'activity_id', nullable: true })
  activityId: string | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
