import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { OrgScopedEntity } from '../../database/org-scoped.entity';
import { Campaign } from '../campaigns/campaign.entity';

/** One n8n leasing loop for a campaign shard. A run that stops leasing is re-triggered by the scheduler. */
@Entity('campaign_runs')
@Index('IDX_campaign_runs_campaign', ['campaignId', 'lastSeenAt'])
export class CampaignRun extends OrgScopedEntity {
  @Column('uuid', { name: 'campaign_id' })
  campaignId: string;

  @ManyToOne(() => Campaign, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'campaign_id' })
  campaign?: Campaign;

  @Column('integer', { default: 0 })
  shard: number;

  /** Trigger time, then each lease: a run not seen for a while is presumed dead. */
  @Column('timestamptz', { name: 'last_seen_at' })
  lastSeenAt: Date;

  @Column('timestamptz', { name: 'finished_at', nullable: true })
  finishedAt: Date | null;

  /** Finished because the sender's quota is spent for a while: no new trigger before this time. */
  @Column('timestamptz', { name: 'retry_at', nullable: true })
  retryAt: Date | null;
}
