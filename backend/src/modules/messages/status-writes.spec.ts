import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, it } from '@jest/globals';

/**
 * Guard: `campaigns.status` and `messages.status` are written only by their state machines
 * (modules/campaigns/campaign-status.ts, modules/messages/message-status.ts). Scans the backend's
 * sources (not tests, test helpers or migrations) for SQL and ORM writes of either column.
 */

const OWNERS: Record<'campaigns' | 'messages', string> = {
  campaigns: 'modules/campaigns/campaign-status.ts',
  messages: 'modules/messages/message-status.ts',
};
const ENTITY_TABLE: Record<string, 'campaigns' | 'messages'> = { Campaign: 'campaigns', Message: 'messages' };

/** Where `source` writes a status column of `campaigns` or `messages`: [table, excerpt] per write. */
export function statusWrites(source: string): Array<['campaigns' | 'messages', string]> {
  const found: Array<['campaigns' | 'messages', string]> = [];
  // SQL: UPDATE campaigns [AS] [alias] SET ... status = ... (up to WHERE / FROM / RETURNING / the end of the string).
  for (const match of source.matchAll(
    /UPDATE\s+(?:ONLY\s+)?"?(campaigns|messages)"?(?:\s+(?:AS\s+)?(?!SET\b)\w+)?\s+SET\b([\s\S]*?)(?=\bWHERE\b|\bFROM\b|\bRETURNING\b|[`;]|$)/gi,
  )) {
    if (/(^|[\s,(."])"?status"?\s*=(?!=)/i.test(match[2]))
      found.push([match[1].toLowerCase() as 'campaigns' | 'messages', match[0].slice(0, 120)]);
  }
  // SQL: INSERT INTO messages (..., status, ...) / INSERT INTO campaigns (..., status, ...).
  for (const match of source.matchAll(/INSERT\s+INTO\s+"?(campaigns|messages)"?\s*\(([^)]*)\)/gi)) {
    if (/(^|[\s,"])status"?\s*(,|$)/i.test(match[2]))
      found.push([match[1].toLowerCase() as 'campaigns' | 'messages', match[0].slice(0, 120)]);
  }
  // TypeORM: m.update(Campaign, ..., { status }), m.save(Campaign, { status }), m.create(Message, { status }),
  // m.getRepository(Campaign).update(..., { status }), qb.update(Message).set({ status }): the statement up to its `;`.
  const statusKey = /\bstatus\s*:(?!\s*INITIAL_CAMPAIGN_STATUS\b)|\bstatus\s*[,}]/;
  for (const match of source.matchAll(
    /\.(?:update|save|insert|upsert|create|increment)\(\s*(Campaign|Message)\b[^;]*|getRepository\(\s*(Campaign|Message)\s*\)[^;]*?\.(?:update|save|insert|upsert|create)\([^;]*/g,
  )) {
    if (statusKey.test(match[0])) found.push([ENTITY_TABLE[match[1] ?? match[2]], match[0].slice(0, 120)]);
  }
  // An injected Repository<Campaign> / Repository<Message>: any save/update in that file that sets status.
  for (const entity of ['Campaign', 'Message']) {
    if (!new RegExp(`Repository<${entity}>|InjectRepository\\(${entity}\\)`).test(source)) continue;
    for (const match of source.matchAll(/\.(?:update|save|insert|upsert)\([^;]*/g))
      if (statusKey.test(match[0])) found.push([ENTITY_TABLE[entity], match[0].slice(0, 120)]);
  }
  // An entity changed in memory then saved: `campaign.status = 'paused';`, `message.status = x;`.
  for (const match of source.matchAll(/^\s*[\w.]*?(campaign|message)\w*\.status\s*=(?!=)[^;\n]*;\s*$/gim)) {
    found.push([`${match[1].toLowerCase()}s` as 'campaigns' | 'messages', match[0].trim().slice(0, 120)]);
  }
  return found;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') && !path.endsWith('.spec.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

describe('status columns are written only by their state machines', () => {
  // Compiled to dist/modules/messages: the sources are in ../../../src.
  const root = [join(__dirname, '..', '..', '..', 'src'), join(__dirname, '..', '..')].find((d) =>
    existsSync(join(d, 'modules', 'messages', 'message-status.ts')),
  );

  it('finds no write of campaigns.status or messages.status outside campaign-status.ts and message-status.ts', () => {
    assert.ok(root, 'backend/src not found');
    const files = sources(root).filter((f) => {
      const rel = relative(root, f).split(sep).join('/');
      return !rel.startsWith('test/') && !rel.startsWith('database/migrations/');
    });
    assert.ok(files.length > 50, `only ${files.length} source files found`);
    const offenders: string[] = [];
    let owned = 0;
    for (const file of files) {
      const rel = relative(root, file).split(sep).join('/');
      for (const [table, excerpt] of statusWrites(readFileSync(file, 'utf8'))) {
        if (OWNERS[table] === rel) owned++;
        else offenders.push(`${rel}: ${table}.status written: ${excerpt.replace(/\s+/g, ' ')}`);
      }
    }
    assert.deepEqual(offenders, []);
    assert.ok(owned >= 10, `the machines themselves must be seen writing (found ${owned}): the patterns no longer match them`);
  });

  it('catches the regressions it is meant to catch', () => {
    const bad: Array<[string, 'campaigns' | 'messages']> = [
      ["await m.query(`UPDATE campaigns SET status = 'paused', status_reason = $2 WHERE id = $1`, [id]);", 'campaigns'],
      ["await m.query(`UPDATE campaigns c SET status = 'completed', completed_at = now() WHERE c.id = $1`);", 'campaigns'],
      ["await m.query(`UPDATE messages SET lease_id = NULL, status = 'queued' WHERE id = ANY($1)`);", 'messages'],
      [
        "await m.query(`UPDATE messages m SET\n status = CASE WHEN r.outcome = 'deferred' THEN 'queued' ELSE r.outcome END\n FROM x r WHERE m.id = r.id`);",
        'messages',
      ],
      ['await m.query(`UPDATE "messages" SET "status" = $1 WHERE id = $2`, [s, id]);', 'messages'],
      ["await m.query('UPDATE messages SET status = $1 WHERE id = $2', [s, id]);", 'messages'],
      ['await m.query(`INSERT INTO messages (organization_id, campaign_id, status, due_at) VALUES ($1, $2, $3, now())`);', 'messages'],
      ['await m.update(Campaign, { id }, { status: to, statusReason: null });', 'campaigns'],
      ["await m.update(Message, { campaignId: id }, { skipReason: 'cancelled', status: 'skipped' });", 'messages'],
      ["await m.getRepository(Campaign).update({ id }, { status: 'active' });", 'campaigns'],
      ["await m.save(m.create(Campaign, { organizationId, name, status: 'active' }));", 'campaigns'],
      ['await m.createQueryBuilder().update(Message).set({ status }).where("id = :id", { id }).execute();', 'messages'],
      ["    campaign.status = 'paused';", 'campaigns'],
      [
        "  constructor(@InjectRepository(Campaign) private readonly repo: Repository<Campaign>) {}\n  x() { return this.repo.update({ id }, { status: 'paused' }); }",
        'campaigns',
      ],
    ];
    for (const [code, table] of bad)
      assert.deepEqual(
        statusWrites(code).map(([t]) => t),
        [table],
        code,
      );
  });

  it('leaves reads and other columns alone', () => {
    const fine = [
      'SELECT status FROM campaigns WHERE id = $1',
      "UPDATE campaigns SET audience_size = audience_size + $2, materialized_at = now() WHERE id = $1 AND status = 'active'",
      'UPDATE campaigns SET status_reason = $2 WHERE id = $1',
      "UPDATE messages n SET due_at = now() FROM campaign_steps s WHERE n.status = 'queued'",
      "UPDATE messages m SET provider_message_id = r.pid FROM x r WHERE m.id = r.id AND m.status = 'sent'",
      "UPDATE email_accounts SET status = 'reauth_required' WHERE id = $1",
      'await m.save(m.create(Campaign, { organizationId, ...checked.campaign, status: INITIAL_CAMPAIGN_STATUS }));',
      "await this.repo.update({ organizationId, id }, { status: 'connected' });",
      'm.findOne(Campaign, { select: { id: true, status: true }, where: { id } });',
      "if (campaign.status === 'active') return;",
      'await m.update(Campaign, { id, organizationId }, checked.campaign as never);',
    ];
    for (const code of fine) assert.deepEqual(statusWrites(code), [], code);
  });
});
