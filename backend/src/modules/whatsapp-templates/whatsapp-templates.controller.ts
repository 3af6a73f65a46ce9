import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { isUUID } from 'class-validator';
import { OrgId } from '../../common/auth/auth-context';
import { AppError } from '../../common/errors/app-error';
import { ApiErrors, AUTH_ERRORS, JSON_BODY_ERRORS } from '../../common/http/api-errors';
import { parseLimit } from '../../common/pagination/cursor';
import { WHATSAPP_TEMPLATE_STATUSES } from './whatsapp-template.entity';
import { presentWhatsappTemplate, sampleCsv } from './whatsapp-template.presenter';
import { WhatsappTemplateSyncDto } from './whatsapp-templates.dto';
import { WhatsappTemplatePageResponse, WhatsappTemplateResponse, WhatsappTemplateSyncResponse } from './whatsapp-templates.responses';
import { WhatsappTemplatesService } from './whatsapp-templates.service';

function filterOf(q: Record<string, string | undefined>): { channelId?: string; status?: string } {
  if (q.channelId && !isUUID(q.channelId))
    throw new AppError('validation_failed', 'channelId must be a UUID', [{ field: 'channelId', message: 'must be a UUID' }]);
  if (q.status && !(WHATSAPP_TEMPLATE_STATUSES as readonly string[]).includes(q.status))
    throw new AppError('validation_failed', `status must be one of ${WHATSAPP_TEMPLATE_STATUSES.join(', ')}`, [
      { field: 'status', message: 'unknown status' },
    ]);
  return { ...(q.channelId ? { channelId: q.channelId } : {}), ...(q.status ? { status: q.status } : {}) };
}

@ApiTags('whatsapp')
@ApiBearerAuth()
@ApiErrors(AUTH_ERRORS)
@Controller('whatsapp/templates')
export class WhatsappTemplatesController {
  constructor(private readonly templates: WhatsappTemplatesService) {}

  @Get()
  @ApiOperation({ summary: 'The message templates synced from Meta, every status; only APPROVED ones (sendable) can be sent' })
  @ApiQuery({ name: 'channelId', required: false, schema: { type: 'string', format: 'uuid' } })
  @ApiQuery({ name: 'status', required: false, enum: WHATSAPP_TEMPLATE_STATUSES })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } })
  @ApiOkResponse({ type: WhatsappTemplatePageResponse })
  @ApiErrors('validation_failed', 'invalid_cursor')
  async list(@OrgId() orgId: string, @Query() q: Record<string, string | undefined>) {
    const page = await this.templates.list(orgId, filterOf(q), q.cursor, parseLimit(q.limit));
    return { items: page.items.map(presentWhatsappTemplate), nextCursor: page.nextCursor };
  }

  @Post('sync')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Re-read the templates of the channels' business accounts from Meta (also done periodically); a template now paused, rejected or deleted pauses the active campaigns sending it",
  })
  @ApiOkResponse({ type: WhatsappTemplateSyncResponse })
  @ApiErrors(JSON_BODY_ERRORS, 'channel_not_found', 'whatsapp_account_missing', 'whatsapp_sync_failed', 'channel_base_url_refused')
  async sync(@OrgId() orgId: string, @Body() body: WhatsappTemplateSyncDto): Promise<WhatsappTemplateSyncResponse> {
    return { channels: await this.templates.sync(orgId, body.channelId) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'A template with its components and the placeholders a send must fill' })
  @ApiOkResponse({ type: WhatsappTemplateResponse })
  @ApiErrors('validation_failed', 'whatsapp_template_not_found')
  async get(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string) {
    return presentWhatsappTemplate(await this.templates.get(orgId, id));
  }

  @Get(':id/sample.csv')
  @ApiOperation({
    summary:
      'A sample recipients file for this template: country_code, phone_number, first_name, whatsapp_opt_in, then one column per placeholder (header_param_N, body_param_N, button_url_param…)',
  })
  @ApiOkResponse({ description: 'A CSV attachment with two example rows', content: { 'text/csv': { schema: { type: 'string' } } } })
  @ApiErrors('validation_failed', 'whatsapp_template_not_found')
  async sample(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response): Promise<void> {
    const template = await this.templates.get(orgId, id);
    res.status(200);
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="${template.name}-${template.language}-sample.csv"`);
    res.send(sampleCsv(template));
  }
}
