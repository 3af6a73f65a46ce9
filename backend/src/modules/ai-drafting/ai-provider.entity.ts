import { Check, Column, Entity, Index, UpdateDateColumn } from 'typeorm';
import { ENVELOPE_PATTERN } from '../../common/crypto/secret-box';
import { OrgScopedEntity } from '../../database/org-scoped.entity';

/**
 * The organization's AI provider for template drafting: an OpenAI-compatible chat completions API.
 * One per organization. The key is sealed like channel secrets (AES-256-GCM bound to the organization)
 * and never leaves the backend except in the Authorization header of the provider call.
 */
@Entity('ai_providers')
// The database itself refuses anything but an encryption envelope, so no code path can store plaintext.
@Check('CHK_ai_providers_api_key_sealed', `"api_key" ~ '${ENVELOPE_PATTERN}'`)
@Index('UQ_ai_providers_organization', ['organizationId'], { unique: true })
export class AiProvider extends OrgScopedEntity {
  /** e.g. https://api.openai.com/v1: requests go to `${baseUrl}/chat/completions`. */
  @Column('text', { name: 'base_url' })
  baseUrl: string;

  @Column('text')
  model: string;

  /** AES-256-GCM envelope of the API key, bound to the organization. */
  @Column('text', { name: 'api_key' })
  apiKey: string;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
