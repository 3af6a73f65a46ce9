import { CHANNELS } from '@cadence/contracts';
import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { OrgId } from '../../common/auth/auth-context';
import { AppError } from '../../common/errors/app-error';
import { parseLimit } from '../../common/pagination/cursor';
import { PreviewInput, present, TemplateInput, TemplatesService } from './templates.service';

const TEMPLATE_BODY = {
  schema: {
    type: 'object',
    required: ['name', 'channel'],
    properties: {
      name: { type: 'string' },
      channel: { type: 'string', enum: [...CHANNELS] },
      subject: { type: 'string', example: 'Hi {{ lead.first_name | default: "there" }}' },
      html: { type: 'string' },
      text: { type: 'string' },
      body: { type: 'string', description: 'SMS text' },
      whatsapp: { type: 'object', properties: { name: { type: 'string' }, language: { type: 'string' }, parameters: { type: 'array', items: { type: 'string' } } } },
      voice: { type: 'object', properties: { mode: { type: 'string', enum: ['say', 'agent'] }, script: { type: 'string' }, streamUrl: { type: 'string' } } },
    },
  },
};

@ApiTags('templates')
@ApiBearerAuth()
@Controller('templates')
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  @Post()
  @ApiOperation({ summary: 'Create a template (Liquid). A syntax error answers 422 template_invalid naming field, line and column.' })
  @ApiBody(TEMPLATE_BODY)
  async create(@OrgId() orgId: string, @Body() body: TemplateInput) {
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
  @ApiBody(TEMPLATE_BODY)
  async update(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string, @Body() body: TemplateInput) {
    return present(await this.templates.update(orgId, id, body));
  }

  @Post(':id/preview')
  @HttpCode(200)
  @ApiOperation({ summary: 'Render against a stored lead (leadId), given lead data (lead), or sample data' })
  @ApiBody({ schema: { type: 'object', properties: { leadId: { type: 'string', format: 'uuid' }, lead: { type: 'object' } } } })
  preview(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string, @Body() body: PreviewInput = {}) {
    if (body.leadId !== undefined && (typeof body.leadId !== 'string' || !/^[0-9a-f-]{36}$/i.test(body.leadId))) throw new AppError('validation_failed', 'leadId must be a UUID');
    if (body.lead !== undefined && (typeof body.lead !== 'object' || body.lead === null || Array.isArray(body.lead))) throw new AppError('validation_failed', 'lead must be an object');
    return this.templates.preview(orgId, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.templates.remove(orgId, id);
  }
}
