// Start a real n8n 2.41.x for Cadence (tests, `npm start`, end-to-end tests). Plain ESM, no build.
// Follows /work/shared/toolchain.md: owner from env (bcrypt hash), readiness via /healthz/readiness,
// its own task-runner broker port, diagnostics off, execution data kept small, 127.0.0.1 only.
import { spawn, execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { installNodes } from './install-nodes.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const N8N_DIR = resolve(here, '..');
export const N8N_BIN = join(N8N_DIR, 'node_modules', '.bin', 'n8n');
const require = createRequire(join(N8N_DIR, 'node_modules', 'n8n', 'package.json'));

/**
 * V8 flags for n8n where no memory limit sizes its heap (`npm start`, the tests, the benchmarks; workers too).
 * On a 24 GB machine V8's defaults (a 4.2 GB heap limit, 32 MB semi-spaces) let n8n main + task runner grow from
 * ~950 MB to ~1,550–1,600 MB during a 100,000-recipient campaign while its live heap stayed ~240 MB: V8 set its
 * first collection point from the 4.2 GB. With a 1 GB old space it collects at a size proportional to that: peak
 * ~970 MB for the same run. 8 MB semi-spaces (not V8's derived 32) keep the young generation small; with
 * N8N_V8_ARGS they cost n8n some CPU (0.20 -> 0.21 ms a Mailgun recipient; docs/architecture.md, "n8n's memory").
 */
export const N8N_NODE_FLAGS = ['--max-old-space-size=1024', '--max-semi-space-size=8'];

/**
 * V8's flag for n8n's Node wherever it runs (N8N_V8_ARGS; the memory cgroup below; docker-compose.yml). V8's memory
 * reducer takes a process that allocates little for an idle one and runs full collections to shrink it. An
 * n8n worker pacing SMS at 50/s allocates little, so it got them mid-campaign, in pairs ~1 s apart: each
 * stopped the worker's event loop for 30-150 ms (two loaded cores leave its helper threads no time), the
 * calls due meanwhile missed their slots, and the rate fell. 2,000 SMS at 50/s over three runs on two
 * workers (2026-12-06, a GC observer in each worker): 4-7 full collections while sending, 8-94 slots missed
 * a run; without the reducer 0-2 collections of at most 24 ms, 0-18 slots missed (docs/architecture.md,
 * "Slots missed by n8n"). `--heap-growing-percent` and the heap limit still bound the heap.
 */
export const N8N_NO_MEMORY_REDUCER = '--no-memory-reducer';

/**
 * V8 flags Node refuses in NODE_OPTIONS, so they go on n8n's command line. After each full collection V8 lets
 * the old generation grow by a factor it picks (up to 4 under a 1 GB limit): n8n main held 399 MB of V8 pages
 * for a heap of 280–320 MB. 30 % holds it near the live set (peak 958 -> 908 MB with this flag alone).
 */
export const N8N_V8_ARGS = ['--heap-growing-percent=30', N8N_NO_MEMORY_REDUCER];

/**
 * glibc malloc settings for n8n's processes. Its HTTP bodies (a lease of 1,000 messages is ~1 MB) are freed
 * once V8 collects their Buffers, and glibc may keep freed memory for reuse (its mmap threshold rises after
 * large frees; each arena keeps its own): with these settings blocks of 256 KB or more are mapped and
 * returned at free, and the heap is trimmed past 1 MB (n8n's peak 958 -> 911 MB with these alone). musl
 * (Alpine images) ignores them.
 */
export const N8N_MALLOC_ENV = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '262144', MALLOC_TRIM_THRESHOLD_: '1048576' };

export function n8nInstalled() {
	return existsSync(N8N_BIN);
}

/** A free TCP port on 127.0.0.1 (bind to 0, read it, close). */
export function freePort() {
	return new Promise((resolvePort, reject) => {
		const srv = createServer();
		srv.once('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolvePort(port));
		});
	});
}

function bcryptHash(password) {
	const bcrypt = require('bcryptjs');
	return bcrypt.hashSync(password, 10);
}

