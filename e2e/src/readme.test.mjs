// The README is the user's door: its "Send your first campaign" block, run as written by bash against
// `npm start` (the embedded database, the default ports), must end with the personalised SMS at the
// sandbox. The block is read from README.md itself, so the test and the README cannot drift apart.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { ROOT, waitFor } from './stack.mjs';

/** The first ```bash block after the "Send your first campaign" heading. */
function firstCampaignBlock() {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Send your first campaign'));
  const match = section.match(/```bash\n([\s\S]*?)```/);
  assert.ok(match, 'README.md has a bash block under "Send your first campaign"');
  return match[1];
}

/** Whether something accepts connections on the port (whatever it answers). */
function listening(port) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

async function reachable(url) {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

describe("the README's first campaign, verbatim, against npm start", () => {
  let dataDir;
  let start;
  let output = '';

  beforeAll(async () => {
    for (const port of [3000, 4010, 5678]) {
      assert.equal(await listening(port), false, `port ${port} is already in use: stop what runs there`);
    }
    // A data folder of its own, so a developer's .data is never touched; the CLI finds it through the same variable.
    dataDir = mkdtempSync(join(tmpdir(), 'cadence-readme-'));
    start = spawn('npm', ['start'], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    start.stdout.on('data', (chunk) => (output += chunk));
    start.stderr.on('data', (chunk) => (output += chunk));
    // Fails at once if npm start gives up (a port taken, a build error), with what it printed.
    const exited = new Promise((_, reject) =>
      start.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output.slice(-3000)}`))),
    );
    exited.catch(() => undefined);
    await Promise.race([
      waitFor(
        async () => /Cadence is running/.test(output) && (await reachable('http://127.0.0.1:3000/health')),
        'npm start to say "Cadence is running"',
        240_000,
      ),
      exited,
    ]);
  }, 300_000);

  afterAll(async () => {
    if (start?.pid) {
      try {
        process.kill(-start.pid, 'SIGINT');
      } catch {
        // already gone
      }
      await new Promise((resolve) => {
        const timer = setTimeout(() => {
          try {
            process.kill(-start.pid, 'SIGKILL');
          } catch {
            // already gone
          }
          resolve();
        }, 15_000);
        start.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('runs every command of the block, and the sandbox receives the three personalised SMS', async () => {
    const run = spawnSync('bash', ['-eo', 'pipefail', '-c', firstCampaignBlock()], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir },
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(run.status, 0, `the README block failed:\n${run.stdout}\n${run.stderr}`);
    assert.doesNotMatch(run.stdout, /"statusCode":\s*4\d\d|"code":"(unauthorized|validation_failed)/, run.stdout);
    // What the README's comments promise the reader sees.
    assert.match(run.stdout, /"ok":true/, 'the channel test connects');
    assert.match(run.stdout, /"status":"completed"/, run.stdout);
    assert.match(run.stdout, /"delivered":3/, run.stdout);

    const texts = await waitFor(
      async () => {
        const res = await fetch('http://127.0.0.1:4010/_sandbox/messages?provider=twilio');
        const bodies = (await res.json()).items.map((m) => m.body).sort();
        return bodies.length >= 3 ? bodies : undefined;
      },
      `3 SMS at the sandbox (the block printed: ${run.stdout.slice(-1500)})`,
      60_000,
    );
    assert.deepEqual(texts, ['Hi Ada, welcome aboard!', 'Hi Grace, welcome aboard!', 'Hi there, welcome aboard!']);
  }, 240_000);
});
