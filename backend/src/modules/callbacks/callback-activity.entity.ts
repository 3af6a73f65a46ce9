import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { OrgScopedEntity } from '../../database/org-scoped.entity';
import { User } from '../users/user.entity';
import { CallbackRequest } from './callback-request.entity';

/** One line of a request's history: a change or a call attempt, who did it (a member, or the system) and when. */
@Entity('callback_activities')
@Index('IDX_callback_activities_request', ['callbackRequestId', 'createdAt'])
export class CallbackActivity extends OrgScopedEntity {
  @Column('uuid', { name: 'callback_request_id' })
  callbackRequestId: string;

  @ManyToOne(() => CallbackRequest, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'callback_request_id' })
  callbackRequest?: CallbackRequest;

  /** created, status, assigned, completed, rescored, attempt, note, duplicate. */
  @Column('text')
  kind: string;

  /** The member who did it; null for the system or an API key. */
  @Column('uuid', { name: 'actor_user_id', nullable: true })
  actorUserId: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'actor_user_id' })
  actor?: User;

  /** "system", "api key", or the member's email, at the time. */
  @Column('text', { name: 'actor_label' })
  actorLabel: string;

  /** What happened, in words. */
  @Column('text')
  summary: string;

  @Column('jsonb', { default: {} })
  details: Record<string, unknown>;
}
