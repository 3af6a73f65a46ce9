// n8n in queue mode, as docker-compose.yml deploys it: one main receiving the campaign triggers and two
// workers running every execution, on PostgreSQL and Redis. Campaigns are sent by both workers with each
// message once; kill -9 of a worker mid-campaign loses nothing, sends nothing twice and leaves no
// execution running forever.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { N8N_MALLOC_ENV, N8N_NODE_FLAGS, N8N_V8_ARGS } from '../../n8n-runtime/lib/n8n-runtime.mjs';
import { assertSettled, sentSoFar } from './invariants.mjs';
import { closePool, startStack, waitFor } from './stack.mjs';

const SID = `AC${'d'.repeat(32)}`;
const FROM = '+14155550170';
const AUDIENCE = 1000;

describe('n8n in queue mode: one main and two workers', () => {
  let s;
  let twilio;
  let sms;
  let n8nDb;

  async function launch(block, settings = {}) {
    const items = Array.from({ length: AUDIENCE }, (_, k) => ({
      phone: `+1415${block}${String(k).padStart(4, '0')}`,
      consent: { sms: true },
    }));
    const ids = (await s.api('POST', '/leads', items)).body.ids;
    const created = await s.api('POST', '/campaigns', {
      name: `Queue ${block}`,
      type: 'blast',
      sender: { channelId: twilio },
      audience: { leadIds: ids },
      steps: [{ channel: 'sms', templateId: sms }],
      settings: { batchSize: 50, shards: 4, ...settings },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await s.api('POST', `/campaigns/${created.body.id}/launch`);
    return created.body.id;
  }

  /** Executions n8n still counts as in progress (its own database). */
  const unfinishedExecutions = async () =>
    (await n8nDb.query(`SELECT count(*)::int AS n FROM execution_entity WHERE status IN ('new', 'running')`)).rows[0].n;
  const startedBy = (worker) => (worker.logs().match(/Worker started execution/g) ?? []).length;

  beforeAll(async () => {
    s = await startStack({ queue: { workers: 2 }, n8nEnv: { N8N_LOG_LEVEL: 'info' } });
    n8nDb = new pg.Pool({ connectionString: s.n8nDatabaseUrl, max: 1 });
    twilio = (
      await s.api('POST', '/channels', {
        type: 'twilio',
        name: 'Line',
        config: { accountSid: SID, from: FROM, baseUrl: s.sandboxUrl, ratePerSecond: 200 },
        secrets: { authToken: 'sandbox-twilio-auth-token' },
      })
    ).body.id;
    sms = (await s.api('POST', '/templates', { name: 'SMS', channel: 'sms', body: 'Your code' })).body.id;
    await s.sandboxApi('PUT', '/rate-limits', { twilio: { numbers: { [FROM]: 200 } } });
    // No simulated failures for these numbers: every message has one outcome to compare.
    await s.sandboxApi('POST', '/behaviour/overrides', { match: '+1415*', behaviour: {} });
  });
  afterAll(async () => {
    if (process.exitCode && s) console.error(s.logs.slice(-80).join(''));
    if (n8nDb) await closePool(n8nDb);
    await s?.stop();
  });

  it("main and workers start with n8n's V8 flags and malloc settings (no memory limit sizes their heaps here)", () => {
    for (const pid of [s.n8n.pid, ...s.workers.map((w) => w.pid)]) {
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      // An execution that evaluates no expression (the exported workflow has none) takes no isolate.
      assert.ok(environ.includes('N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true'), `process ${pid}: lazy expression isolates`);
      assert.ok(
        environ.includes(`NODE_OPTIONS=${N8N_NODE_FLAGS.join(' ')}`),
        `process ${pid}: ${environ.find((v) => v.startsWith('NODE_OPTIONS='))}`,
      );
      for (const [name, value] of Object.entries(N8N_MALLOC_ENV))
        assert.ok(environ.includes(`${name}=${value}`), `process ${pid}: ${name}`);
      // The flags Node refuses in NODE_OPTIONS are on the command line, before n8n's script.
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      assert.deepEqual(argv.slice(1, 1 + N8N_V8_ARGS.length), N8N_V8_ARGS, `process ${pid}: ${argv.join(' ')}`);
      // Its full collections, taken mid-campaign, stopped a pacing worker for 30-150 ms (N8N_NO_MEMORY_REDUCER).
      assert.ok(argv.includes('--no-memory-reducer'), `process ${pid}: V8's memory reducer off`);
    }
  });

  it("docker-compose.yml gives n8n's main and workers the settings this harness starts them with", () => {
    const compose = readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8');
    const shared = compose.slice(compose.indexOf('x-n8n-env: &n8n-env'), compose.indexOf('\nservices:'));
    assert.match(shared, /^ {2}EXECUTIONS_MODE: queue$/m);
    assert.match(shared, /^ {2}N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: "true"$/m);
    for (const service of ['n8n', 'n8n-worker']) {
      const block = compose.slice(compose.indexOf(`\n  ${service}:\n`) + 1).split(/\n {2}(?=[a-z0-9-]+:\n)/)[0];
      assert.match(block, /<<: \*n8n-env/, `${service} merges x-n8n-env`);
      assert.match(
        block,
        /^ {4}entrypoint: \[.*exec node --no-memory-reducer "\$\$\(command -v n8n\)" "\$\$@"/m,
        `${service}: V8's memory reducer off`,
      );
    }
  });

  it('a campaign run as four shards is sent by both workers, each message once', async () => {
    const id = await launch('601');
    const done = await s.campaignDone(id, 300_000);
    assert.equal(done.status, 'completed');
    const counts = await assertSettled(s, id, { audience: AUDIENCE, phonePrefix: '+1415601' });
    assert.equal((counts.sent ?? 0) + (counts.delivered ?? 0), AUDIENCE);
    const [first, second] = s.workers.map(startedBy);
    assert.ok(first > 0 && second > 0, `both workers ran executions: ${first} and ${second}`);
    await waitFor(async () => (await unfinishedExecutions()) === 0, 'every execution to finish', 60_000);
  });

  it('kill -9 of a worker mid-campaign: the other finishes it, nothing twice, no execution left running', async () => {
    // Slow enough that the kill lands mid-campaign: 1,000 messages at 50/s.
    const id = await launch('602', { ratePerSecond: 50 });
    await waitFor(async () => (await sentSoFar(s, id)) >= 150, '150 sends', 120_000);
    const victim = s.workers.find((w) => startedBy(w) > 0) ?? s.workers[0];
    await victim.kill();
    const atKill = await sentSoFar(s, id);
    assert.ok(atKill < AUDIENCE, 'killed mid-campaign');
    const done = await s.campaignDone(id, 300_000);
    assert.equal(done.status, 'completed');
    const counts = await assertSettled(s, id, { audience: AUDIENCE, phonePrefix: '+1415602' });
    assert.ok((counts.sent ?? 0) + (counts.delivered ?? 0) > atKill, 'the surviving worker kept sending');
    // The dead worker's jobs stall, fail, and n8n's queue recovery marks their executions crashed.
    await waitFor(async () => (await unfinishedExecutions()) === 0, 'no execution left running', 120_000, 1000);
    const { rows } = await n8nDb.query(`SELECT status, count(*)::int AS n FROM execution_entity GROUP BY status`);
    console.log(
      `queue mode, worker killed at ${atKill}/${AUDIENCE} sent: final ${JSON.stringify(counts)}; n8n executions ${JSON.stringify(rows)}`,
    );
  });
});
