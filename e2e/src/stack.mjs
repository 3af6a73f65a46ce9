// Starts the whole product the way `npm start` does, but isolated per test file: the sandbox, the
// backend (its own process, on a fresh PostgreSQL database) and a real n8n running our nodes.
import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { BACKEND_NODE_FLAGS } from '../../backend/node-flags.mjs';
import { freePort, startN8n, startN8nWorker } from '../../n8n-runtime/lib/n8n-runtime.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function waitFor(check, what, timeoutMs = 60_000, everyMs = 250) {
  const until = Date.now() + timeoutMs;
  let last;
  while (Date.now() < until) {
    try {
      if ((last = await check())) return last;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
}

function spawnNode(script, env, name, logs, nodeFlags = []) {
  const child = spawn(process.execPath, [...nodeFlags, join(ROOT, script)], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (c) => {
    logs.push(`[${name}] ${c}`);
    if (logs.length > 500) logs.shift();
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return child;
}

function killHard(child) {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  return child ? new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r))) : Promise.resolve();
}

/**
 * n8n in queue mode as docker-compose.yml runs it: main and workers on their own PostgreSQL database and
 * Redis (127.0.0.1:6379), under a Bull prefix of their own so stacks never take each other's jobs. The
 * worker settings make a dead worker's job stall, fail and its execution be marked crashed within seconds
 * instead of n8n's defaults (lock 60 s, stalled check 30 s, recovery every 180 minutes; docker-compose.yml: 5).
 */
