import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../../common/auth/public.decorator';
import { Environment } from '../../config/environment';
import { isEmbedded } from '../../database/data-source-options';
import { HealthResponse, LivenessResponse } from './health.responses';

type ComponentState = { status: 'up' | 'down'; latencyMs?: number; error?: string };

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly env: Environment,
    private readonly health: HealthCheckService,
    private readonly typeorm: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
  ) {}

  /** Liveness: the process answers (a supervisor restarts it when this stops answering). */
  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ description: 'The process is alive', type: LivenessResponse })
  live() {
    return { status: 'ok' };
  }

  /**
   * Readiness: the database answers and n8n is ready, so work sent here is done now; 503 with what is
   * down otherwise (a load balancer sends traffic elsewhere). Each check has a 1.5 s budget.
   */
  @Get('ready')
  @ApiOperation({ summary: 'Readiness: the database and n8n answer (503 with what is down otherwise)' })
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.typeorm.pingCheck('database', { timeout: 1500 }),
      async () => {
        const n8n = this.indicators.check('n8n');
        const state = await this.n8n();
        return state.status === 'up' ? n8n.up({ latencyMs: state.latencyMs }) : n8n.down({ message: state.error });
      },
    ]);
  }

  /** 200 while the database answers (n8n being down degrades sending, not the API); 503 otherwise. */
  @Get()
  @ApiOperation({ summary: 'State of the database and of n8n (200 while the database answers)' })
  @ApiOkResponse({ description: 'The database answers; `status` is `degraded` when n8n does not', type: HealthResponse })
  @ApiServiceUnavailableResponse({ description: 'The database does not answer', type: HealthResponse })
  async check(@Res({ passthrough: true }) res: Response) {
    const [database, n8n] = await Promise.all([this.database(), this.n8n()]);
    const status = database.status === 'up' ? (n8n.status === 'up' ? 'ok' : 'degraded') : 'down';
    res.status(database.status === 'up' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return {
      status,
      database: { ...database, kind: isEmbedded(this.env) ? 'pglite' : 'postgres' },
      n8n: { ...n8n, url: this.env.N8N_URL },
    };
  }

  private async database(): Promise<ComponentState> {
    const started = performance.now();
    try {
      await this.dataSource.query('SELECT 1');
      return { status: 'up', latencyMs: Math.round(performance.now() - started) };
    } catch (error) {
      return { status: 'down', error: error instanceof Error ? error.message : String(error) };
    }
  }

  private async n8n(): Promise<ComponentState> {
    const started = performance.now();
    try {
      const res = await fetch(new URL('/healthz/readiness', this.env.N8N_URL), { signal: AbortSignal.timeout(1500) });
      if (!res.ok) return { status: 'down', error: `readiness answered ${res.status}` };
      return { status: 'up', latencyMs: Math.round(performance.now() - started) };
    } catch (error) {
      return { status: 'down', error: error instanceof Error ? error.message : String(error) };
    }
  }
}
