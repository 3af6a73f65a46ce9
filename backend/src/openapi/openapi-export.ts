import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createApp } from '../bootstrap';
import { buildOpenApiDocument } from './openapi-document';

/**
 * `npm run openapi:export -w backend [-- <file>]`: writes the OpenAPI document without listening on a port. The
 * application is built as `main.ts` builds it (the document is read from its routes), on a throw-away embedded
 * database, so no PostgreSQL or n8n is needed.
 */
async function main(): Promise<void> {
  const out = resolve(process.argv[2] ?? 'openapi.json');
  const dataDir = mkdtempSync(join(tmpdir(), 'cadence-openapi-'));
  delete process.env.DATABASE_URL;
  const app = await createApp({ LOG_LEVEL: 'error', DATA_DIR: dataDir, NODE_ENV: 'development' });
  try {
    writeFileSync(out, `${JSON.stringify(await buildOpenApiDocument(app), null, 2)}\n`);
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`OpenAPI document written to ${out}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
