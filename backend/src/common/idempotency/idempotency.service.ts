import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AppError } from '../errors/app-error';
import { IdempotencyKey } from './idempotency-key.entity';

export interface StoredResponse<T> {
  statusCode: number;
  body: T;
  replayed: boolean;
}

export function hashRequest(value: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(value ?? null))
    .digest('hex');
}

/**
 * Runs `work` once per (organization, scope, key), in the transaction that records its answer, and
 * replays that answer for every retry. Concurrent retries wait on a transaction-scoped advisory lock.
 */
@Injectable()
export class IdempotencyService {
  constructor(private readonly dataSource: DataSource) {}

  async run<T>(
    organizationId: string,
    scope: string,
    key: string,
    requestHash: string,
    work: (manager: EntityManager) => Promise<{ statusCode: number; body: T }>,
  ): Promise<StoredResponse<T>> {
    if (key.length > 255) throw new AppError('validation_failed', 'Idempotency-Key must be at most 255 characters');
    return this.dataSource.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`${organizationId}:${scope}:${key}`]);
      const existing = await m.findOneBy(IdempotencyKey, { organizationId, scope, key });
      if (existing) {
        if (existing.requestHash !== requestHash) {
          throw new AppError('idempotency_key_reused', 'This Idempotency-Key was already used with a different request');
        }
        return { statusCode: existing.statusCode, body: existing.response as T, replayed: true };
      }
      const result = await work(m);
      await m.insert(IdempotencyKey, {
        organizationId,
        scope,
        key,
        requestHash,
        statusCode: result.statusCode,
        response: result.body as never,
      });
      return { ...result, replayed: false };
    });
  }
}
