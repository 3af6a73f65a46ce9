import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { OrgScopedEntity } from '../../database/org-scoped.entity';
import { Campaign } from '../campaigns/campaign.entity';
import { Lead } from '../leads/lead.entity';
import { Message } from '../messages/message.entity';

/** A purchase, sign-up or other outcome of a lead, attributed to the campaign message that earned it (or none). */
@Entity('conversions')
@Index('IDX_conversions_org_created', ['organizationId', 'createdAt', 'id'])
@Index('IDX_conversions_org_occurred', ['organizationId', 'occurredAt'])
@Index('IDX_conversions_campaign', ['campaignId', 'occurredAt'])
export class Conversion extends OrgScopedEntity {
  /** Null once the lead is deleted: the revenue stays counted. */
  @Column('uuid', { name: 'lead_id', nullable: true })
  leadId: string | null;

  @ManyToOne(() => Lead, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'lead_id', foreignKeyConstraintName: 'FK_conversions_lead' })
  lead?: Lead;

  @Column('text')
  name: string;

  /** numeric(18,4), read as a string: money is not a float. */
  @Column('numeric', { precision: 18, scale: 4 })
  value: string;

  /** ISO 4217, upper case. */
  @Column('text')
  currency: string;

  @Column('timestamptz', { name: 'occurred_at' })
  occurredAt: Date;

  @Column('uuid', { name: 'campaign_id', nullable: true })
  campaignId: string | null;

  @ManyToOne(() => Campaign, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'campaign_id', foreignKeyConstraintName: 'FK_conversions_campaign' })
  campaign?: Campaign;

  @Column('uuid', { name: 'message_id', nullable: true })
  messageId: string | null;

  @ManyToOne(() => Message, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'message_id', foreignKeyConstraintName: 'FK_conversions_message' })
  message?: Message;

  @Column('uuid', { name: 'step_id', nullable: true })
  stepId: string | null;

  @Column('text', { nullable: true })
  channel: string | null;

  /** `engaged` (the lead's last opened, clicked or replied message), `delivered` (else its last delivered one), or null (none in the window). */
  @Column('text', { name: 'attributed_by', nullable: true })
  attributedBy: 'engaged' | 'delivered' | null;
}
