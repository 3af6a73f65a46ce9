#!/usr/bin/env node
// The send path's writes to `messages`, alone, on PostgreSQL (issue 20, item 3: a leaner write path):
// BENCH_ROWS (100,000) messages of one email campaign are materialized, then leased, marked `sending`,
// reported `sent` and moved to `delivered` by the provider's callbacks in batches of 1,000, with the backend's
// own statements (backend/dist message-status.js).
// Two schemas in the same run, in alternating rounds (BENCH_ROUNDS, 3 each):
//  - now: every migration, as deployed;
//  - before: the migrations of this work reverted (1797800000000: indexes on `status`, no fillfactor, two
//    unique/lead indexes; 1797900000000: three foreign keys for step, campaign and organization;
//    1798000000000: random message ids, not time-ordered ones; 1798200000000: the step key as a foreign key,
//    checked a row at a time; 1798300000000: `delivered` a status of its own to the indexes; 1798400000000:
//    `leased` a status of its own to the indexes, a lease-expiry index, no `message_leases`), with the lease and
//    the `sending` mark as they were then (the mark also moved `lease_expires_at`) and the batches read from
//    `jsonb` as they were then (`json` now: parsed once, not converted to a tree).
// Prints the CPU each statement cost the PostgreSQL server process of the connection (/proc, that process
// only: no other client, no background worker), per message, and how many of the leases, of the `sending` marks
// and of the `delivered` moves were HOT.
import { createRequire } from 'node:module';
import { cpuSeconds } from './proc-stats.mjs';

const require = createRequire(new URL('../backend/package.json', import.meta.url));
require('reflect-metadata');
const { DataSource } = require('typeorm');
const { Client } = require('pg');
const { dataSourceOptions } = require('../backend/dist/database/data-source-options.js');
const Messages = require('../backend/dist/modules/messages/message-status.js');

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BATCH = 1000;
const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ORG = '00000000-0000-0000-0000-000000000001';
const TEMPLATE = '00000000-0000-0000-0000-000000000002';
const CAMPAIGN = '00000000-0000-0000-0000-000000000101';
const STEP = '00000000-0000-0000-0000-000000000201';
const RUN = '00000000-0000-0000-0000-000000000301';
const STATEMENTS = ['materialize', 'lease', 'sending', 'report', 'delivered'];

/**
 * The first migration of the leaner write path: `before` is the schema without it and what followed.
 * BENCH_BEFORE_MIGRATION=<timestamp> measures the migrations from that one on alone (1798300000000: `delivered`
 * folded into `sent`), both sides then running today's statements.
 */
const FIRST_LEAN_MIGRATION = Number(process.env.BENCH_BEFORE_MIGRATION ?? 1797800000000);
const OLD_STATEMENTS = process.env.BENCH_BEFORE_MIGRATION === undefined;
const lastMigration = async (ds) => Number((await ds.query('SELECT max("timestamp") AS t FROM migrations'))[0].t);

/** The `sending` mark before migration 1797800000000: it moved the lease's expiry too. */
const SENDING_BEFORE = `UPDATE messages SET status = 'sending', lease_expires_at = clock_timestamp() + make_interval(secs => 300)
  WHERE campaign_id = $1 AND lease_id = $2 AND id = ANY($3::uuid[]) AND status IN ('leased') AND lease_expires_at > clock_timestamp()
  RETURNING id`;

/** The lease before migration 1798400000000: no row of `message_leases` (the table did not exist). */
const LEASE_BEFORE = `UPDATE messages SET status = 'leased', lease_id = $1, run_id = $2, attempts = attempts + 1, to_address = v.address,
         lease_expires_at = clock_timestamp() + make_interval(secs => $3)
    FROM json_to_recordset($4::json) AS v(id uuid, address text)
   WHERE messages.id = v.id AND messages.status IN ('queued')
  RETURNING messages.lease_expires_at AS expires`;
const HOT_LEASE_MIGRATION = 1798400000000;

