import { EntityManager } from 'typeorm';
import { complianceSkipReasonSql } from '../../lease/compliance.sql';
import type { TemplateChannel } from '../../templates/template.entity';
import type { Audience } from '../campaign.entity';
import { audienceLeads } from '../campaign-audience';

export interface CountedStep {
  position: number;
  channel: TemplateChannel;
  /** `lead.*` paths the step's template prints without a default (required-variables.ts in @cadence/render). */
  variables: string[];
}

export interface AudienceCountRow {
  position: number;
  /** The compliance reason that skips these messages, or null for the ones that will be sent. */
  reason: string | null;
  timezone: string | null;
  /** One phone of the group: its country gives the recipient zones when the lead has no zone of its own. */
  phone: string | null;
  count: number;
  /** Per variable of the step (same order): eligible leads for whom it is blank. */
  missing: number[];
}

/** The columns of a lead that a `lead.*` path reads, as the renderer builds the lead (render-context.ts). */
const STANDARD: Record<string, string[]> = {
  id: ['l.id::text'],
  email: ['l.email'],
  phone: ['l.phone'],
  firstName: ['l.first_name'],
  first_name: ['l.first_name'],
  lastName: ['l.last_name'],
  last_name: ['l.last_name'],
  fullName: ['l.first_name', 'l.last_name'],
  full_name: ['l.first_name', 'l.last_name'],
  timezone: ['l.timezone'],
};

/**
 * The audience × steps in one statement, grouped by step, compliance reason, the lead's zone and the
 * first five characters of the phone (`+1628`: enough for libphonenumber to tell the country, so the
 * zones, without a row per lead); with, per step variable, how many leads that will be sent to have it
 * blank. Set-based whatever the audience size.
 */
export async function countAudience(
  m: EntityManager,
  organizationId: string,
  audience: Audience,
  steps: CountedStep[],
): Promise<AudienceCountRow[]> {
  const [leadsSql, leadParams] = audienceLeads(m, organizationId, audience)
    .select('l.id', 'id')
    .addSelect('l.organization_id', 'organization_id')
    .addSelect('l.email', 'email')
    .addSelect('l.phone', 'phone')
    .addSelect('l.consent', 'consent')
    .addSelect('l.first_name', 'first_name')
    .addSelect('l.last_name', 'last_name')
    .addSelect('l.timezone', 'timezone')
    .addSelect('l.attributes', 'attributes')
    .getQueryAndParameters();
  const params: unknown[] = [...(leadParams as unknown[]), steps.map((s) => s.position), steps.map((s) => s.channel)];
  const missingColumns: string[] = [];
  for (const step of steps) {
    for (const variable of step.variables) {
      params.push(step.position);
      const position = `$${params.length}`;
      missingColumns.push(`count(*) FILTER (WHERE r.reason IS NULL AND s.position = ${position} AND ${blankSql(variable, params)})::int`);
    }
  }
  const n = leadParams.length;
  const rows: Array<Record<string, unknown>> = await m.transaction(async (tx) => {
    // As in the review: the per-row CASE makes PostgreSQL JIT-compile for longer than it runs.
    await tx.query('SET LOCAL jit = off');
    return tx.query(
      `WITH audience AS (${leadsSql})
       SELECT s.position, r.reason, l.timezone, min(l.phone) AS phone, count(*)::int AS count
              ${missingColumns.map((c, i) => `, ${c} AS v${i}`).join('')}
         FROM audience l
        CROSS JOIN unnest($${n + 1}::int[], $${n + 2}::text[]) AS s(position, channel)
        CROSS JOIN LATERAL (SELECT ${complianceSkipReasonSql('l.organization_id', 's.channel', 'l')} AS reason) r
        GROUP BY s.position, r.reason, l.timezone, left(l.phone, 5)`,
      params,
    );
  });
  return rows.map((row) => {
    const step = steps.find((s) => s.position === Number(row.position))!;
    const offset = steps.slice(0, steps.indexOf(step)).reduce((sum, s) => sum + s.variables.length, 0);
    return {
      position: step.position,
      reason: (row.reason as string | null) ?? null,
      timezone: (row.timezone as string | null) ?? null,
      phone: (row.phone as string | null) ?? null,
      count: Number(row.count),
      missing: step.variables.map((_, i) => Number(row[`v${offset + i}`] ?? 0)),
    };
  });
}

/** True in SQL when the lead's value at `lead.*` path is blank (null or only spaces), as the renderer sees it. */
function blankSql(path: string, params: unknown[]): string {
  const segments = path.split('.').slice(1);
  const columns = STANDARD[segments[0]];
  if (columns && segments.length === 1) return columns.map((c) => `coalesce(btrim(${c}), '') = ''`).join(' AND ');
  // `lead.attributes.plan` and `lead.plan` both read the attribute `plan`.
  params.push(segments[0] === 'attributes' ? segments.slice(1) : segments);
  return `coalesce(btrim(l.attributes #>> $${params.length}::text[]), '') = ''`;
}
