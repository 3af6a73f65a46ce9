import { Check, Column, Entity, Index, JoinColumn, ManyToOne, Unique } from 'typeorm';
import { OrgScopedEntity } from '../../database/org-scoped.entity';
import { Template, TemplateChannel } from '../templates/template.entity';
import { Campaign } from './campaign.entity';
import type { AbTest } from './variants/ab-test';

/** `no_reply`: send only if the lead has not replied since the campaign started. */
export interface StepCondition {
  type: 'no_reply';
}

@Entity('campaign_steps')
@Check('CHK_campaign_steps_channel', `"channel" IN ('email', 'sms', 'whatsapp', 'voice')`)
@Check('CHK_campaign_steps_delay', `"delay_seconds" >= 0`)
@Index('UQ_campaign_steps_position', ['campaignId', 'position'], { unique: true })
// The key messages reference (one foreign key for step, campaign and organization: message.entity.ts).
@Unique('UQ_campaign_steps_key', ['id', 'campaignId', 'organizationId'])
export class CampaignStep extends OrgScopedEntity {
  @Column('uuid', { name: 'campaign_id' })
  campaignId: string;

  @ManyToOne(() => Campaign, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'campaign_id' })
  campaign?: Campaign;

  @Column('integer')
  position: number;

  @Column('text')
  channel: TemplateChannel;

  @Column('uuid', { name: 'template_id' })
  templateId: string;

  @ManyToOne(() => Template, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'template_id' })
  template?: Template;

  /** After the previous step reached its outcome (step 0: after launch). */
  @Column('integer', { name: 'delay_seconds', default: 0 })
  delaySeconds: number;

  @Column('jsonb', { nullable: true })
  condition: StepCondition | null;

  /** A step on another channel than the campaign's sender names its own sender (e.g. day 3 SMS). */
  @Column('uuid', { name: 'sender_channel_id', nullable: true })
  senderChannelId: string | null;

  @Column('uuid', { name: 'sender_email_account_id', nullable: true })
  senderEmailAccountId: string | null;

  /** A/B: test the variants on a sample first, then send the winner to the rest (variants/ab-test.ts). */
  @Column('jsonb', { name: 'ab_test', nullable: true })
  abTest: AbTest | null;

  /**
   * Seeds each lead's variant and sample draw (variant-bucket.ts); null: the step's own id. A duplicate
   * takes its source's seed, so a relaunch gives each lead the same variant again.
   */
  @Column('uuid', { name: 'variant_seed', nullable: true })
  variantSeed: string | null;

  /** The A/B test's first send (recorded by the decision tick): `decideAfterSeconds` counts from it. */
  @Column('timestamptz', { name: 'test_started_at', nullable: true })
  testStartedAt: Date | null;

  /** The variant the test chose; the held messages were given it. */
  @Column('uuid', { name: 'winner_variant_id', nullable: true })
  winnerVariantId: string | null;

  @Column('timestamptz', { name: 'decided_at', nullable: true })
  decidedAt: Date | null;
}