/** A batch statement as it was before: `jsonb_to_recordset($n::jsonb)` where it now reads `json`. */
const asBefore = (sql) => sql.replace(/\bjson_to_recordset\((\$\d+)::json\)/g, 'jsonb_to_recordset($1::jsonb)');

async function scratchDatabase(admin, name, schema) {
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const ds = new DataSource(dataSourceOptions({ DATABASE_URL: url.toString(), DATA_DIR: '.data' }));
  await ds.initialize();
  await ds.runMigrations();
  if (schema === 'before') while ((await lastMigration(ds)) >= FIRST_LEAN_MIGRATION) await ds.undoLastMigration();
  await ds.destroy();
  const db = new Client({ connectionString: url.toString() });
  await db.connect();
  // A campaign needs a sender; the probe measures rows, not senders, so the scratch database drops that check.
  await db.query(`ALTER TABLE campaigns DROP CONSTRAINT "CHK_campaigns_one_sender"`);
  await db.query(`INSERT INTO organizations (id, name) VALUES ($1, 'write path')`, [ORG]);
  await db.query(
    `INSERT INTO templates (id, organization_id, name, channel, subject, html) VALUES ($1, $2, 't', 'email', 'Hi', '<p>Hello</p>')`,
    [TEMPLATE, ORG],
  );
  await db.query(
    `INSERT INTO campaigns (id, organization_id, name, type, status, audience) VALUES ($1, $2, 'c', 'blast', 'active', '{"all":true}')`,
    [CAMPAIGN, ORG],
  );
  await db.query(
    `INSERT INTO campaign_steps (id, organization_id, campaign_id, position, channel, template_id) VALUES ($1, $2, $3, 0, 'email', $4)`,
    [STEP, ORG, CAMPAIGN, TEMPLATE],
  );
  await db.query(`INSERT INTO campaign_runs (id, organization_id, campaign_id, last_seen_at) VALUES ($1, $2, $3, now())`, [
    RUN,
    ORG,
    CAMPAIGN,
  ]);
  await db.query(`INSERT INTO leads (organization_id, email) SELECT $1, 'reader' || g || '@bench.test' FROM generate_series(1, $2) g`, [
    ORG,
    ROWS,
  ]);
  await db.query('VACUUM ANALYZE');
  return db;
}

