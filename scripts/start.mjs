#!/usr/bin/env node
// `npm start`: the whole product on one machine with nothing configured: the provider sandbox, the
// backend (embedded PGlite unless DATABASE_URL is set), and a local n8n with Cadence's nodes, its
// credential and the exported workflows imported and active. Ctrl-C stops everything.
import './require-node.mjs';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BACKEND_NODE_FLAGS } from '../backend/node-flags.mjs';
import { n8nInstalled, startN8n } from '../n8n-runtime/lib/n8n-runtime.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PORT = Number(process.env.PORT ?? 3000);
const N8N_PORT = Number(process.env.N8N_PORT ?? 5678);
const SANDBOX_PORT = Number(process.env.SANDBOX_PORT ?? 4010);
const DATA_DIR = resolve(root, process.env.DATA_DIR ?? '.data');
const backendUrl = `http://127.0.0.1:${PORT}`;
const sandboxUrl = `http://127.0.0.1:${SANDBOX_PORT}`;
const children = [];

/** The same files the backend would generate: created here first so n8n's credential can carry them. */
function localSecret(file, variable) {
  if (process.env[variable]) return process.env[variable];
  const path = join(DATA_DIR, file);
  if (!existsSync(path)) writeFileSync(path, randomBytes(32).toString('base64url') + '\n', { mode: 0o600 });
  return readFileSync(path, 'utf8').trim();
}

function run(name, script, env, nodeFlags = []) {
  const child = spawn(process.execPath, [...nodeFlags, join(root, script)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = (chunk) =>
    chunk
      .toString()
      .split('\n')
      .filter(Boolean)
      .map((l) => `[${name}] ${l}`)
      .join('\n') + '\n';
  child.stdout.on('data', (c) => process.stdout.write(prefix(c)));
  child.stderr.on('data', (c) => process.stderr.write(prefix(c)));
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[${name}] exited (${signal ?? code}); stopping everything`);
      void stop(1);
    }
  });
  children.push(child);
  return child;
}

async function waitFor(url, what, timeoutMs = 120_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (
      await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not become ready at ${url}`);
}

let stopping = false;
let n8n;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  await n8n?.stop().catch(() => undefined);
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : undefined)));
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

/** First start on a fresh clone: build the workspaces and install the pinned n8n (later starts skip both). */
function ensureSetUp() {
  const built = [
    'backend/dist/main.js',
    'sandbox/dist/main.js',
    'n8n-nodes/dist',
    'packages/contracts/dist/index.js',
    'packages/render/dist/index.js',
    'web/dist/index.html',
  ].every((f) => existsSync(join(root, f)));
  if (!built) {
    console.log('Building the workspaces (first start)...');
    if (spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' }).status !== 0) throw new Error('the build failed');
  }
  if (!n8nInstalled() && spawnSync(process.execPath, [join(root, 'scripts/setup-n8n.mjs')], { cwd: root, stdio: 'inherit' }).status !== 0) {
    throw new Error('installing n8n failed');
  }
}

async function main() {
  ensureSetUp();
  mkdirSync(DATA_DIR, { recursive: true });
  const internalToken = localSecret('internal-api.token', 'INTERNAL_API_TOKEN');
  const triggerSecret = localSecret('trigger-signing.secret', 'TRIGGER_SIGNING_SECRET');

  run('sandbox', 'sandbox/dist/main.js', { SANDBOX_PORT: String(SANDBOX_PORT), SANDBOX_HOST: '127.0.0.1' });
  await waitFor(`${sandboxUrl}/_sandbox/health`, 'the sandbox');

  const backendEnv = {
    PORT: String(PORT),
    HOST: process.env.HOST ?? '127.0.0.1',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    DATA_DIR,
    PUBLIC_URL: process.env.PUBLIC_URL ?? backendUrl,
    N8N_URL: `http://127.0.0.1:${N8N_PORT}`,
    INTERNAL_API_TOKEN: internalToken,
    TRIGGER_SIGNING_SECRET: triggerSecret,
    // Google sign-in and Gmail go to the sandbox's Google unless real endpoints are configured.
    GOOGLE_BASE_URL: process.env.GOOGLE_BASE_URL ?? sandboxUrl,
    GMAIL_API_BASE_URL: process.env.GMAIL_API_BASE_URL ?? sandboxUrl,
    GOOGLE_CLIENT_ID: process.env.GOOGLE_CLIENT_ID ?? 'cadence-demo.apps.googleusercontent.com',
    GOOGLE_CLIENT_SECRET: process.env.GOOGLE_CLIENT_SECRET ?? 'cadence-demo-secret',
    // Channels may point at the local provider sandbox (the README's first campaign does), and at nothing
    // else internal, unless the operator says so.
    CUSTOM_PROVIDER_URLS: process.env.CUSTOM_PROVIDER_URLS ?? 'on',
    PROVIDER_URL_ALLOWLIST: process.env.PROVIDER_URL_ALLOWLIST ?? `127.0.0.1:${SANDBOX_PORT},localhost:${SANDBOX_PORT}`,
  };
  run('backend', 'backend/dist/main.js', backendEnv, BACKEND_NODE_FLAGS);
  await waitFor(`${backendUrl}/health`, 'the backend');

  // A stable editor login for the operator, kept with the rest of the local data.
  const ownerFile = join(DATA_DIR, 'n8n-owner.json');
  if (!existsSync(ownerFile))
    writeFileSync(ownerFile, JSON.stringify({ email: 'owner@cadence.local', password: `Cadence-${randomBytes(8).toString('hex')}A1` }), {
      mode: 0o600,
    });
  const owner = JSON.parse(readFileSync(ownerFile, 'utf8'));
  console.log('[n8n] starting with the Cadence nodes (first start takes a minute)...');
  n8n = await startN8n({
    port: N8N_PORT,
    userFolder: join(DATA_DIR, 'n8n'),
    nodesPackageDir: join(root, 'n8n-nodes'),
    owner: { ...owner, firstName: 'Cadence', lastName: 'Operator' },
    credentials: [
      {
        id: 'CadenceApiCred01',
        name: 'Cadence API',
        type: 'cadenceApi',
        data: { baseUrl: backendUrl, apiKey: internalToken, signingSecret: triggerSecret },
      },
    ],
    workflows: [join(root, 'workflows', 'cadence-campaign.json')],
  });

  console.log(`
Cadence is running.
  Web UI    ${backendUrl}/        (sign in with the sandbox's Google, then Settings)
  Backend   ${backendUrl}        (REST /api/v1, docs ${backendUrl}/docs, health ${backendUrl}/health)
  n8n       ${n8n.url}        (editor login ${owner.email} / ${owner.password})
  Sandbox   ${sandboxUrl}        (what the "providers" received: ${sandboxUrl}/_sandbox)
  Data      ${DATA_DIR}

Create an organization and its API key:   npm run cli -- org:create --name "My team"
Then follow the README's "Send your first campaign". Ctrl-C stops everything.
`);
}

main().catch(async (error) => {
  console.error(`npm start failed: ${error instanceof Error ? error.message : error}`);
  await stop(1);
});
