import { Body, Controller, Delete, Get, Headers, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Req, Res, Sse } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  concat,
  defer,
  distinctUntilChanged,
  exhaustMap,
  finalize,
  from,
  map,
  merge,
  mergeMap,
  Observable,
  Subject,
  switchMap,
  takeUntil,
  takeWhile,
  timer,
} from 'rxjs';
import { CallEvent, CallEventsService } from './voice/call-events.service';
import { OrgId } from '../../common/auth/auth-context';
import { ApiErrors, AUTH_ERRORS, CSV_UPLOAD_ERRORS, JSON_BODY_ERRORS } from '../../common/http/api-errors';
import { ApiCsvUpload } from '../../common/http/api-csv-upload';
import { consumeCsvUpload } from '../../common/csv/csv-upload';
import { parseMapping } from '../leads/csv/lead-csv-mapping';
import { parseCampaignField } from './from-csv/campaign-from-csv.dto';
import { CampaignFromCsvService } from './from-csv/campaign-from-csv.service';
import { parseLimit } from '../../common/pagination/cursor';
import { MESSAGE_STATUSES } from '../messages/message-status';
import { Message } from '../messages/message.entity';
import { CampaignLaunchService } from './campaign-launch.service';
import { CampaignRetryService } from './campaign-retry.service';
import { CampaignProgressService, ProgressSnapshot } from './campaign-progress.service';
import { Campaign, CAMPAIGN_STATUSES } from './campaign.entity';
import { AudienceReview, CampaignReviewService } from './campaign-review.service';
import { AudiencePreviewDto, CreateCampaignDto, RetryCampaignDto, UpdateCampaignDto } from './campaigns.dto';
import {
  AudienceReviewResponse,
  CampaignLaunchResponse,
  CampaignPageResponse,
  CampaignProgressResponse,
  CampaignFromCsvResponse,
  CampaignResponse,
  CampaignRetryResponse,
  MessagePageResponse,
} from './campaigns.responses';
import { CampaignsService } from './campaigns.service';

const TERMINAL = new Set(['completed', 'cancelled']);

export function presentMessage(m: Message) {
  return {
    id: m.id,
    leadId: m.leadId,
    stepId: m.stepId,
    position: m.position,
    channel: m.channel,
    to: m.toAddress,
    status: m.status,
    skipReason: m.skipReason,
    providerMessageId: m.providerMessageId,
    errorCode: m.errorCode,
    errorMessage: m.errorMessage,
    attempts: m.attempts,
    dueAt: m.dueAt,
    sentAt: m.sentAt,
    deliveredAt: m.deliveredAt,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
  };
}

