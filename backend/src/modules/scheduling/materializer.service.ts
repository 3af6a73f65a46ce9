import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { Environment } from '../../config/environment';
import { Campaign } from '../campaigns/campaign.entity';
import { Lead } from '../leads/lead.entity';
import { OutboxDispatcher } from '../outbox/outbox.dispatcher';
import { applyLeadFilter } from '../leads/lead-filter';
import { enrollChunk } from '../messages/message-status';
import { startRunsIfIdle } from './run-starter';
import { staleAfterSeconds } from '../lease/lease-policy.util';

const CHUNK = 10_000;
const MATERIALIZE_FIELDS = {
  id: true,
  organizationId: true,
  type: true,
  status: true,
  materializedAt: true,
  materializeCursor: true,
} as const;

/** PostgreSQL's unique_violation. */
const isUniqueViolation = (error: unknown): boolean =>
  error instanceof QueryFailedError && (error.driverError as { code?: string } | undefined)?.code === '23505';

/** Index of the first id greater than `cursor` in a sorted list. */
function sortedIndexAfter(sorted: string[], cursor: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= cursor) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Turns a launched campaign's audience into message rows, set-based and in keyset chunks: sending
 * starts after the first chunk, and a crash resumes from the stored cursor (the unique
 * (campaign, step, lead) index makes a repeated chunk harmless).
 */
@Injectable()
export class MaterializerService implements OnModuleInit {
  private readonly logger = new Logger('MaterializerService');

  constructor(
    private readonly dataSource: DataSource,
    private readonly env: Environment,
    private readonly outbox: OutboxDispatcher,
  ) {}

  /** Launch writes `campaign.materialize` to the outbox in its transaction; the outbox calls back here. */
  onModuleInit(): void {
    this.outbox.registerHandler('campaign.materialize', (payload) => this.materialize(String(payload.campaignId)));
  }

  async materialize(campaignId: string): Promise<void> {
    // Read once, sorted like PostgreSQL's uuid order: each chunk then binds its own 10,000 ids instead of
    // the whole list (a 100,000-id array is 3.6 MB to send and parse per chunk).
    const listed = await this.dataSource
      .getRepository(Campaign)
      .findOne({ select: { id: true, audience: true }, where: { id: campaignId } });
    const audience = listed?.audience;
    const leadIds = audience && 'leadIds' in audience ? [...new Set(audience.leadIds.map((id) => id.toLowerCase()))].sort() : undefined;
    // A chunk starts past the cursor its predecessor stored in the same transaction, so its leads have no rows
    // yet and the insert skips the conflict check; should one have a row anyway, the chunk is enrolled again
    // passing over what exists (a repeated chunk stays harmless).
    let repeated: 'fail' | 'skip' = 'fail';
    for (let chunks = 1; ; chunks++) {
      let finished: boolean;
      try {
        finished = await this.dataSource.transaction((m) => this.enrollNextChunk(m, campaignId, audience, leadIds, repeated));
      } catch (error) {
        if (repeated === 'skip' || !isUniqueViolation(error)) throw error;
        this.logger.warn(`Campaign ${campaignId}: a chunk's lead already had its messages; enrolling it again past them`);
        repeated = 'skip';
        chunks--;
        continue;
      }
      // Thousands of new rows outrun autovacuum's statistics: with a new campaign estimated at a few rows,
      // the planner scanned all of its open rows for every report instead of looking up the reported ids.
      if ((chunks === 1 && !finished) || (finished && chunks > 1)) await this.analyze();
      if (finished) return;
    }
  }

  /** Enrolls the chunk of the audience past the campaign's cursor and stores the next cursor. Answers whether it was the last. */
  private async enrollNextChunk(
    m: EntityManager,
    campaignId: string,
    audience: Campaign['audience'] | undefined,
    leadIds: string[] | undefined,
    repeated: 'fail' | 'skip',
  ): Promise<boolean> {
    const campaign = await m
      .getRepository(Campaign)
      .findOne({ select: MATERIALIZE_FIELDS, where: { id: campaignId }, lock: { mode: 'pessimistic_write' } });
    if (!campaign || campaign.materializedAt || campaign.status === 'cancelled' || campaign.status === 'draft') return true;
    // A triggered campaign's audience only says who may enter: its events enroll leads one by one.
    if (campaign.type === 'triggered') {
      await m.query('UPDATE campaigns SET materialized_at = clock_timestamp() WHERE id = $1', [campaign.id]);
      return true;
    }
    const qb = m
      .getRepository(Lead)
      .createQueryBuilder('l')
      .select('l.id', 'id')
      .addSelect('l.email', 'email')
      .addSelect('l.phone', 'phone')
      .where('l.organization_id = :org', { org: campaign.organizationId })
      .orderBy('l.id', 'ASC')
      .limit(CHUNK);
    const cursor = campaign.materializeCursor;
    // The ids of this chunk; listed leads that no longer exist simply produce no row.
    const from = leadIds && cursor ? sortedIndexAfter(leadIds, cursor) : 0;
    const slice = leadIds?.slice(from, from + CHUNK);
    if (slice) qb.andWhere('l.id = ANY(:ids::uuid[])', { ids: slice });
    if (audience && 'filter' in audience) applyLeadFilter(qb, 'l', audience.filter);
    if (cursor) qb.andWhere('l.id > :cursor', { cursor });
    const [chunkSql, params] = qb.getQueryAndParameters();
    const rows = await enrollChunk(m, chunkSql, params, campaign.organizationId, campaign.id, 1, repeated);
    const done = (slice ?? rows).length < CHUNK;
    await m.query(
      `UPDATE campaigns SET audience_size = audience_size + $2, materialize_cursor = coalesce($3, materialize_cursor),
              materialized_at = CASE WHEN $4 THEN clock_timestamp() END
        WHERE id = $1`,
      [campaign.id, rows.length, (slice ?? rows.map((r) => r.lead_id)).at(-1) ?? null, done],
    );
    await startRunsIfIdle(m, campaign.id, staleAfterSeconds(this.env.LEASE_TTL_SECONDS));
    return done;
  }

  private async analyze(): Promise<void> {
    try {
      await this.dataSource.query('ANALYZE messages');
    } catch (error) {
      this.logger.warn(`ANALYZE messages failed: ${(error as Error).message}`);
    }
  }
}
