// npm test: compile the TypeScript tests (tsc -> .test-build), make sure the package is built
// (the real-n8n test installs it), then node's built-in runner: unit, sandbox integration, real n8n.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = join(root, '..', 'node_modules', '.bin', 'tsc');
execFileSync(tsc, ['-p', join(root, 'tsconfig.json')], { stdio: 'inherit', cwd: root });
if (!existsSync(join(root, 'dist', 'nodes', 'CadenceSend', 'CadenceSend.node.js'))) {
	execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--no-check'], { stdio: 'inherit', cwd: root });
}
const only = process.argv[2]; // optional: unit | integration | n8n
const suites = (only ? [only] : ['unit', 'integration', 'n8n']).flatMap((s) => {
	const dir = join(root, '.test-build', 'test', s);
	return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.test.js')).map((f) => join(dir, f)) : [];
});
const reporter = process.env.TEST_REPORTER ?? 'spec';
const r = spawnSync(process.execPath, ['--test', `--test-reporter=${reporter}`, '--test-concurrency=1', '--test-timeout=240000', ...suites], { stdio: 'inherit', cwd: root });
process.exit(r.status ?? 1);
