#!/usr/bin/env node
// Bytes per row and WAL per message on PostgreSQL (docs/scaling.md's storage figures):
//  1. a scratch database migrated by the backend's own migrations;
//  2. BENCH_ROWS (100,000) leads, one email message each and two events per message (delivered, opened):
//     table and index bytes per row after VACUUM ANALYZE;
//  3. a second campaign's messages taken through the writes the send path makes — materialized, leased,
//     marked `sending`, reported `sent`, one delivery event and its status — as set-based statements over the
//     same columns, with the WAL each step wrote (pg_current_wal_insert_lsn, right after a CHECKPOINT so
//     full-page images count) and how many updates were HOT.
import { createRequire } from 'node:module';

const require = createRequire(new URL('../backend/package.json', import.meta.url));
require('reflect-metadata');
const { DataSource } = require('typeorm');
const { Client } = require('pg');
const { dataSourceOptions } = require('../backend/dist/database/data-source-options.js');

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const scratch = `cadence_storage_${process.pid}`;
const ORG = '00000000-0000-0000-0000-000000000001';
const TEMPLATE = '00000000-0000-0000-0000-000000000002';

const admin = new Client({ connectionString: serverUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${scratch}`);
const url = new URL(serverUrl);
url.pathname = `/${scratch}`;
try {
  const ds = new DataSource(dataSourceOptions({ DATABASE_URL: url.toString(), DATA_DIR: '.data' }));
  await ds.initialize();
  await ds.runMigrations();
  await ds.destroy();

  const db = new Client({ connectionString: url.toString() });
  await db.connect();
  const q = (sql, params) => db.query(sql, params);
  // A campaign needs a sender; the probe measures rows, not senders, so the scratch database drops that check.
  await q(`ALTER TABLE campaigns DROP CONSTRAINT "CHK_campaigns_one_sender"`);
  await q(`INSERT INTO organizations (id, name) VALUES ($1, 'storage probe')`, [ORG]);
  await q(
    `INSERT INTO templates (id, organization_id, name, channel, subject, html) VALUES ($1, $2, 't', 'email', 'Hi {{ first_name }}', '<p>Hello</p>')`,
    [TEMPLATE, ORG],
  );
  const campaign = async (n) => {
    const id = `00000000-0000-0000-0000-0000000001${String(n).padStart(2, '0')}`;
    const step = `00000000-0000-0000-0000-0000000002${String(n).padStart(2, '0')}`;
    await q(
      `INSERT INTO campaigns (id, organization_id, name, type, status, audience) VALUES ($1, $2, 'c', 'blast', 'active', '{"all":true}')`,
      [id, ORG],
    );
    await q(
      `INSERT INTO campaign_steps (id, organization_id, campaign_id, position, channel, template_id) VALUES ($1, $2, $3, 0, 'email', $4)`,
      [step, ORG, id, TEMPLATE],
    );
    return { id, step };
  };

  await q(
    `INSERT INTO leads (organization_id, email, phone, attributes)
     SELECT $1, 'lead' || g || '@example.com', '+1555' || lpad(g::text, 7, '0'),
            jsonb_build_object('first_name', 'Name' || g, 'company', 'Company ' || (g % 1000))
       FROM generate_series(1, $2) g`,
    [ORG, ROWS],
  );
  const sent = await campaign(1);
  await q(
    `INSERT INTO messages (organization_id, campaign_id, step_id, lead_id, position, channel, status, to_address, provider_message_id, sent_at, delivered_at, attempts)
     SELECT organization_id, $1, $2, id, 0, 'email', 'delivered', email, '<' || md5(id::text) || '@mg.example.com>', now(), now(), 1 FROM leads`,
    [sent.id, sent.step],
  );
  for (const type of ['delivered', 'opened'])
    await q(
      `INSERT INTO message_events (organization_id, message_id, source, event_id, type, occurred_at)
       SELECT organization_id, id, 'mailgun', md5(id::text || $1), $1, now() FROM messages`,
      [type],
    );
  await q('VACUUM ANALYZE');
  const sizes = await q(
    `SELECT relname, n_live_tup AS rows, pg_relation_size(relid) AS heap, pg_indexes_size(relid) AS idx
       FROM pg_stat_user_tables WHERE relname IN ('messages', 'message_events', 'message_engagement', 'leads') ORDER BY relname`,
  );
  console.log(`\nBytes per row, ${ROWS.toLocaleString()} email messages with two events each (PostgreSQL, after VACUUM ANALYZE)`);
  for (const r of sizes.rows) {
    const perRow = (b) => Math.round(Number(b) / Math.max(1, Number(r.rows)));
    console.log(
      `  ${r.relname.padEnd(20)}: ${perRow(Number(r.heap) + Number(r.idx))} B a row (indexes ${perRow(r.idx)} B), ${Number(r.rows).toLocaleString()} rows`,
    );
  }
  const indexes = await q(
    `SELECT indexrelname, pg_relation_size(indexrelid) AS size FROM pg_stat_user_indexes
      WHERE relname = 'messages' ORDER BY pg_relation_size(indexrelid) DESC`,
  );
  console.log(`  messages' indexes   : ${indexes.rows.map((r) => `${r.indexrelname} ${Math.round(Number(r.size) / ROWS)} B`).join(', ')}`);

  const life = await campaign(2);
  const before = (await q(`SELECT n_tup_upd AS upd, n_tup_hot_upd AS hot FROM pg_stat_user_tables WHERE relname = 'messages'`)).rows[0];
  await q('CHECKPOINT');
  const steps = [
    [
      'materialized',
      `INSERT INTO messages (organization_id, campaign_id, step_id, lead_id, position, channel, status, to_address, due_at)
       SELECT organization_id, $1, $2, id, 0, 'email', 'queued', email, now() FROM leads`,
    ],
    [
      'leased',
      `UPDATE messages SET status = 'leased', lease_id = gen_random_uuid(), lease_expires_at = now() + interval '5 min', updated_at = now() WHERE campaign_id = $1 AND step_id = $2`,
    ],
    ['sending', `UPDATE messages SET status = 'sending', updated_at = now() WHERE campaign_id = $1 AND step_id = $2`],
    [
      'sent',
      `UPDATE messages SET status = 'sent', provider_message_id = '<' || md5(id::text) || '@mg>', sent_at = now(), lease_id = NULL,
              lease_expires_at = NULL, attempts = 1, updated_at = now() WHERE campaign_id = $1 AND step_id = $2`,
    ],
    [
      'delivery event',
      `INSERT INTO message_events (organization_id, message_id, source, event_id, type, occurred_at)
       SELECT organization_id, id, 'mailgun', md5(id::text || 'life'), 'delivered', now() FROM messages WHERE campaign_id = $1 AND step_id = $2`,
    ],
    [
      'delivered',
      `UPDATE messages SET status = 'delivered', delivered_at = now(), updated_at = now() WHERE campaign_id = $1 AND step_id = $2`,
    ],
  ];
  console.log(`\nWAL per message through the send path's writes (${ROWS.toLocaleString()} messages, set-based, after a CHECKPOINT)`);
  let total = 0;
  for (const [name, sql] of steps) {
    const [{ lsn }] = (await q('SELECT pg_current_wal_insert_lsn() AS lsn')).rows;
    await q(sql, [life.id, life.step]);
    const [{ bytes }] = (await q('SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), $1) AS bytes', [lsn])).rows;
    total += Number(bytes);
    console.log(`  ${name.padEnd(20)}: ${Math.round(Number(bytes) / ROWS)} B`);
  }
  console.log(`  total               : ${Math.round(total / ROWS)} B a message`);
  await new Promise((r) => setTimeout(r, 600)); // the statistics collector reports at most twice a second
  const after = (await q(`SELECT n_tup_upd AS upd, n_tup_hot_upd AS hot FROM pg_stat_user_tables WHERE relname = 'messages'`)).rows[0];
  console.log(`  HOT updates         : ${Number(after.hot) - Number(before.hot)} of ${Number(after.upd) - Number(before.upd)}`);
  await db.end();
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`);
  await admin.end();
}
