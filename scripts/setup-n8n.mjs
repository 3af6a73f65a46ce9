#!/usr/bin/env node
// Installs the pinned n8n runtime into n8n-runtime/ (its own package.json, lockfile and .npmrc), so its
// dependency tree never mixes with the product's. Runs on `npm install`; a no-op when it is in place.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
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
  // npm prints nothing for minutes here: say how far it got, from what has landed in node_modules.
  const expected = topLevelPackages(JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')).packages);
  const progress = setInterval(() => {
    const unpacked = installedTopLevel(join(dir, 'node_modules'));
    const seconds = Math.round((Date.now() - started) / 1000);
    console.log(
      unpacked < expected
        ? `setup-n8n: ${unpacked} of ${expected} packages unpacked (${seconds} s)`
        : `setup-n8n: all ${expected} packages unpacked, building native modules (${seconds} s)`,
    );
  }, 15_000);
  const status = await new Promise((resolve) => {
    // --no-save: the pinned lockfile is read, never rewritten (npm would add other platforms' optional builds).
    const child = spawn('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: dir,
      stdio: 'inherit',
      // The Kafka node's native module otherwise downloads a prebuilt binary, which fails offline.
      // n8n needs its install scripts (sqlite3 and friends build natively), whatever the root .npmrc says:
      // npm passes its config to scripts as npm_config_* variables.
      env: { ...process.env, CKJS_LINKING: 'dynamic', npm_config_ignore_scripts: 'false' },
    });
    child.on('exit', (code) => resolve(code ?? 1));
    child.on('error', () => resolve(1));
  });
  clearInterval(progress);
  if (status !== 0) {
    console.error('setup-n8n: npm install failed in n8n-runtime/');
    process.exit(status);
  }
  console.log(`setup-n8n: done in ${Math.round((Date.now() - started) / 1000)} s`);
}

/**
 * Packages the lockfile hoists to the top of node_modules (`node_modules/x`, `node_modules/@scope/x`) that
 * this machine installs: optional builds for other systems, processors or C libraries are skipped by npm.
 */
function topLevelPackages(packages) {
  const fits = (list, value) => !list || list.some((entry) => entry === value || (entry.startsWith('!') && entry.slice(1) !== value));
  const libc = process.report?.getReport().header.glibcVersionRuntime ? 'glibc' : 'musl';
  return Object.entries(packages).filter(
    ([key, entry]) =>
      /^node_modules\/(@[^/]+\/)?[^/]+$/.test(key) &&
      fits(entry.os, process.platform) &&
      fits(entry.cpu, process.arch) &&
      fits(entry.libc, libc),
  ).length;
}

/** The same, counted on disk: one readdir per scope, cheap enough every few seconds. */
function installedTopLevel(modules) {
  if (!existsSync(modules)) return 0;
  let count = 0;
  for (const entry of readdirSync(modules, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    if (entry.name.startsWith('@')) count += readdirSync(join(modules, entry.name)).length;
    else count++;
  }
  return count;
}
