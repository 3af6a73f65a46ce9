import {
  CHANNELS,
  LIBRARY_CATEGORIES,
  type Channel,
  type LibraryCategory,
  type VoiceTemplateSpec,
  type WhatsAppTemplateSpec,
} from '@cadence/contracts';
import { Check, Column, Entity, Index, UpdateDateColumn } from 'typeorm';
import { OrgScopedEntity } from '../../database/org-scoped.entity';

/** Template shapes are the wire contract's: the lease carries them to the renderer as stored. */
export const TEMPLATE_CHANNELS = CHANNELS;
export type TemplateChannel = Channel;

@Entity('templates')
@Check('CHK_templates_channel', `"channel" IN ('email', 'sms', 'whatsapp', 'voice')`)
@Check(
  'CHK_templates_library_category',
  `"library_category" IS NULL OR "library_category" IN (${LIBRARY_CATEGORIES.map((c) => `'${c}'`).join(', ')})`,
)
@Index('IDX_templates_org_created', ['organizationId', 'createdAt', 'id'])
export class Template extends OrgScopedEntity {
  @Column('text')
  name: string;

  @Column('text')
  channel: TemplateChannel;

  @Column('text', { nullable: true })
  subject: string | null;

  @Column('text', { nullable: true })
  html: string | null;

  @Column('text', { nullable: true })
  text: string | null;

  @Column('text', { nullable: true })
  body: string | null;

  @Column('jsonb', { nullable: true })
  whatsapp: WhatsAppTemplateSpec | null;

  @Column('jsonb', { nullable: true })
  voice: VoiceTemplateSpec | null;

  /** Written for one inbox reply (its campaign's only content): not listed with the organization's templates. */
  @Column('boolean', { name: 'one_off', default: false })
  oneOff: boolean;

  /** In the organization's template library under this category; null: an ordinary template. */
  @Column('text', { name: 'library_category', nullable: true })
  libraryCategory: LibraryCategory | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
