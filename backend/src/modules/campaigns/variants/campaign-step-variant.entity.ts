import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { OrgScopedEntity } from '../../../database/org-scoped.entity';
import { Template } from '../../templates/template.entity';
import { CampaignStep } from '../campaign-step.entity';

export const VARIANT_LABELS = ['A', 'B', 'C', 'D', 'E'] as const;
export type VariantLabel = (typeof VARIANT_LABELS)[number];

/**
 * One template of an A/B step and its share of the step's leads. Variant A (position 0) is the step's own
 * `template_id`; a lead's variant follows from a hash of the lead and the step's `variant_seed` (variant-bucket.ts).
 */
@Entity('campaign_step_variants')
@Check('CHK_campaign_step_variants_percent', `"percent" BETWEEN 1 AND 99`)
@Check('CHK_campaign_step_variants_position', `"position" BETWEEN 0 AND 4`)
@Index('UQ_campaign_step_variants_position', ['stepId', 'position'], { unique: true })
export class CampaignStepVariant extends OrgScopedEntity {
  @Column('uuid', { name: 'step_id' })
  stepId: string;

  @ManyToOne(() => CampaignStep, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'step_id' })
  step?: CampaignStep;

  @Column('uuid', { name: 'template_id' })
  templateId: string;

  @ManyToOne(() => Template, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'template_id' })
  template?: Template;

  /** 0 for A … 4 for E: the order the cumulative percents are laid out in. */
  @Column('integer')
  position: number;

  @Column('text')
  label: VariantLabel;

  @Column('integer')
  percent: number;
}
