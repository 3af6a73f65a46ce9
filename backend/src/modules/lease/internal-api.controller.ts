import {
  HandoffRequestSchema,
  LeaseRequestSchema,
  parseContract,
  ResultsRequestSchema,
  SendingRequestSchema,
  type ContractSchema,
  type HandoffAnswer,
  type LeaseResponse,
  type PingAnswer,
  type ResultsAnswer,
  type RunRead,
  type SendingAnswer,
} from '@cadence/contracts';
import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../../common/auth/public.decorator';
import { AppError } from '../../common/errors/app-error';
import { CampaignProgressService } from '../campaigns/campaign-progress.service';
import { InternalTokenGuard } from './internal-token.guard';
import { LeaseService } from './lease.service';
import { ReportService } from './report.service';

/** A request body checked against its @cadence/contracts schema; the answer names where it fails. */
function parseBody<T>(schema: ContractSchema<T>, body: unknown): T {
  const parsed = parseContract(schema, body ?? {});
  if (parsed.ok) return parsed.data;
  throw new AppError('validation_failed', parsed.message, { issues: parsed.issues });
}

/** The API the n8n nodes call (docs/internal-api.md, shapes in @cadence/contracts); not part of the public contract. */
@ApiExcludeController()
@Public()
@UseGuards(InternalTokenGuard)
@Controller('internal/v1')
export class InternalApiController {
  constructor(
    private readonly leases: LeaseService,
    private readonly reports: ReportService,
    private readonly progress: CampaignProgressService,
  ) {}

  @Get('ping')
  ping(): PingAnswer {
    return { ok: true, version: '0.1.0' };
  }

  @Get('runs/:runId')
  async run(@Param('runId', ParseUUIDPipe) runId: string): Promise<RunRead> {
    const run = await this.leases.findRun(runId);
    const { status, counts } = await this.progress.snapshot(run.organizationId, run.campaignId);
    return {
      runId: run.id,
      campaignId: run.campaignId,
      organizationId: run.organizationId,
      shard: run.shard,
      status: run.finishedAt && status === 'active' ? 'finished' : status,
      counts,
    };
  }

  @Post('runs/:runId/lease')
  @HttpCode(200)
  lease(@Param('runId', ParseUUIDPipe) runId: string, @Body() body: unknown): Promise<LeaseResponse> {
    const { max } = parseBody(LeaseRequestSchema, body);
    return this.leases.lease(runId, max);
  }

  /** The execution stops leasing while work may remain (iteration limit, long quota wait): start the next run now. */
  @Post('runs/:runId/handoff')
  @HttpCode(200)
  async handoff(@Param('runId', ParseUUIDPipe) runId: string, @Body() body: unknown): Promise<HandoffAnswer> {
    parseBody(HandoffRequestSchema, body);
    await this.leases.handoff(runId);
    return { ok: true };
  }

  @Post('runs/:runId/sending')
  @HttpCode(200)
  sending(@Param('runId', ParseUUIDPipe) runId: string, @Body() body: unknown): Promise<SendingAnswer> {
    const { leaseId, messageIds } = parseBody(SendingRequestSchema, body);
    return this.reports.markSending(runId, leaseId, messageIds);
  }

  @Post('runs/:runId/results')
  @HttpCode(200)
  results(
    @Param('runId', ParseUUIDPipe) runId: string,
    @Headers('idempotency-key') key: string | undefined,
    @Body() body: unknown,
  ): Promise<ResultsAnswer> {
    const { leaseId, results } = parseBody(ResultsRequestSchema, body);
    return this.reports.report(runId, leaseId, results, key);
  }
}
