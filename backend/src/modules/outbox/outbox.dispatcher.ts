import { TRIGGER_EVENT } from '@cadence/contracts';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { N8nTriggerClient } from './n8n-trigger.client';
import { returning } from '../../database/returning';

interface Claimed {
  id: string;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
}

/** How long a claimed event is invisible to other dispatchers; a crash makes it visible again after this. */
const CLAIM_SECONDS = 300;

/** Handles one kind of event; throwing makes the dispatcher retry it with backoff. */
export type OutboxHandler = (payload: Record<string, unknown>) => Promise<void>;

/**
 * Delivers outbox events at least once: claimed with SKIP LOCKED, retried with backoff until they succeed.
 * `campaign.run` (the n8n trigger) is its own; other modules register handlers for their kinds, so the
 * outbox depends on nobody and everybody can write to it.
 */
@Injectable()
export class OutboxDispatcher {
  private readonly logger = new Logger('OutboxDispatcher');
  private readonly inFlight = new Set<string>();
  private readonly handlers = new Map<string, OutboxHandler>();

  constructor(
    private readonly dataSource: DataSource,
    n8n: N8nTriggerClient,
  ) {
    this.handlers.set(TRIGGER_EVENT, (payload) => n8n.trigger(payload));
  }

  registerHandler(kind: string, handler: OutboxHandler): void {
    if (this.handlers.has(kind)) throw new Error(`outbox handler for ${kind} registered twice`);
    this.handlers.set(kind, handler);
  }

  /** Claims due events and starts handling them; answers without waiting for slow handlers. */
  async dispatchDue(limit = 20): Promise<Array<Promise<void>>> {
    const claimed = await returning<Claimed>(
      this.dataSource,
      `UPDATE outbox SET available_at = clock_timestamp() + make_interval(secs => $2), attempts = attempts + 1
        WHERE id IN (SELECT id FROM outbox WHERE delivered_at IS NULL AND available_at <= clock_timestamp()
                      ORDER BY available_at LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING id, kind, payload, attempts`,
      [limit, CLAIM_SECONDS],
    );
    return claimed.filter((e) => !this.inFlight.has(e.id)).map((e) => this.handle(e));
  }

  private async handle(event: Claimed): Promise<void> {
    this.inFlight.add(event.id);
    try {
      const handler = this.handlers.get(event.kind);
      if (!handler) throw new Error(`unknown outbox event kind ${event.kind}`);
      await handler(event.payload);
      await this.dataSource.query('UPDATE outbox SET delivered_at = clock_timestamp(), last_error = NULL WHERE id = $1', [event.id]);
    } catch (error) {
      const backoff = Math.min(60, 2 ** Math.min(event.attempts, 6));
      const message = error instanceof Error ? error.message : String(error);
      this.logger.warn(`${event.kind} ${event.id} failed (attempt ${event.attempts}, retry in ${backoff}s): ${message}`);
      await this.dataSource
        .query('UPDATE outbox SET available_at = clock_timestamp() + make_interval(secs => $2), last_error = $3 WHERE id = $1', [
          event.id,
          backoff,
          message.slice(0, 1000),
        ])
        .catch(() => undefined);
    } finally {
      this.inFlight.delete(event.id);
    }
  }
}
