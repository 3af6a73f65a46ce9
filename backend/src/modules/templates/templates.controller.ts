import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { OrgId } from '../../common/auth/auth-context';
import { parseLimit } from '../../common/pagination/cursor';
import { CreateTemplateDto, PreviewDraftTemplateDto, PreviewTemplateDto, UpdateTemplateDto } from './templates.dto';
import { present, TemplatesService } from './templates.service';

@ApiTags('templates')
@ApiBearerAuth()
@Controller('templates')
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  @Post()
  @ApiOperation({ summary: 'Create a template (Liquid). A syntax error answers 422 template_invalid naming field, line and column.' })
  async create(@OrgId() orgId: string, @Body() body: CreateTemplateDto) {
    return present(await this.templates.create(orgId, body));
  }

  @Get()
  @ApiQuery({ name: 'channel', required: false })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false })
  async list(@OrgId() orgId: string, @Query('channel') channel?: string, @Query('cursor') cursor?: string, @Query('limit') limit?: string) {
    const page = await this.templates.list(orgId, channel, cursor, parseLimit(limit));
    return { items: page.items.map(present), nextCursor: page.nextCursor };
  }

  @Get(':id')
  async get(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string) {
    return present(await this.templates.get(orgId, id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a template; the fields given replace the stored ones' })
  async update(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateTemplateDto) {
    return present(await this.templates.update(orgId, id, body));
  }

  @Post('preview')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Render an unsaved template (its channel fields, no name) against a stored lead (leadId), given lead data (lead), or sample data. Validated like a save: a Liquid error answers 422 template_invalid with field, line and column',
  })
  previewDraft(@OrgId() orgId: string, @Body() body: PreviewDraftTemplateDto) {
    return this.templates.previewDraft(orgId, body);
  }

  @Post(':id/preview')
  @HttpCode(200)
  @ApiOperation({ summary: 'Render against a stored lead (leadId), given lead data (lead), or sample data' })
  preview(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string, @Body() body: PreviewTemplateDto) {
    return this.templates.preview(orgId, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.templates.remove(orgId, id);
  }
}
