import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Environment } from '../../config/environment';
import { WhatsappTemplatesService } from './whatsapp-templates.service';

// One backend instance at a time re-reads the catalogs.
const SYNC_LOCK_ID = 727_274_913;

/** Re-reads every WhatsApp channel's template catalog now and then: Meta pauses and rejects templates on its own. */
@Injectable()
export class WhatsappTemplateSyncPoller implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('WhatsappTemplateSync');
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly env: Environment,
    private readonly templates: WhatsappTemplatesService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.env.WHATSAPP_TEMPLATE_SYNC_INTERVAL_MS > 0) {
      this.timer = setInterval(() => void this.pass(), this.env.WHATSAPP_TEMPLATE_SYNC_INTERVAL_MS);
      this.timer.unref();
    }
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async pass(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.connect();
      const [{ locked }] = (await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [SYNC_LOCK_ID])) as Array<{ locked: boolean }>;
      if (!locked) return;
      try {
        await this.templates.syncEverywhere();
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [SYNC_LOCK_ID]);
      }
    } catch (error) {
      this.logger.error(`template sync pass failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      await runner.release();
      this.running = false;
    }
  }
}
