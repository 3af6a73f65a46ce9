import { Body, Controller, Get, Headers, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { OrgId } from '../../common/auth/auth-context';
import { ApiErrors, AUTH_ERRORS, JSON_BODY_ERRORS } from '../../common/http/api-errors';
import { parseLimit } from '../../common/pagination/cursor';
import { ATTRIBUTION_WINDOW_DAYS } from './attribution';
import { ConversionInputDto } from './conversions.dto';
import { ConversionPageResponse, ConversionResponse } from './conversions.responses';
import { ConversionsService, presentConversion } from './conversions.service';

@ApiTags('conversions')
@ApiBearerAuth()
@ApiErrors(AUTH_ERRORS)
@Controller('conversions')
export class ConversionsController {
  constructor(private readonly conversions: ConversionsService) {}

  @Post()
  @ApiOperation({
    summary: 'Record a conversion of a lead (by id, email or phone), attributed to the campaign message that earned it',
    description:
      `Last touch within ${ATTRIBUTION_WINDOW_DAYS} days before occurredAt: the lead's campaign message with the latest human open, click ` +
      "or reply, else its latest delivered one, else none. It counts in that campaign's conversions and revenue. With an idempotency key " +
      '(the Idempotency-Key header or idempotencyKey), a retry answers the first answer and records nothing.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'At most 255 characters; same as the idempotencyKey field' })
  @ApiCreatedResponse({ type: ConversionResponse, description: 'Recorded (or, for a retried key, the first answer again)' })
  @ApiErrors(JSON_BODY_ERRORS, 'lead_not_found', 'idempotency_key_reused')
  async record(
    @OrgId() orgId: string,
    @Body() body: ConversionInputDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const answer = await this.conversions.record(orgId, body, key);
    res.status(answer.statusCode);
    return answer.body;
  }

  @Get()
  @ApiOperation({ summary: 'List conversions, oldest recorded first, with cursor pagination' })
  @ApiQuery({ name: 'campaignId', required: false, description: 'Only those attributed to this campaign' })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } })
  @ApiOkResponse({ type: ConversionPageResponse })
  @ApiErrors('validation_failed', 'invalid_cursor')
  async list(
    @OrgId() orgId: string,
    @Query('campaignId', new ParseUUIDPipe({ optional: true })) campaignId?: string,
    @Query('cursor') cursor?: string,
    @Query('limit') limit?: string,
  ) {
    const page = await this.conversions.list(orgId, campaignId, cursor, parseLimit(limit));
    return { items: page.items.map(presentConversion), nextCursor: page.nextCursor };
  }
}
