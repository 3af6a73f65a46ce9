#!/usr/bin/env node
// `npm run bench [-- name...]`: runs the benchmarks (all by default), each printing its figures and its peer's.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const node = (script) => ['node', [join(root, 'bench', script)]];
/** Each benchmark: the commands it runs, in order. */
const BENCHES = {
  'lead-import': [node('lead-import.mjs')],
  // Issue 20 asks one command for the campaign's figures and pacing's; `pacing` runs the latter alone.
  campaign: [node('campaign-throughput.mjs'), node('campaign-pacing.mjs')],
  pacing: [node('campaign-pacing.mjs')],
  'web-detail': [node('web-detail.mjs')],
  analytics: [node('analytics.mjs')],
  storage: [node('storage.mjs')],
  'write-path': [node('write-path.mjs')],
  'contract-parse': [node('contract-parse.mjs')],
  'status-callbacks': [node('status-callbacks.mjs')],
  render: [['npm', ['run', '--silent', 'bench', '--workspace', 'packages/render']]],
  sandbox: [['npm', ['run', '--silent', 'bench', '--workspace', 'sandbox']]],
  'sandbox-wrk': [['bash', [join(root, 'bench/sandbox-wrk.sh')]]],
};
// All of them: `pacing` is already part of `campaign`.
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(BENCHES).filter((name) => name !== 'pacing');
for (const name of wanted) {
  const bench = BENCHES[name];
  if (!bench) {
    console.error(`unknown benchmark "${name}" (known: ${Object.keys(BENCHES).join(', ')})`);
    process.exit(2);
  }
  if (!existsSync(join(root, 'backend/dist/main.js'))) spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  console.log(`\n=== ${name}`);
  for (const [command, args] of bench) {
    const res = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
    if (res.status !== 0) process.exit(res.status ?? 1);
  }
}
