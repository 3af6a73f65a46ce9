#!/usr/bin/env node
// Imports a generated CSV of BENCH_ROWS leads (default 1,000,000, ~1% bad rows) through
// POST /api/v1/leads/import on a real backend process, and prints rows/s and the backend's peak RSS.
// Peer in the same run: psql's \copy of the same file into a bare table (the database's own floor).
import { spawn, execFileSync } from 'node:child_process';
import { createWriteStream, createReadStream, mkdirSync, readFileSync, statSync, rmSync, mkdtempSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import { createServer } from 'node:net';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const outDir = join(root, 'bench', 'out');
mkdirSync(outDir, { recursive: true });
const file = join(outDir, `leads-${rows}.csv`);

async function generate() {
  const out = createWriteStream(file);
  out.write('email,first_name,last_name,phone,company,plan,SMS Consent\n');
  const plans = ['free', 'pro', 'enterprise'];
  for (let i = 0; i < rows; i++) {
    const bad = i % 100 === 99;
    const email = bad ? `broken-${i}` : `lead${i}@example${i % 97}.com`;
    const phone = i % 3 === 0 ? `+1415${String(5_000_000 + (i % 4_999_999)).padStart(7, '0')}` : '';
    const line = `${email},First${i},"Last, ${i}",${i % 3 === 0 && i % 7 !== 0 ? '' : phone},Company ${i % 5000},${plans[i % 3]},${i % 2 ? 'yes' : 'no'}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function psql(db, sql) {
  return execFileSync('psql', [db, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', sql], { encoding: 'utf8' });
}

function peakRssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)[1]) / 1024;
}

async function main() {
  const started = performance.now();
  try {
    statSync(file);
  } catch {
    process.stdout.write(`generating ${rows.toLocaleString()} rows... `);
    await generate();
    console.log(`${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  const sizeMb = statSync(file).size / 1024 / 1024;
  const dbName = `cadence_bench_${Date.now()}`;
  psql(serverUrl, `CREATE DATABASE ${dbName}`);
  const dbUrl = new URL(serverUrl);
  dbUrl.pathname = `/${dbName}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'cadence-bench-'));
  const port = await freePort();
  const secret = 'bench-secret-bench-secret-bench-secret';
  const env = {
    ...process.env,
    DATABASE_URL: dbUrl.toString(),
    DATA_DIR: dataDir,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
    INTERNAL_API_TOKEN: secret,
    TRIGGER_SIGNING_SECRET: secret,
    SCHEDULER_INTERVAL_MS: '0',
  };
  const backend = spawn(
    process.execPath,
    [...(process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : []), join(root, 'backend/dist/main.js')],
    { env, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  try {
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 300; i++) {
      if (
        await fetch(`${base}/health`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const { apiKey } = JSON.parse(
      execFileSync(process.execPath, [join(root, 'backend/dist/cli.js'), 'org:create', '--name', 'bench'], { env, encoding: 'utf8' }),
    );
    const baselineRss = peakRssMb(backend.pid);
    const t0 = performance.now();
    const res = await fetch(`${base}/api/v1/leads/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'text/csv' },
      body: Readable.toWeb(createReadStream(file, { highWaterMark: 256 * 1024 })),
      duplex: 'half',
    });
    const report = await res.json();
    const seconds = (performance.now() - t0) / 1000;
    if (!res.ok) throw new Error(`import failed: ${JSON.stringify(report)}`);
    const ours = report.rows / seconds;
    const rss = peakRssMb(backend.pid);

    psql(
      dbUrl.toString(),
      'CREATE TABLE copy_peer (email text, first_name text, last_name text, phone text, company text, plan text, sms_consent text)',
    );
    const c0 = performance.now();
    psql(dbUrl.toString(), `\\copy copy_peer FROM '${file}' WITH (FORMAT csv, HEADER true)`);
    const copySeconds = (performance.now() - c0) / 1000;
    const copyRate = rows / copySeconds;

    // Peer 2, the database's own floor: the same rows loaded by COPY into a staging table, then one
    // set-based INSERT ... SELECT into the real leads table (all its indexes), for another organization.
    psql(dbUrl.toString(), `INSERT INTO organizations (id, name) VALUES ('00000000-0000-0000-0000-0000000000f1', 'floor')`);
    const f0 = performance.now();
    psql(
      dbUrl.toString(),
      `INSERT INTO leads (organization_id, email, phone, first_name, last_name, attributes, consent)
      SELECT '00000000-0000-0000-0000-0000000000f1', lower(email), nullif(phone, ''), first_name, last_name,
             jsonb_build_object('company', company, 'plan', plan), jsonb_build_object('sms', sms_consent = 'yes')
        FROM copy_peer WHERE email LIKE '%@%' ON CONFLICT DO NOTHING`,
    );
    const floorSeconds = (performance.now() - f0) / 1000 + copySeconds;
    const floorRate = rows / floorSeconds;

    console.log(`\nLead CSV import, ${rows.toLocaleString()} rows (${sizeMb.toFixed(0)} MB), PostgreSQL, one request`);
    console.log(
      `  cadence import : ${seconds.toFixed(1)} s, ${Math.round(ours).toLocaleString()} rows/s; created ${report.created.toLocaleString()}, updated ${report.updated.toLocaleString()}, failed ${report.failed.toLocaleString()} (${report.errors.length} listed${report.errorsTruncated ? ', truncated' : ''})`,
    );
    console.log(`  backend RSS    : ${baselineRss.toFixed(0)} MB before, ${rss.toFixed(0)} MB peak`);
    console.log(
      `  peer: psql \\copy into a bare table (no validation, no upsert, no indexes): ${copySeconds.toFixed(1)} s, ${Math.round(copyRate).toLocaleString()} rows/s`,
    );
    console.log(
      `  peer: COPY + one INSERT ... SELECT into the real leads table (its indexes, no validation, no per-row report): ${floorSeconds.toFixed(1)} s, ${Math.round(floorRate).toLocaleString()} rows/s`,
    );
    console.log(
      `  ratio          : cadence import runs at ${((ours / floorRate) * 100).toFixed(0)}% of the database's set-based floor, ${((ours / copyRate) * 100).toFixed(0)}% of raw COPY`,
    );
  } finally {
    backend.kill('SIGTERM');
    await once(backend, 'exit').catch(() => undefined);
    psql(serverUrl, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
