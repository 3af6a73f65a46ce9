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
    return { ...common, url: settings.DATABASE_URL, extra: { max: 20, application_name: 'cadence-backend' } };
  }
  const dataDir = resolve(settings.DATA_DIR, 'pglite');
  return { ...common, driver: new PGliteDriver({ dataDir }).driver };
}

export function isEmbedded(settings: DatabaseSettings): boolean {
  return !settings.DATABASE_URL;
}
