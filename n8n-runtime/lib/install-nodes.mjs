// Install a node package into an n8n user folder the way n8n installs community packages:
// <userFolder>/.n8n/nodes/node_modules/<name> extracted from the packed tarball, dev/peer/optional
// dependencies stripped, `npm install --ignore-scripts` for runtime dependencies (none for
// n8n-nodes-cadence: everything is bundled), and the dependency recorded in nodes/package.json.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** `npm pack` a package folder into `destination`; returns the tarball path. */
export async function packNodes(packageDir, destination = mkdtempSync(join(tmpdir(), 'cadence-pack-'))) {
	const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', destination], {
		cwd: resolve(packageDir),
		maxBuffer: 16 * 1024 * 1024,
	});
	const info = JSON.parse(stdout.slice(stdout.indexOf('[')));
	return join(destination, info[0].filename);
}

/** installNodes({ userFolder, tarball | packageDir }) -> { name, version, dir } */
export async function installNodes({ userFolder, tarball, packageDir }) {
	const tgz = tarball ?? (await packNodes(packageDir));
	try {
		return await installTarball(userFolder, tgz);
	} finally {
		// A tarball packed here is temporary; a given one is the caller's.
		if (!tarball) rmSync(dirname(tgz), { recursive: true, force: true });
	}
}

async function installTarball(userFolder, tgz) {
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	mkdirSync(join(nodesDir, 'node_modules'), { recursive: true });
	const staging = mkdtempSync(join(tmpdir(), 'cadence-unpack-'));
	await run('tar', ['-xzf', tgz, '-C', staging, '--strip-components=1']);
	const pkg = JSON.parse(readFileSync(join(staging, 'package.json'), 'utf8'));
	const dir = join(nodesDir, 'node_modules', pkg.name);
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	await run('tar', ['-xzf', tgz, '-C', dir, '--strip-components=1']);
	rmSync(staging, { recursive: true, force: true });
	const { devDependencies, peerDependencies, optionalDependencies, ...runtime } = pkg;
	writeFileSync(join(dir, 'package.json'), JSON.stringify(runtime, null, 2));
	if (Object.keys(runtime.dependencies ?? {}).length > 0) {
		await run(
			'npm',
			[
				'install',
				'--audit=false',
				'--fund=false',
				'--bin-links=false',
				'--install-strategy=shallow',
				'--ignore-scripts=true',
				'--package-lock=false',
			],
			{ cwd: dir },
		);
	}
	const manifest = join(nodesDir, 'package.json');
	const nodesPkg = existsSync(manifest)
		? JSON.parse(readFileSync(manifest, 'utf8'))
		: { name: 'installed-nodes', private: true, dependencies: {} };
	nodesPkg.dependencies = { ...(nodesPkg.dependencies ?? {}), [pkg.name]: pkg.version };
	writeFileSync(manifest, JSON.stringify(nodesPkg, null, 2));
	return { name: pkg.name, version: pkg.version, dir, tarball: basename(tgz) };
}

// CLI: node n8n-runtime/lib/install-nodes.mjs <userFolder> [<tarball.tgz> | <packageDir>]
if (import.meta.url === `file://${process.argv[1]}`) {
	const [userFolder, source = resolve(import.meta.dirname, '..', '..', 'n8n-nodes')] = process.argv.slice(2);
	if (!userFolder) {
		console.error('usage: node n8n-runtime/lib/install-nodes.mjs <userFolder> [tarball.tgz | packageDir]');
		process.exit(2);
	}
	const r = await installNodes(source.endsWith('.tgz') ? { userFolder, tarball: source } : { userFolder, packageDir: source });
	console.log(JSON.stringify(r));
}
