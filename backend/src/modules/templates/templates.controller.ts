import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { OrgId } from '../../common/auth/auth-context';
import { ApiErrors, AUTH_ERRORS, JSON_BODY_ERRORS } from '../../common/http/api-errors';
import { parseLimit } from '../../common/pagination/cursor';
import { TEMPLATE_CHANNELS } from './template.entity';
import { CreateTemplateDto, PreviewDraftTemplateDto, PreviewTemplateDto, UpdateTemplateDto } from './templates.dto';
import { TemplatePageResponse, TemplatePreviewResponse, TemplateResponse } from './templates.responses';
import { present, TemplatesService } from './templates.service';

@ApiTags('templates')
@ApiBearerAuth()
@ApiErrors(AUTH_ERRORS)
@Controller('templates')
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  @Post()
  @ApiOperation({ summary: 'Create a template (Liquid). A syntax error answers 422 template_invalid naming field, line and column.' })
  @ApiCreatedResponse({ type: TemplateResponse })
  @ApiErrors(JSON_BODY_ERRORS, 'template_invalid')
  async create(@OrgId() orgId: string, @Body() body: CreateTemplateDto) {
    return present(await this.templates.create(orgId, body));
  }

  @Get()
  @ApiOperation({ summary: 'List templates, oldest first, with cursor pagination' })
  @ApiQuery({ name: 'channel', required: false, enum: TEMPLATE_CHANNELS })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } })
  @ApiOkResponse({ type: TemplatePageResponse })
  @ApiErrors('validation_failed', 'invalid_cursor')
  async list(@OrgId() orgId: string, @Query('channel') channel?: string, @Query('cursor') cursor?: string, @Query('limit') limit?: string) {
    const page = await this.templates.list(orgId, channel, cursor, parseLimit(limit));
    return { items: page.items.map(present), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @ApiOperation({ summary: 'A template' })
  @ApiOkResponse({ type: TemplateResponse })
  @ApiErrors('validation_failed', 'template_not_found')
  async get(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string) {
    return present(await this.templates.get(orgId, id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a template; the fields given replace the stored ones' })
  @ApiOkResponse({ type: TemplateResponse })
  @ApiErrors(JSON_BODY_ERRORS, 'template_not_found', 'template_invalid')
  async update(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateTemplateDto) {
    return present(await this.templates.update(orgId, id, body));
  }

  @Post('preview')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Render an unsaved template (its channel fields, no name) against a stored lead (leadId), given lead data (lead), or sample data. Validated like a save: a Liquid error answers 422 template_invalid with field, line and column',
  })
  @ApiOkResponse({ type: TemplatePreviewResponse })
  @ApiErrors(JSON_BODY_ERRORS, 'template_invalid', 'lead_not_found', 'template_render_failed')
  previewDraft(@OrgId() orgId: string, @Body() body: PreviewDraftTemplateDto) {
    return this.templates.previewDraft(orgId, body);
  }

  @Post(':id/preview')
  @HttpCode(200)
  @ApiOperation({ summary: 'Render against a stored lead (leadId), given lead data (lead), or sample data' })
  @ApiOkResponse({ type: TemplatePreviewResponse })
  @ApiErrors(JSON_BODY_ERRORS, 'template_not_found', 'lead_not_found', 'template_render_failed')
  preview(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string, @Body() body: PreviewTemplateDto) {
    return this.templates.preview(orgId, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a template' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors('validation_failed', 'template_not_found', 'resource_in_use')
  async remove(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.templates.remove(orgId, id);
  }
}
