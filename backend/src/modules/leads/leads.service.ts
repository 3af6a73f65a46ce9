import { Injectable } from '@nestjs/common';
import { DataSource, QueryFailedError } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { Page } from '../../common/pagination/cursor';
import { paginate } from '../../common/pagination/paginate';
import { Lead } from './lead.entity';
import { applyLeadFilter, LeadFilter } from './lead-filter';
import { normalizeLead, RawLead } from './lead-normalizer';
import { LeadUpsertWriter, UpsertInput } from './lead-upsert.writer';
import { deleteOwned } from '../../database/delete-owned';

export interface BulkItemError {
  index: number;
  code: string;
  message: string;
}

export interface BulkUpsertResult {
  created: number;
  updated: number;
  failed: number;
  ids: Array<string | null>;
  errors: BulkItemError[];
}

@Injectable()
export class LeadsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: LeadUpsertWriter,
  ) {}

  private get repo() {
    return this.dataSource.getRepository(Lead);
  }

  /** Creates or updates (matched by email or phone) each item; invalid items are reported, valid ones kept. */
  async upsertMany(organizationId: string, items: RawLead[], defaultCountry?: string): Promise<BulkUpsertResult> {
    const errors: BulkItemError[] = [];
    const inputs: UpsertInput[] = [];
    items.forEach((item, index) => {
      const result =
        typeof item === 'object' && item !== null && !Array.isArray(item)
          ? normalizeLead(item, defaultCountry)
          : ({ ok: false, code: 'invalid_field', message: 'Each lead must be a JSON object' } as const);
      if (result.ok) inputs.push({ ref: index, lead: result.lead });
      else errors.push({ index, code: result.code, message: result.message });
    });
    const outcome = inputs.length
      ? await this.writer.upsert(organizationId, inputs)
      : { created: 0, updated: 0, ids: new Map<number, string>(), errors: [] };
    for (const e of outcome.errors) errors.push({ index: e.ref, code: e.code, message: e.message });
    errors.sort((a, b) => a.index - b.index);
    return {
      created: outcome.created,
      updated: outcome.updated,
      failed: errors.length,
      ids: items.map((_, i) => outcome.ids.get(i) ?? null),
      errors,
    };
  }

  async get(organizationId: string, id: string): Promise<Lead> {
    const lead = await this.repo.findOneBy({ organizationId, id });
    if (!lead) throw new AppError('lead_not_found', `No lead ${id}`);
    return lead;
  }

  list(organizationId: string, filter: LeadFilter, cursor: string | undefined, limit: number): Promise<Page<Lead>> {
    const qb = this.repo.createQueryBuilder('l').where('l.organization_id = :organizationId', { organizationId });
    return paginate(applyLeadFilter(qb, 'l', filter), 'l', cursor, limit);
  }

  /** Fields present in the patch replace the stored ones (null clears); attributes and consent merge. */
  async update(organizationId: string, id: string, patch: RawLead & Record<string, unknown>): Promise<Lead> {
    const current = await this.get(organizationId, id);
    const merged: RawLead = {
      email: 'email' in patch ? patch.email : current.email,
      phone: 'phone' in patch ? patch.phone : current.phone,
      firstName: 'firstName' in patch ? patch.firstName : current.firstName,
      lastName: 'lastName' in patch ? patch.lastName : current.lastName,
      timezone: 'timezone' in patch ? patch.timezone : current.timezone,
      attributes: patch.attributes === undefined ? current.attributes : { ...current.attributes, ...(patch.attributes as object) },
      consent: patch.consent === undefined ? current.consent : { ...current.consent, ...(patch.consent as object) },
    };
    const result = normalizeLead(merged);
    if (!result.ok) throw new AppError('validation_failed', result.message, [{ field: result.code, message: result.message }]);
    // Attributes set to null in a patch are removed rather than stored as null.
    const attributes = Object.fromEntries(Object.entries(result.lead.attributes).filter(([, v]) => v !== null));
    try {
      await this.repo.update({ organizationId, id }, { ...result.lead, attributes: attributes as never, consent: result.lead.consent });
    } catch (error) {
      if (error instanceof QueryFailedError && /UQ_leads_org_(email|phone)/.test(error.message)) {
        throw new AppError('lead_conflict', 'Another lead already has this email or phone');
      }
      throw error;
    }
    return this.get(organizationId, id);
  }

  async remove(organizationId: string, id: string): Promise<void> {
    if (!(await deleteOwned(this.repo, organizationId, id))) throw new AppError('lead_not_found', `No lead ${id}`);
  }
}

export function presentLead(lead: Lead) {
  return {
    id: lead.id,
    email: lead.email,
    phone: lead.phone,
    firstName: lead.firstName,
    lastName: lead.lastName,
    timezone: lead.timezone,
    attributes: lead.attributes,
    consent: lead.consent,
    createdAt: lead.createdAt,
    updatedAt: lead.updatedAt,
  };
}
