import { Injectable } from '@nestjs/common';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { AuthContext } from '../../common/auth/auth-context';
import { AppError } from '../../common/errors/app-error';
import { ApiKey } from './api-key.entity';

export interface IssuedApiKey {
  id: string;
  name: string;
  prefix: string;
  /** The full key: returned once, at creation, and never stored. */
  key: string;
  createdAt: Date;
}

const KEY_PATTERN = /^cad_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
const LAST_USED_WRITE_INTERVAL_MS = 60_000;

@Injectable()
export class ApiKeysService {
  private readonly lastUsedWrites = new Map<string, number>();

  constructor(private readonly dataSource: DataSource) {}

  async issue(organizationId: string, name: string, manager: EntityManager = this.dataSource.manager): Promise<IssuedApiKey> {
    const prefix = randomBytes(8).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const row = await manager.save(
      manager.create(ApiKey, { organizationId, name, prefix, secretHash: sha256(secret), lastUsedAt: null, revokedAt: null }),
    );
    return { id: row.id, name, prefix, key: `cad_${prefix}_${secret}`, createdAt: row.createdAt };
  }

  async authenticate(key: string): Promise<AuthContext> {
    const match = KEY_PATTERN.exec(key);
    if (!match) throw new AppError('unauthorized', 'The API key is malformed');
    const row = await this.dataSource.getRepository(ApiKey).findOneBy({ prefix: match[1] });
    const presented = Buffer.from(sha256(match[2]), 'hex');
    // Compare even when no row matched, so timing does not reveal which prefixes exist.
    const stored = Buffer.from(row?.secretHash ?? sha256('absent'), 'hex');
    if (!row || !timingSafeEqual(presented, stored)) throw new AppError('unauthorized', 'The API key is not valid');
    if (row.revokedAt) throw new AppError('api_key_revoked', 'The API key has been revoked');
    this.touch(row.id);
    return { organizationId: row.organizationId, apiKeyId: row.id };
  }

  list(organizationId: string): Promise<ApiKey[]> {
    return this.dataSource.getRepository(ApiKey).find({ where: { organizationId }, order: { createdAt: 'ASC' } });
  }

  async revoke(organizationId: string, id: string): Promise<ApiKey> {
    const repo = this.dataSource.getRepository(ApiKey);
    const row = await repo.findOneBy({ organizationId, id });
    if (!row) throw new AppError('api_key_not_found', `No API key ${id}`);
    if (!row.revokedAt) {
      await repo.update({ organizationId, id, revokedAt: IsNull() }, { revokedAt: new Date() });
      return (await repo.findOneBy({ organizationId, id }))!;
    }
    return row;
  }

  /** Throttled: a busy key must not turn every request into a write. */
  private touch(id: string): void {
    const now = Date.now();
    if (now - (this.lastUsedWrites.get(id) ?? 0) < LAST_USED_WRITE_INTERVAL_MS) return;
    this.lastUsedWrites.set(id, now);
    void this.dataSource
      .getRepository(ApiKey)
      .update({ id }, { lastUsedAt: new Date(now) })
      .catch(() => undefined);
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