/** Environment for every n8n process of one instance (server and CLI commands). */
export function n8nEnv({ port, userFolder, brokerPort, owner, customExtensions, env = {} }) {
	const e = {
		...process.env,
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_SECURE_COOKIE: 'false',
		N8N_DISABLED_MODULES: 'mcp-registry',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_COMMUNITY_PACKAGES_PREVENT_LOADING: 'false',
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none',
		// A lease carries the sender's decrypted secrets in the items: a saved failed execution would keep them
		// in n8n's database. Every outcome is already in the backend's message log.
		EXECUTIONS_DATA_SAVE_ON_ERROR: 'none',
		EXECUTIONS_DATA_SAVE_ON_PROGRESS: 'false',
		EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'false',
		EXECUTIONS_DATA_PRUNE: 'true',
		// n8n 2.x evaluates expressions in an isolate it takes for every execution up front; lazily, an
		// execution of the exported workflow (which has no expression) takes none. Creating and disposing one an
		// execution cost n8n about a third of its CPU a Mailgun recipient (docs/architecture.md, "n8n's memory").
		N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true',
		N8N_LOG_LEVEL: process.env.N8N_LOG_LEVEL ?? 'warn',
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: owner.email,
		N8N_INSTANCE_OWNER_FIRST_NAME: owner.firstName,
		N8N_INSTANCE_OWNER_LAST_NAME: owner.lastName,
		N8N_INSTANCE_OWNER_PASSWORD_HASH: owner.passwordHash,
		...(customExtensions ? { N8N_CUSTOM_EXTENSIONS: customExtensions } : {}),
		...env,
	};
	// The caller's NODE_OPTIONS (a test runner's loaders) must not leak into n8n; an explicit one is kept.
	if (!('NODE_OPTIONS' in env)) delete e.NODE_OPTIONS;
	// Nor the NODE_ENV=test that jest sets: n8n 2.41 exits with code 1 and prints nothing when it sees it.
	if (!('NODE_ENV' in env) && e.NODE_ENV === 'test') delete e.NODE_ENV;
	return e;
}

/** Runs one n8n CLI command (import:workflow, publish:workflow...) against the instance's folder. */
export function runCli(args, env, timeoutMs = 180_000) {
	return new Promise((resolveRun, reject) => {
		execFile(N8N_BIN, args, { env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
			if (err) reject(new Error(`n8n ${args.join(' ')} failed: ${err.message}\n${stdout}\n${stderr}`));
			else resolveRun(`${stdout}${stderr}`);
		});
	});
}

async function waitReady(url, child, timeoutMs) {
	const until = Date.now() + timeoutMs;
	while (Date.now() < until) {
		if (child.exitCode !== null) throw new Error(`n8n exited with code ${child.exitCode} before it was ready`);
		try {
			const res = await fetch(`${url}/healthz/readiness`, { signal: AbortSignal.timeout(2000) });
			if (res.ok && (await res.json()).status === 'ok') return;
		} catch {
			/* not yet */
		}
		await new Promise((r) => setTimeout(r, 250));
	}
	throw new Error(`n8n not ready within ${timeoutMs} ms`);
}

/**
 * One n8n process (`n8n start`, `n8n worker`) in its own process group, so stop() and kill() reach the task
 * runner it starts too; its output kept (the last 2,000 chunks) and passed to `log` (true: stderr).
 */
