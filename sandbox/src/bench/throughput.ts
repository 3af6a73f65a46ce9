/**
 * Loopback throughput of the sandbox's hot paths, with rate limits off.
 * Starts dist/main.js in a child process (so server and load generator use separate cores),
 * then drives each endpoint with keep-alive connections for a fixed duration.
 *
 *   npm run bench                       # 5 s per scenario, 32 connections
 *   BENCH_SECONDS=10 BENCH_CONNECTIONS=64 npm run bench
 */
import { spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Pool } from 'undici';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const pipelining = Number(process.env.BENCH_PIPELINING ?? 4);

interface Scenario {
  name: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  /** Request bodies used round-robin (different recipients, like a real campaign). */
  bodies: string[];
  /** Recipients per request, to report messages/s next to requests/s. */
  recipients: number;
  expect: number;
}

function basic(user: string, pass: string): string {
  return 'Basic ' + Buffer.from(`${user}:${pass}`).toString('base64');
}

const VARIANTS = 500;
const variants = <T>(f: (i: number) => T): T[] => Array.from({ length: VARIANTS }, (_, i) => f(i));

function mailgunBatch(n: number, variant: number): string {
  const p = new URLSearchParams();
  p.set('from', 'Cadence <news@bench.example>');
  const vars: Record<string, { first: string; id: string }> = {};
  for (let i = 0; i < n; i++) {
    const to = `lead${variant}-${i}@bench.example`;
    p.append('to', to);
    vars[to] = { first: `Lead ${i}`, id: `cm-${i}` };
  }
  p.set('subject', 'Hello %recipient.first%');
  p.set('text', 'Hi %recipient.first%, this is a benchmark.');
  p.set('v:cadence-message-id', '%recipient.id%');
  p.set('recipient-variables', JSON.stringify(vars));
  return p.toString();
}

const scenarios: Scenario[] = [
  {
    // The floor: a request that does nothing, to show what HTTP alone costs on this machine.
    name: 'baseline GET /_sandbox/health',
    method: 'GET',
    path: '/_sandbox/health',
    headers: {},
    bodies: [''],
    recipients: 1,
    expect: 200,
  },
  {
    name: 'twilio Messages.json create',
    method: 'POST',
    path: '/2010-04-01/Accounts/ACbench00000000000000000000000000/Messages.json',
    headers: { authorization: basic('ACbench00000000000000000000000000', 'token'), 'content-type': 'application/x-www-form-urlencoded' },
    bodies: variants((i) =>
      new URLSearchParams({
        To: `+1555${String(1_000_000 + i).slice(1)}`,
        From: '+15551234567',
        Body: `Benchmark message ${i}`,
      }).toString(),
    ),
    recipients: 1,
    expect: 201,
  },
  {
    name: 'whatsapp /messages (text)',
    method: 'POST',
    path: '/v21.0/100200300/messages',
    headers: { authorization: 'Bearer bench-token', 'content-type': 'application/json' },
    bodies: variants((i) =>
      JSON.stringify({
        messaging_product: 'whatsapp',
        to: `1555${String(1_000_000 + i).slice(1)}`,
        type: 'text',
        text: { body: `Benchmark message ${i}` },
      }),
    ),
    recipients: 1,
    expect: 200,
  },
  {
    name: 'mailgun /messages batch of 10',
    method: 'POST',
    path: '/v3/bench.example/messages',
    headers: { authorization: basic('api', 'key-bench'), 'content-type': 'application/x-www-form-urlencoded' },
    bodies: variants((i) => mailgunBatch(10, i)),
    recipients: 10,
    expect: 200,
  },
  {
    name: 'mailgun /messages batch of 1000',
    method: 'POST',
    path: '/v3/bench.example/messages',
    headers: { authorization: basic('api', 'key-bench'), 'content-type': 'application/x-www-form-urlencoded' },
    bodies: Array.from({ length: 20 }, (_, i) => mailgunBatch(1000, i)),
    recipients: 1000,
    expect: 200,
  },
];

function control(base: URL, method: string, p: string, body = ''): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: base.hostname, port: base.port, method, path: p, headers: { 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve());
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** CPU seconds (user+system) the sandbox process has used; Linux only. */
function serverCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

