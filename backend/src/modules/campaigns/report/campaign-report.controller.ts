import { Controller, Get, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { OrgId } from '../../../common/auth/auth-context';
import { AppError } from '../../../common/errors/app-error';
import { ApiErrors, AUTH_ERRORS } from '../../../common/http/api-errors';
import { MESSAGE_STATUSES, MessageStatus } from '../../messages/message-status';
import { presentMessage } from '../campaigns.controller';
import { CampaignsService } from '../campaigns.service';
import { CampaignExportService } from './campaign-export.service';
import { MessageEventsResponse, StepCountsPageResponse, TimelineResponse } from './campaign-report.responses';
import { CampaignStepCountsService } from './campaign-step-counts.service';
import { CampaignTimelineService, TIMELINE_BUCKETS, TimelineBucket } from './campaign-timeline.service';
import { MessageEventsService } from './message-events.service';

function messageStatus(raw: string | undefined): MessageStatus | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!(MESSAGE_STATUSES as readonly string[]).includes(raw))
    throw new AppError('validation_failed', `status must be one of ${MESSAGE_STATUSES.join(', ')}`, [
      { field: 'status', message: 'unknown status' },
    ]);
  return raw as MessageStatus;
}

/** What the campaign page reads beyond the campaign itself: charts, per-step counts, one message's events, the export. */
@ApiTags('campaigns')
@ApiBearerAuth()
@ApiErrors(AUTH_ERRORS)
@Controller('campaigns')
export class CampaignReportController {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly timelines: CampaignTimelineService,
    private readonly stepCounts: CampaignStepCountsService,
    private readonly events: MessageEventsService,
    private readonly exporter: CampaignExportService,
  ) {}

  @Get(':id/timeline')
  @ApiOperation({ summary: 'Sends, deliveries and failures per minute, hour or day (UTC buckets, at most 1,440, the latest when more)' })
  @ApiQuery({ name: 'bucket', required: false, enum: Object.keys(TIMELINE_BUCKETS) })
  @ApiOkResponse({ type: TimelineResponse })
  @ApiErrors('validation_failed', 'campaign_not_found')
  timeline(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string, @Query('bucket') bucket = 'hour') {
    if (!(bucket in TIMELINE_BUCKETS))
      throw new AppError('validation_failed', `bucket must be one of ${Object.keys(TIMELINE_BUCKETS).join(', ')}`, [
        { field: 'bucket', message: 'unknown bucket' },
      ]);
    return this.timelines.timeline(orgId, id, bucket as TimelineBucket);
  }

  @Get(':id/step-counts')
  @ApiOperation({ summary: 'Messages per step and status (a sequence’s funnel)' })
  @ApiOkResponse({ type: StepCountsPageResponse })
  @ApiErrors('validation_failed', 'campaign_not_found')
  async byStep(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string) {
    await this.campaigns.get(orgId, id);
    return { items: await this.stepCounts.byStep(orgId, id) };
  }

  @Get(':id/messages/:messageId/events')
  @ApiOperation({ summary: 'One recipient’s message with its provider and tracking events (type, time, payload summary)' })
  @ApiOkResponse({ type: MessageEventsResponse })
  @ApiErrors('validation_failed', 'message_not_found')
  async messageEvents(
    @OrgId() orgId: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('messageId', ParseUUIDPipe) messageId: string,
  ) {
    const { message, events } = await this.events.ofMessage(orgId, id, messageId);
    return { message: presentMessage(message), events };
  }

  @Get(':id/messages.csv')
  @ApiOperation({ summary: 'The recipients as CSV (all, or one status), streamed: any size, constant memory' })
  @ApiOkResponse({
    description: 'A CSV attachment, one row per recipient message, formula-leading cells neutralized',
    content: { 'text/csv': { schema: { type: 'string' } } },
  })
  @ApiErrors('validation_failed', 'campaign_not_found')
  @ApiQuery({ name: 'status', required: false, enum: MESSAGE_STATUSES })
  async exportCsv(
    @OrgId() orgId: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Res() res: Response,
    @Query('status') rawStatus?: string,
  ): Promise<void> {
    const status = messageStatus(rawStatus);
    const campaign = await this.campaigns.get(orgId, id);
    const slug =
      campaign.name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '')
        .slice(0, 60) || 'campaign';
    const filename = `${slug}-recipients${status ? `-${status}` : ''}.csv`;
    res.status(200);
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="${filename}"`);
    res.setHeader('cache-control', 'no-store');
    // A failure after the first bytes cannot become an error answer: the connection is cut, so the file is visibly incomplete.
    await pipeline(this.exporter.stream(orgId, id, status), res).catch(() => res.destroy());
  }
}
