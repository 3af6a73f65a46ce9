import { Check, Column, Entity, Index } from 'typeorm';
import { OrgScopedEntity } from '../../database/org-scoped.entity';
import { CONSENT_CHANNELS, type ConsentChannel } from './lead.entity';

/**
 * "These recipients opted in": the statement an uploader makes for a whole file instead of a consent
 * column, kept with who made it and when (`created_at`), since it is what the consent of those leads rests on.
 */
@Entity('consent_confirmations')
@Check('CHK_consent_confirmations_channel', `"channel" IN (${CONSENT_CHANNELS.map((c) => `'${c}'`).join(', ')})`)
@Index('IDX_consent_confirmations_org_created', ['organizationId', 'createdAt', 'id'])
export class ConsentConfirmation extends OrgScopedEntity {
  @Column('text')
  channel: ConsentChannel;

  /** The person (web session) who confirmed, when a person did. */
  @Column('uuid', { name: 'confirmed_by_user_id', nullable: true })
  confirmedByUserId: string | null;

  /** The API key that confirmed, when a program did. */
  @Column('uuid', { name: 'confirmed_by_api_key_id', nullable: true })
  confirmedByApiKeyId: string | null;

  /** Rows the statement gave consent to (those without their own consent value), known once the import ends. */
  @Column('integer', { name: 'rows', default: 0 })
  rows: number;
}
