import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SecretBox } from '../../common/crypto/secret-box';
import { AppError } from '../../common/errors/app-error';
import { ProviderUrlPolicy } from '../channels/provider-url.policy';
import { AiProvider } from './ai-provider.entity';
import { AiSettingsResponse, PutAiSettingsDto } from './ai-drafting.dto';
import type { ProviderConfig } from './chat-completions.client';

/** Ciphertexts are bound to their organization: a row copied into another tenant cannot be opened. */
const aad = (organizationId: string) => `ai_providers:${organizationId}`;

/** The organization's AI provider (base URL, model, sealed key): one row per organization. */
@Injectable()
export class AiSettingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly box: SecretBox,
    private readonly urls: ProviderUrlPolicy,
  ) {}

  private get repo() {
    return this.dataSource.getRepository(AiProvider);
  }

  async get(organizationId: string): Promise<AiSettingsResponse> {
    return present(await this.repo.findOneBy({ organizationId }));
  }

  /** Saves the settings; a missing apiKey keeps the stored one (the form never shows it), and is required the first time. */
  async put(organizationId: string, input: PutAiSettingsDto): Promise<AiSettingsResponse> {
    const baseUrl = input.baseUrl.trim().replace(/\/+$/, '');
    await this.urls.checkAi(baseUrl);
    const current = await this.repo.findOneBy({ organizationId });
    if (!current && !input.apiKey)
      throw new AppError('validation_failed', 'apiKey is required the first time the AI provider is set up', [
        { field: 'apiKey', message: 'apiKey is required' },
      ]);
    const apiKey = input.apiKey ? this.box.seal(input.apiKey, aad(organizationId)) : current!.apiKey;
    if (current) await this.repo.update({ organizationId }, { baseUrl, model: input.model.trim(), apiKey });
    else await this.repo.insert({ organizationId, baseUrl, model: input.model.trim(), apiKey });
    return this.get(organizationId);
  }

  async remove(organizationId: string): Promise<void> {
    await this.repo.delete({ organizationId });
  }

  /** The configuration with its key opened, for one provider call; the URL is checked again (DNS may have changed). */
  async open(organizationId: string): Promise<ProviderConfig> {
    const row = await this.repo.findOneBy({ organizationId });
    if (!row)
      throw new AppError(
        'ai_not_configured',
        'No AI provider is set up for this organization: add one in Settings (PUT /api/v1/settings/ai)',
      );
    await this.urls.checkAi(row.baseUrl);
    return { baseUrl: row.baseUrl, model: row.model, apiKey: this.box.open(row.apiKey, aad(organizationId)) };
  }
}

function present(row: AiProvider | null): AiSettingsResponse {
  return {
    configured: row !== null,
    baseUrl: row?.baseUrl ?? null,
    model: row?.model ?? null,
    hasKey: row !== null,
    updatedAt: row?.updatedAt ?? null,
  };
}
