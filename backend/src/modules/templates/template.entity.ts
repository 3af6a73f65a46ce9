import { Check, Column, Entity, Index, UpdateDateColumn } from 'typeorm';
import { OrgScopedEntity } from '../../database/org-scoped.entity';

export const TEMPLATE_CHANNELS = ['email', 'sms', 'whatsapp', 'voice'] as const;
export type TemplateChannel = (typeof TEMPLATE_CHANNELS)[number];

export interface WhatsappTemplateSpec {
  name: string;
  language: string;
  parameters?: string[];
  headerParameters?: string[];
  buttonParameters?: string[];
}

export interface VoiceTemplateSpec {
  mode?: 'say' | 'agent';
  script?: string;
  streamUrl?: string;
  voice?: string;
  language?: string;
}

@Entity('templates')
@Check('CHK_templates_channel', `"channel" IN ('email', 'sms', 'whatsapp', 'voice')`)
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
  whatsapp: WhatsappTemplateSpec | null;

  @Column('jsonb', { nullable: true })
  voice: VoiceTemplateSpec | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
