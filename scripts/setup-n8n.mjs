#!/usr/bin/env node
// Installs the pinned n8n runtime into n8n-runtime/ (its own package.json, lockfile and .npmrc), so its
// dependency tree never mixes with the product's. Runs on `npm install`; a no-op when it is in place.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'n8n-runtime');
const wanted = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).dependencies.n8n;
const installedManifest = join(dir, 'node_modules', 'n8n', 'package.json');
const installed = existsSync(installedManifest) ? JSON.parse(readFileSync(installedManifest, 'utf8')).version : undefined;

if (process.env.CADENCE_SKIP_N8N === '1') {
  console.log('setup-n8n: skipped (CADENCE_SKIP_N8N=1)');
} else if (installed === wanted && existsSync(join(dir, 'node_modules', '.bin', 'n8n'))) {
  console.log(`setup-n8n: n8n ${installed} already installed`);
} else {
  console.log(`setup-n8n: installing n8n ${wanted} into n8n-runtime/ (a few minutes the first time)...`);
  const started = Date.now();
  const res = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: dir,
    stdio: 'inherit',
    // The Kafka node's native module otherwise downloads a prebuilt binary, which fails offline.
    // n8n needs its install scripts (sqlite3 and friends build natively), whatever the root .npmrc says:
    // npm passes its config to scripts as npm_config_* variables.
    env: { ...process.env, CKJS_LINKING: 'dynamic', npm_config_ignore_scripts: 'false' },
  });
  if (res.status !== 0) {
    console.error('setup-n8n: npm install failed in n8n-runtime/');
    process.exit(res.status ?? 1);
  }
  console.log(`setup-n8n: done in ${Math.round((Date.now() - started) / 1000)} s`);
}
