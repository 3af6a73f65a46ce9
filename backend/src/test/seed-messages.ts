/** What runs SQL: a TypeORM DataSource or a pg client/pool (the e2e and bench scripts). */
export interface Sql {
  query(text: string, params?: unknown[]): Promise<unknown>;
}

/** The statuses seeded messages cycle through (one in eight each), with their timestamps set to match. */
export const SEEDED_STATUSES = ['queued', 'leased', 'sending', 'sent', 'delivered', 'failed', 'unknown', 'skipped'] as const;

/**
 * `count` message rows for one step of a campaign, inserted set-based with generate_series (a million
 * in seconds on PostgreSQL), without leads (lead_id is nullable: the log outlives leads). Message i has
 * status SEEDED_STATUSES[i % 8], address +1415xxxxxxx, and sends spread over the last two hours.
 */
export async function seedMessages(
  sql: Sql,
  o: { organizationId: string; campaignId: string; stepId: string; count: number; position?: number; channel?: string },
): Promise<void> {
  await sql.query(
    `INSERT INTO messages (organization_id, campaign_id, step_id, lead_id, position, channel, status, skip_reason, to_address,
                           due_at, sent_at, delivered_at, error_code, error_message, attempts, provider_message_id)
     SELECT $1, $2, $3, NULL, $5, $6, st, CASE WHEN st = 'skipped' THEN 'missing_address' END,
            '+1415' || lpad(i::text, 7, '0'), now(),
            CASE WHEN st IN ('sent', 'delivered', 'failed', 'unknown') THEN now() - (i % 120) * interval '1 minute' END,
            CASE WHEN st = 'delivered' THEN now() - (i % 120) * interval '1 minute' + interval '5 seconds' END,
            CASE WHEN st = 'failed' THEN 'provider_rejected' END,
            CASE WHEN st = 'failed' THEN 'The number is not reachable, "carrier" said' END,
            CASE WHEN st IN ('queued', 'skipped') THEN 0 ELSE 1 END,
            CASE WHEN st IN ('sent', 'delivered') THEN 'SM' || i END
       FROM generate_series(1, $4::int) AS i
       CROSS JOIN LATERAL (SELECT (ARRAY['queued','leased','sending','sent','delivered','failed','unknown','skipped'])[1 + i % 8] AS st) s`,
    [o.organizationId, o.campaignId, o.stepId, o.count, o.position ?? 0, o.channel ?? 'sms'],
  );
}
