import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { OrgScopedEntity } from '../../database/org-scoped.entity';
import { Campaign } from '../campaigns/campaign.entity';
import { LeadEvent } from '../events/lead-event.entity';
import { Lead } from '../leads/lead.entity';

/**
 * One entry of a lead into a triggered campaign's sequence, made by a matching event. Its messages
 * carry the same `entry` number (messages are unique per campaign, step, lead and entry). Active while
 * any of them is open, exited when a leaving event ended it, completed otherwise: the state is read
 * from the messages, so no second copy of it can drift.
 */
@Entity('campaign_enrollments')
@Index('UQ_campaign_enrollments_entry', ['campaignId', 'leadId', 'entry'], { unique: true })
@Index('IDX_campaign_enrollments_campaign_created', ['campaignId', 'createdAt', 'id'])
export class Enrollment extends OrgScopedEntity {
  @Column('uuid', { name: 'campaign_id' })
  campaignId: string;

  @ManyToOne(() => Campaign, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'campaign_id', foreignKeyConstraintName: 'FK_campaign_enrollments_campaign' })
  campaign?: Campaign;

  /** Null once the lead is deleted. */
  @Column('uuid', { name: 'lead_id', nullable: true })
  leadId: string | null;

  @ManyToOne(() => Lead, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'lead_id', foreignKeyConstraintName: 'FK_campaign_enrollments_lead' })
  lead?: Lead;

  /** 1 for the lead's first entry into this campaign, 2 for a re-entry... */
  @Column('integer')
  entry: number;

  /** The event that enrolled the lead. */
  @Column('uuid', { name: 'event_id', nullable: true })
  eventId: string | null;

  @ManyToOne(() => LeadEvent, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'event_id', foreignKeyConstraintName: 'FK_campaign_enrollments_event' })
  event?: LeadEvent;

  @Column('timestamptz', { name: 'exited_at', nullable: true })
  exitedAt: Date | null;

  /** The leaving event that ended it. */
  @Column('uuid', { name: 'exit_event_id', nullable: true })
  exitEventId: string | null;

  @ManyToOne(() => LeadEvent, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'exit_event_id', foreignKeyConstraintName: 'FK_campaign_enrollments_exit_event' })
  exitEvent?: LeadEvent;
}