function queueModeEnv(n8nDbName) {
  const server = new URL(SERVER_URL);
  const prefix = `cadence-e2e-${randomBytes(4).toString('hex')}`;
  const redis = new URL(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
  return {
    DB_TYPE: 'postgresdb',
    DB_POSTGRESDB_HOST: server.hostname,
    DB_POSTGRESDB_PORT: server.port || '5432',
    DB_POSTGRESDB_DATABASE: n8nDbName,
    DB_POSTGRESDB_USER: decodeURIComponent(server.username || 'postgres'),
    DB_POSTGRESDB_PASSWORD: decodeURIComponent(server.password),
    EXECUTIONS_MODE: 'queue',
    QUEUE_BULL_REDIS_HOST: redis.hostname,
    QUEUE_BULL_REDIS_PORT: redis.port || '6379',
    QUEUE_BULL_REDIS_DB: redis.pathname.slice(1) || '0',
    QUEUE_BULL_PREFIX: prefix,
    N8N_REDIS_KEY_PREFIX: prefix,
    N8N_ENCRYPTION_KEY: randomBytes(24).toString('base64url'),
    QUEUE_WORKER_LOCK_DURATION: '6000',
    QUEUE_WORKER_LOCK_RENEW_TIME: '2000',
    QUEUE_WORKER_STALLED_INTERVAL: '3000',
    N8N_EXECUTIONS_QUEUE_RECOVERY_INTERVAL: '0.25',
  };
}

/**
 * Ends a pg Pool once its connections have really closed. Pool.end() resolves when its clients are asked to
 * end, not when they have: a DROP DATABASE … WITH (FORCE) right after can terminate a connection still
 * closing, and the pool raises that (57P01) as an 'error' event nobody listens to any more, failing the test.
 */
export async function closePool(pool) {
  const open = pool.totalCount;
  const closed = new Promise((done) => {
    let removed = 0;
    if (open === 0) done();
    pool.on('remove', () => {
      removed += 1;
      if (removed >= open) done();
    });
  });
  await pool.end();
  await closed;
}

/**
 * `google: true` points the backend's Google sign-in and Gmail at this stack's sandbox (as `npm start` does),
 * with open sign-up, so a browser can sign in as a new user. `n8n: false` leaves n8n out (nothing sends).
 * `queue: { workers: n }` runs n8n in queue mode: one main (webhooks) and n workers (every execution).
 * `n8nMemoryCgroup`: a memory cgroup's folder n8n starts in (a benchmark's stand-in for a container's limit).
 */
export async function startStack({
  sandboxEnv = {},
  backendEnv = {},
  n8nEnv = {},
  n8nMemoryCgroup,
  google = false,
  n8n = true,
  queue,
} = {}) {
  const logs = [];
  const dbName = `cadence_e2e_${randomBytes(5).toString('hex')}`;
  const n8nDbName = `${dbName}_n8n`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  if (queue) await admin.query(`CREATE DATABASE ${n8nDbName}`);
  await admin.end();
  const queueEnv = queue ? queueModeEnv(n8nDbName) : {};
  const dbUrl = new URL(SERVER_URL);
  dbUrl.pathname = `/${dbName}`;
  const db = new pg.Pool({ connectionString: dbUrl.toString(), max: 3 });
  const dataDir = mkdtempSync(join(tmpdir(), 'cadence-e2e-'));
  const n8nFolder = mkdtempSync(join(tmpdir(), 'cadence-e2e-n8n-'));
  const [sandboxPort, backendPort, n8nPort] = [await freePort(), await freePort(), await freePort()];
  const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
  const backendUrl = `http://127.0.0.1:${backendPort}`;
  const internalToken = randomBytes(32).toString('base64url');
  const triggerSecret = randomBytes(32).toString('base64url');
  const backendEnvFull = {
    DATABASE_URL: dbUrl.toString(),
    DATA_DIR: dataDir,
    PORT: String(backendPort),
    HOST: '127.0.0.1',
    PUBLIC_URL: backendUrl,
    N8N_URL: `http://127.0.0.1:${n8nPort}`,
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    INTERNAL_API_TOKEN: internalToken,
    TRIGGER_SIGNING_SECRET: triggerSecret,
    // The sandbox runs on loopback: channels point there.
    CUSTOM_PROVIDER_URLS: 'on',
    PROVIDER_URL_ALLOWLIST: '127.0.0.1',
    LEASE_TTL_SECONDS: '25',
    SCHEDULER_INTERVAL_MS: '250',
    LOG_LEVEL: 'warn',
    ...(google && {
      GOOGLE_BASE_URL: sandboxUrl,
      GMAIL_API_BASE_URL: sandboxUrl,
      // The sandbox accepts any client id and secret unless it is started strict.
      GOOGLE_CLIENT_ID: 'cadence-e2e.apps.googleusercontent.com',
      GOOGLE_CLIENT_SECRET: 'cadence-e2e-secret',
      SIGNUP_MODE: 'open',
    }),
    ...backendEnv,
  };

  const stack = {
    logs,
    db,
    sandboxUrl,
    backendUrl,
    /** PostgreSQL connection string of this stack's own database. */
    databaseUrl: dbUrl.toString(),
    sandbox: spawnNode(
      'sandbox/dist/main.js',
      { SANDBOX_PORT: String(sandboxPort), SANDBOX_HOST: '127.0.0.1', ...sandboxEnv },
      'sandbox',
      logs,
    ),
    backend: undefined,
    n8n: undefined,
    /** Queue mode: the running workers. */
    workers: [],
    key: undefined,
    /** Queue mode: n8n's own database (executions, workflows). */
    n8nDatabaseUrl: queue ? Object.assign(new URL(SERVER_URL), { pathname: `/${n8nDbName}` }).toString() : undefined,

    async startBackend() {
      this.backend = spawnNode('backend/dist/main.js', backendEnvFull, 'backend', logs, BACKEND_NODE_FLAGS);
      await waitFor(() => fetch(`${backendUrl}/health`).then((r) => r.ok), 'the backend');
    },
    async killBackend() {
      await killHard(this.backend);
    },
    async startN8n() {
      this.n8n = await startN8n({
        port: n8nPort,
        userFolder: n8nFolder,
        nodesPackageDir: this.n8n ? undefined : join(ROOT, 'n8n-nodes'),
        credentials: [
          {
            id: 'CadenceApiCred01',
            name: 'Cadence API',
            type: 'cadenceApi',
            data: { baseUrl: backendUrl, apiKey: internalToken, signingSecret: triggerSecret },
          },
        ],
        workflows: [join(ROOT, 'workflows', 'cadence-campaign.json')],
        env: { ...queueEnv, ...n8nEnv },
        memoryCgroup: n8nMemoryCgroup,
        log: (s) => {
          logs.push(`[n8n] ${s}`);
          if (logs.length > 500) logs.shift();
        },
      });
      // A freshly published webhook may answer 404 for a moment after start.
      await waitFor(
        async () =>
          (
            await fetch(`${this.n8n.url}/webhook/cadence-campaign`, {
              method: 'POST',
              body: '{}',
              headers: { 'content-type': 'application/json' },
            })
          ).status !== 404,
        'the campaign webhook',
      );
    },
    /** kill -9 of n8n and its task runner: no goodbye, no cleanup. */
    async killN8n() {
      await this.n8n.kill();
    },
    /** Queue mode: one more worker, with the main's environment. */
    async startWorker() {
      const name = `n8n-worker-${this.workers.length + 1}`;
      const worker = await startN8nWorker({
        main: this.n8n,
        log: (chunk) => {
          logs.push(`[${name}] ${chunk}`);
          if (logs.length > 500) logs.shift();
        },
      });
      this.workers.push(worker);
      return worker;
    },

    async api(method, path, body, headers = {}) {
      const res = await fetch(`${backendUrl}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${this.key}`, ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    /** A Mailgun channel at this stack's sandbox (domain mg.cadence.test, the sandbox's signing key); its id. */
    async mailgunChannel() {
      const res = await this.api('POST', '/channels', {
        type: 'mailgun',
        name: 'MG',
        config: { domain: 'mg.cadence.test', from: 'Cadence <team@mg.cadence.test>', baseUrl: sandboxUrl },
        secrets: { apiKey: 'key-e2e', webhookSigningKey: 'sandbox-mailgun-signing-key' },
      });
      if (res.status !== 201) throw new Error(`mailgun channel refused: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.id;
    },
    async sandboxApi(method, path, body) {
      const res = await fetch(`${sandboxUrl}/_sandbox${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return res.json();
    },
    async campaignDone(id, timeoutMs = 180_000) {
      return waitFor(
        async () => {
          const c = (await this.api('GET', `/campaigns/${id}`)).body;
          return ['completed', 'cancelled'].includes(c.status) ? c : false;
        },
        `campaign ${id} to complete`,
        timeoutMs,
        500,
      );
    },
    /** Stops every process of the stack and drops its databases; a second call waits for the first. */
    stop() {
      stopping ??= this.stopOnce();
      return stopping;
    },
    async stopOnce() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      for (const worker of this.workers) await worker.stop().catch(() => undefined);
      await this.n8n?.stop().catch(() => undefined);
      await killHard(this.backend);
      await killHard(this.sandbox);
      await closePool(db);
      const a = new pg.Client({ connectionString: SERVER_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await a.query(`DROP DATABASE IF EXISTS ${n8nDbName} WITH (FORCE)`);
      await a.end();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(n8nFolder, { recursive: true, force: true });
    },
  };
  // An interrupted benchmark or test (Ctrl-C, `kill`) still stops what it started: n8n runs in its own
  // process group, so a terminal's SIGINT never reaches it, and it would stay running beside the next run.
  let stopping;
  function onSignal(signal) {
    const exit = () => process.kill(process.pid, signal);
    setTimeout(exit, 15_000).unref();
    stack.stop().finally(exit);
  }
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  await waitFor(() => fetch(`${sandboxUrl}/_sandbox/health`).then((r) => r.ok), 'the sandbox');
  await stack.startBackend();
  const out = execFileSync(process.execPath, [join(ROOT, 'backend/dist/cli.js'), 'org:create', '--name', 'E2E'], {
    env: { PATH: process.env.PATH, ...backendEnvFull },
    encoding: 'utf8',
  });
  stack.key = JSON.parse(out).apiKey;
  if (n8n) await stack.startN8n();
  for (let i = 0; n8n && i < (queue?.workers ?? 0); i++) await stack.startWorker();
  return stack;
}
