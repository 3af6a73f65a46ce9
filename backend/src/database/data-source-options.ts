import { resolve } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { PGliteDriver } from 'typeorm-pglite';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export interface DatabaseSettings {
  DATABASE_URL?: string;
  DATA_DIR: string;
}

/** `DATABASE_URL` → PostgreSQL through `pg`; unset → embedded PGlite persisted under DATA_DIR. */
export function dataSourceOptions(settings: DatabaseSettings): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    // gen_random_uuid() is core since PostgreSQL 13 (and in PGlite): no extension to install.
    uuidExtension: 'pgcrypto' as const,
    installExtensions: false,
  };
  if (settings.DATABASE_URL) {
    return {
      ...common,
      url: settings.DATABASE_URL,
      // No JIT: the lease's query is planned with a cost in the millions on a large campaign (its row
      // estimate times the compliance subqueries), so PostgreSQL compiled it with LLVM at every lease:
      // 1.8 s of compilation for a 0.1 s query, 86 s of PostgreSQL CPU for 100,000 Mailgun recipients after
      // two SMS campaigns (auto_explain). Every query here is short; none gains from compiling.
      extra: { max: 20, application_name: 'cadence-backend', options: '-c jit=off' },
    };
  }
  const dataDir = resolve(settings.DATA_DIR, 'pglite');
  return { ...common, driver: new PGliteDriver({ dataDir }).driver };
}

export function isEmbedded(settings: DatabaseSettings): boolean {
  return !settings.DATABASE_URL;
}
