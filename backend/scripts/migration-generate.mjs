#!/usr/bin/env node
// Writes a migration with the SQL that the entities need beyond the existing migrations,
// computed against a throwaway PostgreSQL database (DATABASE_URL's server, default local trust auth).
// Usage: npm run build -w backend && npm run migration:generate -w backend -- <kebab-name>
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const name = process.argv[2];
if (!name || !/^[a-z0-9-]+$/.test(name)) {
  console.error('usage: migration:generate <kebab-case-name>');
  process.exit(2);
}
require('reflect-metadata');
const { DataSource } = require('typeorm');
const { Client } = require('pg');
const { dataSourceOptions } = require('../dist/database/data-source-options.js');

const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const scratch = `cadence_migration_${Date.now()}`;
const admin = new Client({ connectionString: serverUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${scratch}`);
try {
  const url = new URL(serverUrl);
  url.pathname = `/${scratch}`;
  const ds = new DataSource(dataSourceOptions({ DATABASE_URL: url.toString(), DATA_DIR: '.data' }));
  await ds.initialize();
  await ds.runMigrations();
  const log = await ds.driver.createSchemaBuilder().log();
  await ds.destroy();
  // No process.exit here: the finally below must still drop the scratch database.
  if (log.upQueries.length === 0) console.log('Entities and migrations agree: nothing to generate.');
  else await writeMigration(log);
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${scratch}`);
  await admin.end();
}

async function writeMigration(log) {
  const timestamp = Date.now();
  const className =
    name
      .split('-')
      .map((p) => p[0].toUpperCase() + p.slice(1))
      .join('') + timestamp;
  const q = (s) => '`' + s.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
  const up = log.upQueries
    .map((x) => `    await queryRunner.query(${q(x.query)}${x.parameters?.length ? `, ${JSON.stringify(x.parameters)}` : ''});`)
    .join('\n');
  const down = log.downQueries
    .reverse()
    .map((x) => `    await queryRunner.query(${q(x.query)}${x.parameters?.length ? `, ${JSON.stringify(x.parameters)}` : ''});`)
    .join('\n');
  const file = `${timestamp}-${name}`;
  const source = `import { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  public async up(queryRunner: QueryRunner): Promise<void> {
${up}
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
${down}
  }
}
`;
  const dir = join(here, '../src/database/migrations');
  writeFileSync(join(dir, `${file}.ts`), source);
  const indexPath = join(dir, 'index.ts');
  let index = readFileSync(indexPath, 'utf8');
  index = index
    .replace(/^(import type .*\n)/, `$1import { ${className} } from './${file}';\n`)
    .replace(/\n\];\s*$/, `\n  ${className},\n];\n`);
  writeFileSync(indexPath, index);
  // In the repository's style, so `npm run lint` passes without a hand-run formatter.
  const prettier = await import('prettier');
  for (const path of [join(dir, `${file}.ts`), indexPath]) {
    const options = (await prettier.resolveConfig(path)) ?? {};
    writeFileSync(path, await prettier.format(readFileSync(path, 'utf8'), { ...options, filepath: path }));
  }
  console.log(`Wrote src/database/migrations/${file}.ts (${log.upQueries.length} statements)`);
}
