// npm test: jest over the four projects of jest.config.js, or the ones named
// (`node scripts/test.mjs unit workflow`; other arguments go to jest, e.g. `-t 'handoff'`).
// Two things plain `npx jest` would not do:
// - node runs with --experimental-vm-modules: jest runs test files in vm contexts, where a dynamic
//   import() needs it. gaxios (under @googleapis/gmail) does `await import('node-fetch')` on its first
//   request, and the real-n8n suite imports n8n-runtime/lib/n8n-runtime.mjs.
// - the real-n8n suite installs the bundled package (dist/) into n8n: build it when it is missing
//   or lacks a node or credential of package.json.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PROJECTS = ['unit', 'integration', 'workflow', 'n8n'];
const args = process.argv.slice(2);
const selected = args.filter((a) => PROJECTS.includes(a));
const rest = args.filter((a) => !PROJECTS.includes(a));

// Every file package.json's "n8n" section lists (a dist/ from before a node was added lacks it).
const { n8n } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const built = [...n8n.nodes, ...n8n.credentials].every((f) => existsSync(join(root, f)));
if ((selected.length === 0 || selected.includes('n8n')) && !built) {
	execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--no-check'], { stdio: 'inherit', cwd: root });
}
const jest = createRequire(join(root, 'package.json')).resolve('jest/bin/jest');
const select = selected.length ? ['--selectProjects', ...selected] : [];
const r = spawnSync(process.execPath, ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning', jest, ...select, ...rest], {
	stdio: 'inherit',
	cwd: root,
});
process.exit(r.status ?? 1);
