import { Body, Controller, Get, Headers, HttpCode, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { OrgId } from '../../common/auth/auth-context';
import { AppError } from '../../common/errors/app-error';
import { ApiErrors, AUTH_ERRORS, JSON_BODY_ERRORS } from '../../common/http/api-errors';
import { parseLimit } from '../../common/pagination/cursor';
import { EventBatchDto, EventInputDto, MAX_BATCH_EVENTS } from './events.dto';
import { EventBatchResponse, EventNamesResponse, EventPageResponse, EventRecordResponse } from './events.responses';
import { EventsService } from './events.service';

@ApiTags('events')
@ApiBearerAuth()
@ApiErrors(AUTH_ERRORS)
@Controller('events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Post()
  @ApiOperation({
    summary: 'Record what a lead did (by id, email or phone); triggered campaigns enroll or release the lead at once',
    description:
      'Each active triggered campaign whose event and conditions match enrolls the lead (once, or again after its previous ' +
      "enrollment ended when the campaign allows re-entry); a leaving event ends the lead's enrollment and skips its remaining " +
      'steps. With an idempotency key (the Idempotency-Key header or idempotencyKey), a replay records nothing and answers ' +
      'the first event with `duplicate: true` (200).',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'At most 255 characters; same as the idempotencyKey field' })
  @ApiResponse({ status: 201, type: EventRecordResponse, description: 'Recorded, with what it did' })
  @ApiResponse({ status: 200, type: EventRecordResponse, description: 'A replay of a recorded idempotency key: nothing changed' })
  @ApiErrors(JSON_BODY_ERRORS, 'lead_not_found')
  async record(
    @OrgId() orgId: string,
    @Body() body: EventInputDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    if (key !== undefined && (key.length === 0 || key.length > 255))
      throw new AppError('validation_failed', 'Idempotency-Key must be 1 to 255 characters');
    const event = await this.events.record(orgId, body, key);
    res.status(event.duplicate ? 200 : 201);
    return event;
  }

  @Post('batch')
  @HttpCode(200)
  @ApiOperation({
    summary: `Record up to ${MAX_BATCH_EVENTS} events at once (what the n8n Cadence Event node sends)`,
    description:
      'Each event is checked and recorded on its own, in order: a bad one is reported in `results` (validation_failed, ' +
      'lead_not_found) and the others are kept.',
  })
  @ApiOkResponse({ type: EventBatchResponse })
  @ApiErrors(JSON_BODY_ERRORS)
  recordBatch(@OrgId() orgId: string, @Body() body: EventBatchDto) {
    return this.events.recordBatch(orgId, body.events);
  }

  @Get()
  @ApiOperation({ summary: 'Recent events, newest first, with their leads (cursor pagination)' })
  @ApiQuery({ name: 'name', required: false, description: 'Only events of this name' })
  @ApiQuery({ name: 'leadId', required: false, description: "Only this lead's events" })
  @ApiQuery({
    name: 'campaignId',
    required: false,
    description: 'Only events that enrolled a lead in, or ended an enrollment of, this campaign',
  })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } })
  @ApiOkResponse({ type: EventPageResponse })
  @ApiErrors('validation_failed', 'invalid_cursor')
  list(
    @OrgId() orgId: string,
    @Query('name') name?: string,
    @Query('leadId', new ParseUUIDPipe({ optional: true })) leadId?: string,
    @Query('campaignId', new ParseUUIDPipe({ optional: true })) campaignId?: string,
    @Query('cursor') cursor?: string,
    @Query('limit') limit?: string,
  ) {
    if (name !== undefined && (typeof name !== 'string' || name.length > 100))
      throw new AppError('validation_failed', 'name is at most 100 characters');
    return this.events.list(orgId, { name, leadId, campaignId }, cursor, parseLimit(limit));
  }

  @Get('names')
  @ApiOperation({ summary: 'Event names received in the last 30 days, most frequent first (for building triggers)' })
  @ApiOkResponse({ type: EventNamesResponse })
  async names(@OrgId() orgId: string) {
    return { items: await this.events.names(orgId) };
  }
}