async function round(admin, schema, n) {
  const name = `cadence_write_path_${process.pid}_${n}`;
  const db = await scratchDatabase(admin, name, schema);
  try {
    // TypeORM's query runner answers [rows, count] for UPDATE: the backend's statements expect that shape.
    const m = {
      query: async (sql, params) => {
        const r = await db.query(schema === 'before' && OLD_STATEMENTS ? asBefore(sql) : sql, params);
        return r.command === 'UPDATE' ? [r.rows, r.rowCount] : r.rows;
      },
    };
    const [{ pid }] = (await db.query('SELECT pg_backend_pid() AS pid')).rows;
    const cpu = Object.fromEntries(STATEMENTS.map((s) => [s, 0]));
    const timed = async (statement, work) => {
      const before = cpuSeconds(pid);
      await db.query('BEGIN');
      const result = await work();
      await db.query('COMMIT');
      cpu[statement] += cpuSeconds(pid) - before;
      return result;
    };
    const stats = async () =>
      (await db.query(`SELECT n_tup_upd AS upd, n_tup_hot_upd AS hot FROM pg_stat_xact_user_tables WHERE relname = 'messages'`)).rows[0];
    await timed('materialize', () =>
      db.query(
        `INSERT INTO messages (organization_id, campaign_id, step_id, lead_id, position, channel, status, to_address, due_at)
         SELECT organization_id, $1, $2, id, 0, 'email', 'queued', email, now() FROM leads`,
        [CAMPAIGN, STEP],
      ),
    );
    await db.query('ANALYZE messages');
    const updated = { lease: { all: 0, hot: 0 }, sending: { all: 0, hot: 0 }, delivered: { all: 0, hot: 0 } };
    const counting = async (statement, work) => {
      const before = await stats();
      await work();
      const after = await stats();
      updated[statement].all += Number(after.upd) - Number(before?.upd ?? 0);
      updated[statement].hot += Number(after.hot) - Number(before?.hot ?? 0);
    };
    for (let i = 0; i < ROWS / BATCH; i++) {
      const leaseId = crypto.randomUUID();
      const { rows } = await db.query(
        `SELECT id, to_address AS address FROM messages WHERE campaign_id = $1 AND status = 'queued' ORDER BY due_at LIMIT ${BATCH}`,
        [CAMPAIGN],
      );
      const ids = rows.map((r) => r.id);
      await timed('lease', () =>
        counting('lease', () =>
          schema === 'before' && FIRST_LEAN_MIGRATION <= HOT_LEASE_MIGRATION
            ? m.query(LEASE_BEFORE, [leaseId, RUN, 300, JSON.stringify(rows)])
            : Messages.markLeased(m, leaseId, RUN, 300, rows),
        ),
      );
      await timed('sending', () =>
        counting('sending', () =>
          schema === 'before' && OLD_STATEMENTS
            ? db.query(SENDING_BEFORE, [CAMPAIGN, leaseId, ids])
            : Messages.markSending(m, CAMPAIGN, leaseId, ids),
        ),
      );
      await timed('report', () =>
        Messages.settle(
          m,
          CAMPAIGN,
          leaseId,
          ids.map((id, j) => ({
            message_id: id,
            outcome: 'sent',
            provider_message_id: `<${leaseId}.${j}@mg.bench.test>`,
            error_code: null,
            error_message: null,
            retry_after_ms: null,
            reason: null,
            sent_at: null,
          })),
        ),
      );
      // The provider's delivery callbacks, one per message (Mailgun's `delivered` webhook, Twilio's status callback).
      const at = new Date();
      await timed('delivered', () =>
        counting('delivered', () =>
          Messages.applyProviderEvent(
            m,
            'delivered',
            ids.map((id, j) => ({ id, at, code: null, message: null, pid: `<${leaseId}.${j}@mg.bench.test>` })),
          ),
        ),
      );
    }
    return { cpu, updated };
  } finally {
    await db.end();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

const admin = new Client({ connectionString: serverUrl });
await admin.connect();
const results = { before: [], now: [] };
try {
  for (let i = 0; i < ROUNDS; i++)
    for (const schema of ['before', 'now']) results[schema].push(await round(admin, schema, `${schema}_${i}`));
} finally {
  await admin.end();
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const us = (seconds) => ((seconds * 1e6) / ROWS).toFixed(1);
console.log(
  `\nThe send path's writes, ${ROWS.toLocaleString()} messages in batches of ${BATCH.toLocaleString()} (PostgreSQL CPU of the connection's server process, µs a message, median of ${ROUNDS} rounds)`,
);
console.log(`  ${'statement'.padEnd(12)}  ${'before'.padStart(8)}  ${'now'.padStart(8)}`);
const totals = { before: [], now: [] };
for (const schema of ['before', 'now'])
  for (const r of results[schema]) totals[schema].push(STATEMENTS.reduce((sum, s) => sum + r.cpu[s], 0));
for (const s of STATEMENTS)
  console.log(
    `  ${s.padEnd(12)}  ${us(median(results.before.map((r) => r.cpu[s]))).padStart(8)}  ${us(median(results.now.map((r) => r.cpu[s]))).padStart(8)}`,
  );
console.log(`  ${'total'.padEnd(12)}  ${us(median(totals.before)).padStart(8)}  ${us(median(totals.now)).padStart(8)}`);
const hotLine = (rs, statement) =>
  rs.map((r) => `${r.updated[statement].hot.toLocaleString()} of ${r.updated[statement].all.toLocaleString()}`).join(', ');
for (const [statement, label] of Object.entries({ lease: 'leases', sending: 'sending marks', delivered: 'delivered moves' }))
  console.log(`  ${label} updated in place (HOT): before ${hotLine(results.before, statement)}; now ${hotLine(results.now, statement)}`);
