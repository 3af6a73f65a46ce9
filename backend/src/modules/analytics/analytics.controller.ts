import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { OrgId } from '../../common/auth/auth-context';
import { ApiErrors, AUTH_ERRORS } from '../../common/http/api-errors';
import { DEFAULT_RANGE_DAYS, MAX_RANGE_DAYS, parseBucket, parseRange } from './analytics-range';
import { CampaignAnalyticsResponse, OrganizationAnalyticsResponse } from './analytics.responses';
import { AnalyticsService } from './analytics.service';
import { BURST_SECONDS, CLICK_MIN_SECONDS, OPEN_MIN_SECONDS } from '../tracking/machine-traffic';

/** What the counts mean; the same text in docs/architecture.md ("Analytics"). */
const RULES =
  'Counts are maintained as events arrive (replayed or late events change nothing). Opens, clicks, replies, unsubscribes, complaints, reads, ' +
  'bounces and answered calls count each message once. Rates are over delivered messages. Machine opens and clicks are recorded but ' +
  `left out of opened/clicked and counted in machineOpened/machineClicked: a HEAD request; a known security scanner, link checker or HTTP ` +
  `library user agent; an open with no user agent or exactly "Mozilla/5.0" (the Apple Mail Privacy Protection proxy); an open within ` +
  `${OPEN_MIN_SECONDS} s or a click within ${CLICK_MIN_SECONDS} s of sending; a click on another link of the same message within ` +
  `${BURST_SECONDS} s of the previous one. Replies are human ones (auto-replies are a separate event type). Conversions are attributed ` +
  'by POST /api/v1/conversions.';

@ApiTags('analytics')
@ApiBearerAuth()
@ApiErrors(AUTH_ERRORS)
@Controller()
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsService) {}

  @Get('campaigns/:id/analytics')
  @ApiOperation({
    summary: 'Engagement of a campaign: totals, rates, per step, channel and template, skipped per reason, revenue and a time series',
    description: RULES,
  })
  @ApiQuery({ name: 'bucket', required: false, enum: ['hour', 'day'], description: 'Time series bucket (UTC); default day' })
  @ApiOkResponse({ type: CampaignAnalyticsResponse })
  @ApiErrors('validation_failed', 'campaign_not_found')
  campaign(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string, @Query('bucket') bucket?: string) {
    return this.analytics.campaign(orgId, id, parseBucket(bucket, 'day'));
  }

  @Get('analytics')
  @ApiOperation({
    summary: 'Engagement of the organization over a range: totals, rates, per campaign and channel, and a time series',
    description: `${RULES} The range is [from, to), by default the last ${DEFAULT_RANGE_DAYS} days; it spans at most ${MAX_RANGE_DAYS.hour} days with bucket=hour and ${MAX_RANGE_DAYS.day} with bucket=day (else 400 invalid_range).`,
  })
  @ApiQuery({ name: 'from', required: false, description: 'ISO 8601 date or time, inclusive' })
  @ApiQuery({ name: 'to', required: false, description: 'ISO 8601 date or time, exclusive; default now' })
  @ApiQuery({ name: 'bucket', required: false, enum: ['hour', 'day'], description: 'Default day' })
  @ApiOkResponse({ type: OrganizationAnalyticsResponse })
  @ApiErrors('validation_failed', 'invalid_range')
  organization(@OrgId() orgId: string, @Query('from') from?: string, @Query('to') to?: string, @Query('bucket') rawBucket?: string) {
    const bucket = parseBucket(rawBucket, 'day');
    const range = parseRange(from, to, bucket);
    return this.analytics.organization(orgId, range.from, range.to, bucket);
  }
}
