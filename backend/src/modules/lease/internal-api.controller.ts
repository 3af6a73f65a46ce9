import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../../common/auth/public.decorator';
import { AppError } from '../../common/errors/app-error';
import { CampaignProgressService } from '../campaigns/campaign-progress.service';
import { InternalTokenGuard } from './internal-token.guard';
import { LeaseService } from './lease.service';
import { ReportService } from './report.service';

/** The API the n8n nodes call (docs/internal-api.md); not part of the public contract. */
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
  ping() {
    return { ok: true, version: '0.1.0' };
  }

  @Get('runs/:runId')
  async run(@Param('runId', ParseUUIDPipe) runId: string) {
    const run = await this.leases.findRun(runId);
    const { status, counts } = await this.progress.snapshot(run.organizationId, run.campaignId);
    return { runId: run.id, campaignId: run.campaignId, organizationId: run.organizationId, shard: run.shard, status: run.finishedAt && status === 'active' ? 'finished' : status, counts };
  }

  @Post('runs/:runId/lease')
  @HttpCode(200)
  lease(@Param('runId', ParseUUIDPipe) runId: string, @Body() body: { max?: unknown } = {}) {
    if (body.max !== undefined && (!Number.isInteger(body.max) || (body.max as number) < 1)) throw new AppError('validation_failed', 'max must be a positive integer');
    return this.leases.lease(runId, body.max as number | undefined);
  }

  /** The execution stops leasing while work may remain (iteration limit, long quota wait): start the next run now. */
  @Post('runs/:runId/handoff')
  @HttpCode(200)
  async handoff(@Param('runId', ParseUUIDPipe) runId: string) {
    await this.leases.handoff(runId);
    return { ok: true };
  }

  @Post('runs/:runId/sending')
  @HttpCode(200)
  sending(@Param('runId', ParseUUIDPipe) runId: string, @Body() body: { leaseId?: string; messageIds?: string[] }) {
    if (typeof body.leaseId !== 'string') throw new AppError('validation_failed', 'leaseId is required');
    return this.reports.markSending(runId, body.leaseId, body.messageIds ?? []);
  }

  @Post('runs/:runId/results')
  @HttpCode(200)
  results(@Param('runId', ParseUUIDPipe) runId: string, @Headers('idempotency-key') key: string | undefined, @Body() body: { leaseId?: string; results?: unknown }) {
    if (typeof body.leaseId !== 'string') throw new AppError('validation_failed', 'leaseId is required');
    return this.reports.report(runId, body.leaseId, body.results, key);
  }
}