function spawnN8n(args, env, log, memoryCgroup) {
	// Outside a memory cgroup V8 sizes n8n for the whole machine; in one (a container's limit) Node sizes the heap
	// from the limit, so the flags are for the former only. NODE_OPTIONS the caller gave comes last and wins.
	// The malloc settings too: the cgroup stands for a container whose image (Alpine's musl) has none of them.
	if (!memoryCgroup) env = { ...N8N_MALLOC_ENV, ...env, NODE_OPTIONS: [...N8N_NODE_FLAGS, env.NODE_OPTIONS].filter(Boolean).join(' ') };
	const output = [];
	// In a memory cgroup from its first instruction, as in a container with a memory limit: Node sizes its heap
	// from the limit it sees at start (process.constrainedMemory()), and the task runner it starts is in there too.
	// There as in docker-compose.yml, Node runs n8n's script with `--no-memory-reducer` only; elsewhere with N8N_V8_ARGS.
	const child = memoryCgroup
		? spawn(
				'/bin/sh',
				['-c', 'echo $$ > "$0/cgroup.procs" && exec "$@"', memoryCgroup, process.execPath, N8N_NO_MEMORY_REDUCER, N8N_BIN, ...args],
				{
					env,
					stdio: ['ignore', 'pipe', 'pipe'],
					detached: true,
				},
			)
		: spawn(process.execPath, [...N8N_V8_ARGS, N8N_BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
	const onData = (chunk) => {
		const s = chunk.toString();
		output.push(s);
		if (output.length > 2000) output.splice(0, output.length - 2000);
		if (log === true) process.stderr.write(s);
		else if (typeof log === 'function') log(s);
	};
	child.stdout.on('data', onData);
	child.stderr.on('data', onData);
	const exited = new Promise((r) => child.once('exit', r));
	const signalGroup = (signal) => {
		try {
			process.kill(-child.pid, signal);
		} catch {
			child.kill(signal);
		}
	};
	return {
		child,
		output,
		/** SIGTERM, SIGKILL after 15 s, then SIGKILL to whatever of the group is left. */
		async stop() {
			if (child.exitCode === null && child.signalCode === null) {
				signalGroup('SIGTERM');
				const t = setTimeout(() => signalGroup('SIGKILL'), 15_000);
				await exited;
				clearTimeout(t);
			}
			signalGroup('SIGKILL');
		},
		/** kill -9 of the process and everything it started, the way a crash would end it. */
		async kill() {
			signalGroup('SIGKILL');
			await exited;
		},
	};
}

/**
 * startN8n(options) -> { url, port, userFolder, apiKey, importWorkflow(json), activate(id),
 *   createCredential({ name, type, data }), api(method, path, body), webhook(path, init), logs(), stop(), kill() }
 *
 * options:
 *   port               default: a free port
 *   userFolder         default: a fresh temp folder (n8n data lives in <userFolder>/.n8n)
 *   env                extra environment for n8n (wins over the defaults)
 *   nodesPackageDir    a built node package (e.g. n8n-nodes): packed and installed like a community package
 *   tarball            a packed node package (.tgz) installed like a community package
 *   customExtensions   a folder for N8N_CUSTOM_EXTENSIONS (types then appear as CUSTOM.<name>)
 *   credentials        [{ id, name, type, data }] imported with `n8n import:credentials` before start
 *   workflows          [path | workflow object] imported with `n8n import:workflow` (ids kept) and published
 *   owner              { email, password, firstName, lastName }
 *   readyTimeoutMs     default 120000
 *   log                true: pipe n8n output to this process; a function: called with each chunk
 *   keepUserFolder     keep the temp user folder after stop() (only applies when userFolder was not given)
 *   memoryCgroup       a memory cgroup's folder (v1 or v2) that n8n and its task runner start in, like a container's limit
 */
export async function startN8n(options = {}) {
	if (!n8nInstalled()) throw new Error(`n8n is not installed at ${N8N_BIN} (run the set-up: cd n8n && npm install)`);
	const port = options.port || (await freePort());
	const brokerPort = await freePort();
	const ownFolder = !options.userFolder;
	const userFolder = options.userFolder ?? mkdtempSync(join(tmpdir(), 'cadence-n8n-'));
	mkdirSync(join(userFolder, '.n8n'), { recursive: true });
	const ownerIn = {
		email: 'owner@cadence.local',
		password: `Cadence-${randomBytes(6).toString('hex')}A1`,
		firstName: 'Cadence',
		lastName: 'Owner',
		...options.owner,
	};
	const owner = { ...ownerIn, passwordHash: bcryptHash(ownerIn.password) };
	const env = n8nEnv({ port, userFolder, brokerPort, owner, customExtensions: options.customExtensions, env: options.env });

	if (options.nodesPackageDir || options.tarball) {
		await installNodes({ userFolder, ...(options.tarball ? { tarball: options.tarball } : { packageDir: options.nodesPackageDir }) });
	}
	if (options.credentials?.length) {
		const file = join(userFolder, 'cadence-credentials.import.json');
		writeFileSync(file, JSON.stringify(options.credentials), { mode: 0o600 });
		await runCli(['import:credentials', `--input=${file}`], env);
	}
	for (const wf of options.workflows ?? []) {
		let file = wf;
		if (typeof wf !== 'string') {
			file = join(userFolder, `workflow-${wf.id ?? randomBytes(4).toString('hex')}.import.json`);
			writeFileSync(file, JSON.stringify(wf));
		}
		await runCli(['import:workflow', `--input=${file}`], env);
		const id = typeof wf === 'string' ? JSON.parse(readFileSync(wf, 'utf8')).id : wf.id;
		if (id && options.publish !== false) await runCli(['publish:workflow', `--id=${id}`], env);
	}

	const url = `http://127.0.0.1:${port}`;
	const { child, output, stop: stopProcess, kill } = spawnN8n(['start'], env, options.log, options.memoryCgroup);

	/** Stops n8n; a temp user folder created here is removed unless `keepUserFolder`. */
	const stop = async () => {
		await stopProcess();
		if (ownFolder && !options.keepUserFolder) rmSync(userFolder, { recursive: true, force: true });
	};

	try {
		await waitReady(url, child, options.readyTimeoutMs ?? 120_000);
	} catch (err) {
		await stop();
		throw new Error(`${err.message}\n--- n8n output ---\n${output.join('').slice(-4000)}`);
	}

	// Public API key for the owner: log in, then create a key with every scope there is.
	let apiKey;
	try {
		const login = await fetch(`${url}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: owner.email, password: owner.password }),
		});
		if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
		const cookie = (login.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
		const scopesRes = await fetch(`${url}/rest/api-keys/scopes`, { headers: { cookie } });
		const scopes = scopesRes.ok
			? (await scopesRes.json()).data
			: [
					'workflow:create',
					'workflow:read',
					'workflow:update',
					'workflow:activate',
					'workflow:deactivate',
					'credential:create',
					'execution:read',
					'execution:list',
				];
		const keyRes = await fetch(`${url}/rest/api-keys`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', cookie },
			body: JSON.stringify({ label: `cadence-${Date.now()}`, scopes, expiresAt: null }),
		});
		if (!keyRes.ok) throw new Error(`api key failed: ${keyRes.status} ${await keyRes.text()}`);
		apiKey = (await keyRes.json()).data.rawApiKey;
	} catch (err) {
		await stop();
		throw new Error(`n8n started but the public API key could not be created: ${err.message}\n${output.join('').slice(-4000)}`);
	}

	const api = async (method, path, body) => {
		const res = await fetch(`${url}/api/v1${path}`, {
			method,
			headers: { 'x-n8n-api-key': apiKey, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
			...(body !== undefined ? { body: JSON.stringify(body) } : {}),
		});
		const text = await res.text();
		const json = text ? JSON.parse(text) : {};
		if (!res.ok) throw new Error(`n8n ${method} ${path}: ${res.status} ${text}`);
		return json;
	};

	return {
		url,
		port,
		/** What every process of this instance runs with: queue-mode workers start from it (`startN8nWorker`). */
		env,
		/** The n8n main process (its task runner is a child of it). */
		pid: child.pid,
		userFolder,
		apiKey,
		owner: { email: owner.email, password: owner.password },
		api,
		/** Creates a workflow through the public API (n8n assigns the id); returns { id, ... }. */
		importWorkflow: (json) =>
			api('POST', '/workflows', { name: json.name, nodes: json.nodes, connections: json.connections, settings: json.settings ?? {} }),
		activate: (id) => api('POST', `/workflows/${id}/activate`),
		createCredential: ({ name, type, data }) => api('POST', '/credentials', { name, type, data }),
		/** POSTs to a production webhook, retrying 404 "not registered" right after activation. */
		async webhook(path, init = {}, timeoutMs = 30_000) {
			const until = Date.now() + timeoutMs;
			for (;;) {
				const res = await fetch(`${url}/webhook/${path}`, { method: 'POST', ...init });
				if (res.status !== 404 || Date.now() > until) return res;
				await new Promise((r) => setTimeout(r, 300));
			}
		},
		logs: () => output.join(''),
		stop,
		kill,
	};
}

/**
 * startN8nWorker({ main, concurrency, env, log }) -> { pid, logs(), stop(), kill() }
 *
 * One queue-mode worker (`n8n worker`) of an instance started by `startN8n` with `EXECUTIONS_MODE=queue`:
 * the same environment (database, Redis, encryption key, user folder with the installed nodes), its own
 * task-runner broker port and health port. Ready when its `/healthz/readiness` answers ok.
 */
export async function startN8nWorker({ main, concurrency = 10, env = {}, log, readyTimeoutMs = 120_000 }) {
	const [brokerPort, healthPort] = [await freePort(), await freePort()];
	const workerEnv = {
		...main.env,
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		QUEUE_HEALTH_CHECK_ACTIVE: 'true',
		QUEUE_HEALTH_CHECK_PORT: String(healthPort),
		N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
		...env,
	};
	const { child, output, stop, kill } = spawnN8n(['worker', `--concurrency=${concurrency}`], workerEnv, log);
	try {
		await waitReady(`http://127.0.0.1:${healthPort}`, child, readyTimeoutMs);
	} catch (err) {
		await stop();
		throw new Error(`n8n worker: ${err.message}\n--- worker output ---\n${output.join('').slice(-4000)}`);
	}
	return {
		pid: child.pid,
		logs: () => output.join(''),
		stop,
		/** kill -9 of the worker and its task runner, the way a crash would end it. */
		kill,
	};
}
