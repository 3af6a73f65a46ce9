// One command: type-check (tsc --noEmit), bundle every node and credential with esbuild
// (n8n-workflow external: the package has no runtime dependencies), copy icons and codex files.
// @cadence/contracts is bundled from its TypeScript source, so only the zod/mini pieces its schemas
// use are bundled (its CommonJS build would pull in all of zod).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const tsc = join(root, '..', 'node_modules', '.bin', 'tsc');

if (!process.argv.includes('--no-check'))
	execFileSync(tsc, ['-p', join(root, 'tsconfig.json'), '--noEmit'], { stdio: 'inherit', cwd: root });

rmSync(dist, { recursive: true, force: true });
const walk = (dir) => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));
const sources = [...walk(join(root, 'nodes')), ...walk(join(root, 'credentials'))];
const entryPoints = sources.filter((f) => /\.(node|credentials)\.ts$/.test(f));

const result = await build({
	entryPoints,
	outdir: dist,
	outbase: root,
	bundle: true,
	platform: 'node',
	target: 'node22',
	format: 'cjs',
	external: ['n8n-workflow'],
	alias: { '@cadence/contracts': join(root, '..', 'packages', 'contracts', 'src', 'index.ts') },
	minifySyntax: true,
	minifyWhitespace: true,
	keepNames: true,
	legalComments: 'none',
	metafile: true,
	logLevel: 'warning',
});
for (const f of sources.filter((f) => /\.(svg|png|node\.json)$/.test(f))) {
	const target = join(dist, relative(root, f));
	mkdirSync(dirname(target), { recursive: true });
	cpSync(f, target);
}

const sizes = Object.entries(result.metafile.outputs).map(([f, o]) => `${relative(root, f)} ${(o.bytes / 1024).toFixed(0)} KiB`);
console.log(`built ${entryPoints.length} entry points:\n  ${sizes.join('\n  ')}`);
