import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../../common/auth/public.decorator';
import { Environment } from '../../config/environment';
import { isEmbedded } from '../../database/data-source-options';

type ComponentState = { status: 'up' | 'down'; latencyMs?: number; error?: string };

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly env: Environment,
  ) {}

  /** 200 while the database answers (n8n being down degrades sending, not the API); 503 otherwise. */
  @Get()
  @ApiOkResponse({ description: 'State of the database and of n8n' })
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