@ApiTags('campaigns')
@ApiBearerAuth()
@ApiErrors(AUTH_ERRORS)
@Controller('campaigns')
export class CampaignsController {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly launcher: CampaignLaunchService,
    private readonly progress: CampaignProgressService,
    private readonly review: CampaignReviewService,
    private readonly retrier: CampaignRetryService,
    private readonly callEvents: CallEventsService,
    private readonly fromCsvService: CampaignFromCsvService,
  ) {}

  private async present(c: Campaign, snapshot?: ProgressSnapshot) {
    const steps = await this.campaigns.steps(c.organizationId, c.id);
    const variants = await this.campaigns.variants(c.organizationId, steps);
    const live = snapshot ?? (await this.progress.snapshot(c.organizationId, c.id));
    return {
      id: c.id,
      name: c.name,
      type: c.type,
      status: c.status,
      statusReason: c.statusReason,
      sender: c.senderChannelId ? { channelId: c.senderChannelId } : { emailAccountId: c.senderEmailAccountId },
      audience: c.audience,
      trigger: c.trigger,
      settings: c.settings,
      steps: steps.map((s) => ({
        id: s.id,
        position: s.position,
        channel: s.channel,
        templateId: s.templateId,
        delaySeconds: s.delaySeconds,
        condition: s.condition,
        ...((s.senderChannelId || s.senderEmailAccountId) && {
          sender: s.senderChannelId ? { channelId: s.senderChannelId } : { emailAccountId: s.senderEmailAccountId },
        }),
        variants: (variants.get(s.id) ?? []).map((v) => ({ id: v.id, label: v.label, templateId: v.templateId, percent: v.percent })),
        abTest: s.abTest,
        winnerVariantId: s.winnerVariantId,
        decidedAt: s.decidedAt ? new Date(s.decidedAt).toISOString() : null,
      })),
      audienceSize: live.audienceSize,
      materialized: live.materialized,
      counts: live.counts,
      launchedAt: c.launchedAt,
      completedAt: c.completedAt,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
    };
  }

  @Post()
  @ApiOperation({ summary: 'Create a draft campaign: a sender, an audience and 1 (blast) to 20 (sequence) steps' })
  @ApiCreatedResponse({ type: CampaignResponse })
  @ApiErrors(JSON_BODY_ERRORS)
  async create(@OrgId() orgId: string, @Body() body: CreateCampaignDto) {
    return this.present(await this.campaigns.create(orgId, body));
  }

  @Post('from-csv')
  @ApiOperation({
    summary:
      'Start from a CSV in one request: import the file (as POST /leads/import) and create a draft campaign whose audience is exactly its valid rows',
  })
  @ApiCsvUpload({
    campaign: 'Required, before the file: the draft campaign as JSON, as the body of POST /campaigns without the audience',
    mapping: 'As for POST /leads/import',
    defaultCountry: 'As for POST /leads/import',
  })
  @ApiCreatedResponse({ type: CampaignFromCsvResponse })
  // validation_failed: the campaign field (JSON, sender, steps, templates); csv_no_valid_rows / csv_audience_too_large: no campaign.
  @ApiErrors(CSV_UPLOAD_ERRORS, 'invalid_mapping', 'validation_failed', 'csv_no_valid_rows', 'csv_audience_too_large')
  async fromCsv(@OrgId() orgId: string, @Req() req: Request) {
    const { campaign, report } = await consumeCsvUpload(req, (csv, fields) =>
      this.fromCsvService.create(orgId, parseCampaignField(fields.campaign), csv, {
        mapping: parseMapping(fields.mapping),
        defaultCountry: fields.defaultCountry,
      }),
    );
    return { campaign: await this.present(campaign), import: report };
  }

  @Post('audience-preview')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Review before saving or launching: leads in the audience, messages that pass consent and suppression, skipped ones per reason (per step too), and the estimated duration at the pace of the campaign and its senders',
  })
  @ApiOkResponse({ type: AudienceReviewResponse })
  // validation_failed also names a sender that is not one of the organization's.
  @ApiErrors(JSON_BODY_ERRORS)
  audiencePreview(@OrgId() orgId: string, @Body() body: AudiencePreviewDto): Promise<AudienceReview> {
    return this.review.preview(orgId, body);
  }

  @Get()
  @ApiOperation({ summary: 'List campaigns, oldest first, with cursor pagination' })
  @ApiQuery({ name: 'status', required: false, enum: CAMPAIGN_STATUSES })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } })
  @ApiOkResponse({ type: CampaignPageResponse })
  @ApiErrors('validation_failed', 'invalid_cursor')
  async list(@OrgId() orgId: string, @Query('status') status?: string, @Query('cursor') cursor?: string, @Query('limit') limit?: string) {
    const page = await this.campaigns.list(orgId, status, cursor, parseLimit(limit));
    return { items: await Promise.all(page.items.map((c) => this.present(c))), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @ApiOperation({ summary: 'A campaign with live counters per message status' })
  @ApiOkResponse({ type: CampaignResponse })
  @ApiErrors('validation_failed', 'campaign_not_found')
  async get(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string) {
    return this.present(await this.campaigns.get(orgId, id));
  }

  @Get(':id/progress')
  @ApiOperation({ summary: 'Only the status and counters: cheap to poll, whatever the size of the audience' })
  @ApiOkResponse({ type: CampaignProgressResponse })
  @ApiErrors('validation_failed', 'campaign_not_found')
  progressOf(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string): Promise<ProgressSnapshot> {
    return this.progress.snapshot(orgId, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Edit a draft; the fields given replace the stored ones (steps as a whole)' })
  @ApiOkResponse({ type: CampaignResponse })
  @ApiErrors(JSON_BODY_ERRORS, 'campaign_not_found', 'campaign_not_editable')
  async update(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateCampaignDto) {
    return this.present(await this.campaigns.update(orgId, id, body));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a draft' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors('validation_failed', 'campaign_not_found', 'campaign_not_editable')
  async remove(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.campaigns.remove(orgId, id);
  }

  @Post(':id/launch')
  @ApiOperation({
    summary: 'Launch: answers 202 at once; enrollment and sending follow. A retry with the same Idempotency-Key answers the first answer.',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'At most 255 characters; a retry with the same key answers the stored first answer (202) instead of 409',
  })
  @ApiAcceptedResponse({
    type: CampaignLaunchResponse,
    description: 'Launched (or, for a retried Idempotency-Key, the first answer again)',
  })
  @ApiErrors(
    'validation_failed',
    'campaign_not_found',
    'campaign_invalid_transition',
    'idempotency_key_reused',
    'whatsapp_template_not_approved',
    'whatsapp_template_parameters_mismatch',
  )
  async launch(
    @OrgId() orgId: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const answer = await this.launcher.launch(orgId, id, key);
    res.status(answer.statusCode);
    return answer.body;
  }

  @Post(':id/retry')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Retry failed messages of a blast: only those whose error proves nothing reached the recipient (rate limits, template paused, undeliverable...), each queued once more as its next attempt; a completed campaign becomes active again',
  })
  @ApiOkResponse({ type: CampaignRetryResponse })
  @ApiErrors(JSON_BODY_ERRORS, 'campaign_not_found', 'campaign_not_retryable')
  retry(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string, @Body() body: RetryCampaignDto) {
    return this.retrier.retry(orgId, id, body.errorCodes?.length ? body.errorCodes : undefined);
  }

  @Post(':id/duplicate')
  @ApiOperation({ summary: 'A new draft with the same steps, audience, senders and settings, named "Copy of …" (from any status)' })
  @ApiCreatedResponse({ type: CampaignResponse, description: 'The new draft' })
  @ApiErrors('validation_failed', 'campaign_not_found')
  async duplicate(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string) {
    return this.present(await this.campaigns.duplicate(orgId, id));
  }

  @Post(':id/pause')
  @HttpCode(200)
  @ApiOperation({ summary: 'Pause an active or scheduled campaign: nothing more is sent until it is resumed' })
  @ApiOkResponse({ type: CampaignResponse })
  @ApiErrors('validation_failed', 'campaign_not_found', 'campaign_invalid_transition')
  async pause(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string) {
    return this.present(await this.campaigns.transition(orgId, id, 'pause'));
  }

  @Post(':id/resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume a paused campaign (scheduled again when its startAt is still to come)' })
  @ApiOkResponse({ type: CampaignResponse })
  @ApiErrors('validation_failed', 'campaign_not_found', 'campaign_invalid_transition')
  async resume(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string) {
    return this.present(await this.campaigns.transition(orgId, id, 'resume'));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a campaign for good (draft, scheduled, active or paused)' })
  @ApiOkResponse({ type: CampaignResponse })
  @ApiErrors('validation_failed', 'campaign_not_found', 'campaign_invalid_transition')
  async cancel(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string) {
    return this.present(await this.campaigns.transition(orgId, id, 'cancel'));
  }

  @Get(':id/messages')
  @ApiOperation({ summary: "The campaign's messages (one per lead and step) with their status, oldest first" })
  @ApiQuery({ name: 'status', required: false, enum: MESSAGE_STATUSES })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } })
  @ApiOkResponse({ type: MessagePageResponse })
  @ApiErrors('validation_failed', 'invalid_cursor', 'campaign_not_found')
  async messages(
    @OrgId() orgId: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Query('status') status?: string,
    @Query('cursor') cursor?: string,
    @Query('limit') limit?: string,
  ) {
    await this.campaigns.get(orgId, id);
    const page = await this.campaigns.listMessages(orgId, id, status, cursor, parseLimit(limit));
    return { items: page.items.map(presentMessage), nextCursor: page.nextCursor };
  }

  @Sse(':id/events')
  @ApiOperation({
    summary:
      'Server-sent events: the campaign status and counters, whenever they change; a voice campaign also sends `call` events ' +
      '(ringing, answered, completed with its duration...); ends when the campaign does',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description:
      "An event stream; each unnamed `data:` line is a CampaignProgressResponse as JSON, each `event: call` one call's progress " +
      '({ messageId, leadId, callSid, status, durationSeconds?, answeredBy?, at })',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @ApiErrors('validation_failed', 'campaign_not_found')
  async events(
    @OrgId() orgId: string,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<Observable<{ data: ProgressSnapshot } | { type: 'call'; data: CallEvent }>> {
    await this.campaigns.get(orgId, id);
    const voice = (await this.campaigns.steps(orgId, id)).some((s) => s.channel === 'voice');
    const done = new Subject<void>();
    const progress = timer(0, 1000).pipe(
      switchMap(() => from(this.progress.snapshot(orgId, id))),
      distinctUntilChanged((a, b) => JSON.stringify(a) === JSON.stringify(b)),
      takeWhile((s) => !TERMINAL.has(s.status), true),
      map((data) => ({ data })),
      finalize(() => done.next()),
    );
    if (!voice) return progress;
    const read = this.callEvents.reader(orgId, id);
    const polls = timer(500, 1000).pipe(
      takeUntil(done),
      exhaustMap(() => from(read())),
    );
    // The campaign completes on its last calls' final statuses, stored since the last poll: one more read sends them.
    const calls = concat(
      polls,
      defer(() => from(read())),
    ).pipe(
      mergeMap((events) => events),
      map((data) => ({ type: 'call' as const, data })),
    );
    return merge(progress, calls);
  }
}
