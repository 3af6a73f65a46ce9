import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { OrgScopedEntity } from '../../database/org-scoped.entity';
import { Lead } from '../leads/lead.entity';

/**
 * Something a lead did, sent in by the organization's systems (`POST /events`, the n8n Cadence Event
 * node): a sign-up, a purchase, a form. Triggered campaigns enroll on them and end enrollments on
 * their leaving events. `created_at` is when it was received.
 */
@Entity('lead_events')
@Index('UQ_lead_events_idempotency', ['organizationId', 'idempotencyKey'], { unique: true, where: `"idempotency_key" IS NOT NULL` })
@Index('IDX_lead_events_org_created', ['organizationId', 'createdAt', 'id'])
@Index('IDX_lead_events_org_name', ['organizationId', 'name', 'createdAt'])
@Index('IDX_lead_events_lead', ['leadId', 'createdAt'])
export class LeadEvent extends OrgScopedEntity {
  /** Null once the lead is deleted: the log outlives the lead. */
  @Column('uuid', { name: 'lead_id', nullable: true })
  leadId: string | null;

  @ManyToOne(() => Lead, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'lead_id', foreignKeyConstraintName: 'FK_lead_events_lead' })
  lead?: Lead;

  @Column('text')
  name: string;

  @Column('jsonb', { default: {} })
  properties: Record<string, unknown>;

  @Column('timestamptz', { name: 'occurred_at' })
  occurredAt: Date;

  /** A replay with the same key records nothing and answers the first event. */
  @Column('text', { name: 'idempotency_key', nullable: true })
  idempotencyKey: string | null;
}