async function run(
  base: URL,
  s: Scenario,
  pid: number | undefined,
): Promise<{ rps: number; mps: number; errors: number; total: number; cpuPerRequestMs?: number }> {
  // undici with a little pipelining keeps the load generator cheap enough to saturate the server.
  const pool = new Pool(base.origin, { connections, pipelining });
  let next = 0;
  const once = async (): Promise<number> => {
    const body = s.bodies[next++ % s.bodies.length];
    const res = await pool.request(
      s.method === 'GET' ? { method: 'GET', path: s.path, headers: s.headers } : { method: 'POST', path: s.path, headers: s.headers, body },
    );
    await res.body.dump();
    return res.statusCode;
  };
  const workers = connections * pipelining;
  await Promise.all(Array.from({ length: workers }, once));
  let total = 0;
  let errors = 0;
  const cpuBefore = serverCpuSeconds(pid);
  const until = Date.now() + seconds * 1000;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (Date.now() < until) {
        const status = await once();
        total += 1;
        if (status !== s.expect) errors += 1;
      }
    }),
  );
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuAfter = serverCpuSeconds(pid);
  await pool.close();
  const result: { rps: number; mps: number; errors: number; total: number; cpuPerRequestMs?: number } = {
    rps: total / elapsed,
    mps: (total * s.recipients) / elapsed,
    errors,
    total,
  };
  if (cpuBefore !== undefined && cpuAfter !== undefined && total > 0) result.cpuPerRequestMs = ((cpuAfter - cpuBefore) * 1000) / total;
  return result;
}

function readLoad(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'n/a';
  }
}

/** On 2+ cores the load generator and the server each get a core of their own, so they do not take turns. */
const PIN = existsSync('/usr/bin/taskset') && availableParallelism() >= 2;

async function main(): Promise<void> {
  if (PIN && !process.env.SANDBOX_BENCH_PINNED) {
    const res = spawnSync('taskset', ['-c', '0', process.execPath, __filename, ...process.argv.slice(2)], {
      stdio: 'inherit',
      env: { ...process.env, SANDBOX_BENCH_PINNED: '1' },
    });
    process.exit(res.status ?? 1);
  }
  const server = [path.join(__dirname, '..', 'main.js')];
  const child = spawn(PIN ? 'taskset' : process.execPath, PIN ? ['-c', '1', process.execPath, ...server] : server, {
    env: { ...process.env, SANDBOX_PORT: '0', SANDBOX_HOST: '127.0.0.1', SANDBOX_RATE_LIMITS: 'off' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /http:\/\/[\d.]+:\d+/.exec(out);
      if (m) resolve(m[0]);
    });
    child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
  });
  const base = new URL(url);
  console.log(`load average before: ${readLoad()}`);
  console.log(
    `sandbox ${url} (child process, SANDBOX_RATE_LIMITS=off); ${connections} keep-alive connections x pipelining ${pipelining}, ${seconds}s per scenario, node ${process.version}`,
  );
  try {
    for (const s of scenarios) {
      await control(base, 'POST', '/_sandbox/reset');
      // Recipients who text STOP would (rightly) turn later sends into 21610 errors.
      await control(base, 'PUT', '/_sandbox/behaviour', JSON.stringify({ rates: { stop: 0 } }));
      const r = await run(base, s, child.pid);
      const perMsg = s.recipients > 1 ? `, ${Math.round(r.mps).toLocaleString('en-US')} recipients/s` : '';
      // CPU per request shows what the server could do on one free core, whatever else the machine runs.
      const cpu =
        r.cpuPerRequestMs !== undefined
          ? `; server CPU ${(r.cpuPerRequestMs * 1000).toFixed(0)} us/request = ${Math.round(1000 / r.cpuPerRequestMs).toLocaleString('en-US')} requests/s per core`
          : '';
      console.log(
        `${s.name.padEnd(34)} ${Math.round(r.rps).toLocaleString('en-US').padStart(8)} requests/s${perMsg}  (${r.total} requests, ${r.errors} unexpected statuses${cpu})`,
      );
    }
  } finally {
    child.kill('SIGTERM');
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
