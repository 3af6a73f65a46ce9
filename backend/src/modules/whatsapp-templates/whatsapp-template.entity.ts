import { Check, Column, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn } from 'typeorm';
import { OrgScopedEntity } from '../../database/org-scoped.entity';
import { ChannelConnection } from '../channels/channel-connection.entity';

/** Meta's review states; only APPROVED can be sent. */
export const WHATSAPP_TEMPLATE_STATUSES = [
  'APPROVED',
  'PENDING',
  'REJECTED',
  'PAUSED',
  'DISABLED',
  'IN_APPEAL',
  'PENDING_DELETION',
  'DELETED',
  'LIMIT_EXCEEDED',
] as const;
export type WhatsappTemplateStatus = (typeof WHATSAPP_TEMPLATE_STATUSES)[number];

/** Where a placeholder sits in the template: each becomes one parameter of the send. */
export type PlaceholderPart = 'header' | 'body' | 'button';

export interface TemplatePlaceholder {
  part: PlaceholderPart;
  /** `1`, `2`… for positional templates, the parameter name for named ones; `1` for a button URL suffix. */
  key: string;
  /** The button's index among the template's buttons (button placeholders only). */
  buttonIndex?: number;
  /** text, or the media a header needs (image, video, document). */
  type: 'text' | 'image' | 'video' | 'document' | 'location';
  /** Meta's example value, when the template has one. */
  example?: string;
  /** The CSV column of the sample file: header_param_1, body_param_2, body_first_name, button_url_param… */
  column: string;
}

/**
 * A message template of a WhatsApp Business Account, as last synced from the Graph API. A template
 * is one name in one language; `components` is Meta's own shape, `placeholders` what a send must fill.
 */
@Entity('whatsapp_templates')
@Check('CHK_whatsapp_templates_status', `"status" IN (${WHATSAPP_TEMPLATE_STATUSES.map((s) => `'${s}'`).join(', ')})`)
@Index('UQ_whatsapp_templates_identity', ['channelId', 'name', 'language'], { unique: true })
@Index('IDX_whatsapp_templates_org_created', ['organizationId', 'createdAt', 'id'])
export class WhatsappTemplate extends OrgScopedEntity {
  @Column('uuid', { name: 'channel_id' })
  channelId: string;

  @ManyToOne(() => ChannelConnection, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'channel_id' })
  channel?: ChannelConnection;

  @Column('text', { name: 'waba_id' })
  wabaId: string;

  /** Meta's id of the template. */
  @Column('text', { name: 'external_id' })
  externalId: string;

  @Column('text')
  name: string;

  @Column('text')
  language: string;

  /** MARKETING, UTILITY or AUTHENTICATION. */
  @Column('text')
  category: string;

  @Column('text')
  status: WhatsappTemplateStatus;

  /** POSITIONAL ({{1}}) or NAMED ({{first_name}}). */
  @Column('text', { name: 'parameter_format', default: 'POSITIONAL' })
  parameterFormat: string;

  @Column('jsonb')
  components: Record<string, unknown>[];

  @Column('jsonb')
  placeholders: TemplatePlaceholder[];

  @Column('timestamptz', { name: 'synced_at' })
  syncedAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
