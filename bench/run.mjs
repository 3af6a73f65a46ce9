#!/usr/bin/env node
// `npm run bench [-- name...]`: runs the benchmarks (all by default), each printing its figures and its peer's.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BENCHES = {
  'lead-import': ['node', [join(root, 'bench/lead-import.mjs')]],
  campaign: ['node', [join(root, 'bench/campaign-throughput.mjs')]],
  pacing: ['node', [join(root, 'bench/campaign-pacing.mjs')]],
  'web-detail': ['node', [join(root, 'bench/web-detail.mjs')]],
  analytics: ['node', [join(root, 'bench/analytics.mjs')]],
  storage: ['node', [join(root, 'bench/storage.mjs')]],
  'write-path': ['node', [join(root, 'bench/write-path.mjs')]],
  'contract-parse': ['node', [join(root, 'bench/contract-parse.mjs')]],
  'status-callbacks': ['node', [join(root, 'bench/status-callbacks.mjs')]],
  render: ['npm', ['run', '--silent', 'bench', '--workspace', 'packages/render']],
  sandbox: ['npm', ['run', '--silent', 'bench', '--workspace', 'sandbox']],
  'sandbox-wrk': ['bash', [join(root, 'bench/sandbox-wrk.sh')]],
};
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(BENCHES);
for (const name of wanted) {
  const bench = BENCHES[name];
  if (!bench) {
    console.error(`unknown benchmark "${name}" (known: ${Object.keys(BENCHES).join(', ')})`);
    process.exit(2);
  }
  if (!existsSync(join(root, 'backend/dist/main.js'))) spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  console.log(`\n=== ${name}`);
  const res = spawnSync(bench[0], bench[1], { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) process.exit(res.status ?? 1);
}
