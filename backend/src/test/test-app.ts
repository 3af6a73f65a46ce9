import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createApp } from '../bootstrap';
import { Environment } from '../config/environment';
import { OrganizationsService } from '../modules/organizations/organizations.service';
import { createTestDatabase, TestDatabase } from './test-database';

export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface TestApp {
  app: INestApplication;
  baseUrl: string;
  dataSource: DataSource;
  request<T = any>(
    method: string,
    path: string,
    opts?: { key?: string; body?: unknown; raw?: NonNullable<RequestInit['body']>; headers?: Record<string, string> },
  ): Promise<ApiResponse<T>>;
  createOrg(name?: string): Promise<{ organizationId: string; apiKey: string }>;
  close(): Promise<void>;
}

/** Boots the real application (same factory as main.ts) on a fresh PostgreSQL database, or on PGlite. */
export async function startTestApp(
  options: { embedded?: boolean; port?: number; env?: Partial<Record<keyof Environment, string>> } = {},
): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cadence-test-'));
  const database: TestDatabase | undefined = options.embedded ? undefined : await createTestDatabase();
  const app = await createApp({
    LOG_LEVEL: 'error',
    DATA_DIR: dataDir,
    ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    N8N_URL: 'http://127.0.0.1:9',
    // The provider sandbox of the tests listens on loopback ports.
    CUSTOM_PROVIDER_URLS: 'on',
    PROVIDER_URL_ALLOWLIST: '127.0.0.1',
    ...(database && { DATABASE_URL: database.url }),
    ...options.env,
  });
  await app.listen(options.port ?? 0, '127.0.0.1');
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const request: TestApp['request'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.key) headers.authorization = `Bearer ${opts.key}`;
    let body: NonNullable<RequestInit['body']> | undefined = opts.raw;
    if (opts.body !== undefined && method !== 'GET' && method !== 'HEAD') {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(opts.body);
    }
    const res = await fetch(baseUrl + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // non-JSON answers (HTML docs) stay text
    }
    return { status: res.status, headers: res.headers, body: parsed as any };
  };
  return {
    app,
    baseUrl,
    dataSource: app.get(DataSource),
    request,
    createOrg: async (name = 'Acme') => {
      const { organization, apiKey } = await app.get(OrganizationsService).create(name);
      return { organizationId: organization.id, apiKey: apiKey.key };
    },
    close: async () => {
      await app.close();
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
