import { Body, Controller, Delete, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OrgId } from '../../common/auth/auth-context';
import { ApiErrors, AUTH_ERRORS, JSON_BODY_ERRORS } from '../../common/http/api-errors';
import { AiDraftingService } from './ai-drafting.service';
import { AiSettingsResponse, DraftTemplateDto, PutAiSettingsDto, TemplateDraftResponse } from './ai-drafting.dto';
import { AiSettingsService } from './ai-settings.service';

@ApiTags('templates')
@ApiBearerAuth()
@ApiErrors(AUTH_ERRORS)
@Controller('templates')
export class TemplateDraftController {
  constructor(private readonly drafting: AiDraftingService) {}

  @Post('draft')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Draft a template with the organization's AI provider (Settings > AI provider): a new draft from a goal for a channel, or an action (rewrite, shorten, variant) on an existing draft. The answer is a template's channel fields, validated like a save; nothing is saved or sent",
  })
  @ApiOkResponse({ type: TemplateDraftResponse })
  @ApiErrors(
    JSON_BODY_ERRORS,
    'ai_not_configured',
    'ai_base_url_refused',
    'ai_provider_unauthorized',
    'ai_provider_rate_limited',
    'ai_provider_error',
    'ai_provider_timeout',
    'ai_draft_invalid',
    'secret_decryption_failed',
  )
  draft(@OrgId() orgId: string, @Body() body: DraftTemplateDto) {
    return this.drafting.draft(orgId, body);
  }
}

@ApiTags('settings')
@ApiBearerAuth()
@ApiErrors(AUTH_ERRORS)
@Controller('settings/ai')
export class AiSettingsController {
  constructor(private readonly settings: AiSettingsService) {}

  @Get()
  @ApiOperation({ summary: "The organization's AI provider for template drafting; the key is never answered (hasKey)" })
  @ApiOkResponse({ type: AiSettingsResponse })
  getAiProvider(@OrgId() orgId: string) {
    return this.settings.get(orgId);
  }

  @Put()
  @ApiOperation({
    summary:
      'Set the AI provider (an OpenAI-compatible chat completions API): base URL, model and API key (write-only, sealed at rest; leave it out to keep the stored one)',
  })
  @ApiOkResponse({ type: AiSettingsResponse })
  @ApiErrors(JSON_BODY_ERRORS, 'ai_base_url_refused')
  putAiProvider(@OrgId() orgId: string, @Body() body: PutAiSettingsDto) {
    return this.settings.put(orgId, body);
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove the AI provider and its key' })
  @ApiNoContentResponse({ description: 'Removed (or there was none)' })
  async deleteAiProvider(@OrgId() orgId: string): Promise<void> {
    await this.settings.remove(orgId);
  }
}
