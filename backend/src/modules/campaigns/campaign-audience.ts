import { EntityManager, SelectQueryBuilder } from 'typeorm';
import { applyLeadFilter, leadFilterFromQuery } from '../leads/lead-filter';
import { Lead } from '../leads/lead.entity';
import type { AudienceDto } from './campaigns.dto';
import type { Audience } from './campaign.entity';

/** Stored as given, lead ids de-duplicated; a filter is parsed by the same code as `GET /leads` query strings. */
export function normalizeAudience(audience: AudienceDto | Audience): Audience {
  if ('leadIds' in audience && audience.leadIds) return { leadIds: [...new Set(audience.leadIds.map((id) => id.toLowerCase()))] };
  if ('filter' in audience && audience.filter) {
    // {"attributes": {"plan": "pro"}, "consent": {"sms": true}} becomes attributes.plan=pro&consent.sms=true.
    const flat: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(audience.filter)) {
      if (v === undefined) continue;
      if ((k === 'attributes' || k === 'consent') && typeof v === 'object' && v !== null)
        for (const [kk, vv] of Object.entries(v as Record<string, unknown>)) flat[`${k}.${kk}`] = String(vv);
      else flat[k] = typeof v === 'boolean' || typeof v === 'number' ? String(v) : v;
    }
    return { filter: leadFilterFromQuery(flat) };
  }
  return { all: true };
}

/** The organization's leads an audience names, as a query over `leads` aliased `alias` (what the materializer enrolls). */
export function audienceLeads(m: EntityManager, organizationId: string, audience: Audience, alias = 'l'): SelectQueryBuilder<Lead> {
  const qb = m.getRepository(Lead).createQueryBuilder(alias).where(`${alias}.organization_id = :org`, { org: organizationId });
  if ('leadIds' in audience) qb.andWhere(`${alias}.id = ANY(:ids::uuid[])`, { ids: audience.leadIds });
  if ('filter' in audience) applyLeadFilter(qb, alias, audience.filter);
  return qb;
}
