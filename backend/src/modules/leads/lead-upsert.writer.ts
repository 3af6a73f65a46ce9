import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NormalizedLead } from './lead-normalizer';

export interface UpsertInput {
  /** Caller's reference for error reports: an array index or a CSV row number. */
  ref: number;
  lead: NormalizedLead;
}

export interface UpsertOutcome {
  created: number;
  updated: number;
  /** Lead id per input ref, for callers that answer with the rows. */
  ids: Map<number, string>;
  errors: Array<{ ref: number; code: 'identity_conflict'; message: string }>;
}

interface Resolved extends UpsertInput {
  existingId?: string;
}

/**
 * Set-based upsert of a batch of leads, identified by email or phone (both unique per organization).
 * Rows of one batch that name the same person are merged first (later values win), because one
 * statement may not touch a row twice. A row whose email and phone belong to two different leads is
 * refused rather than guessed.
 */
@Injectable()
export class LeadUpsertWriter {
  constructor(private readonly dataSource: DataSource) {}

  async upsert(organizationId: string, inputs: UpsertInput[]): Promise<UpsertOutcome> {
    const outcome: UpsertOutcome = { created: 0, updated: 0, ids: new Map(), errors: [] };
    const merged = this.mergeWithinBatch(inputs, outcome);
    // New people are the common case: insert first, and look up only the rows a unique index refused.
    let pending = await this.insert(organizationId, merged.rows, outcome);
    // A refused row is updated; one a concurrent writer just inserted is found on the second pass.
    for (let attempt = 0; attempt < 2 && pending.length > 0; attempt++) {
      const resolved = await this.resolveExisting(organizationId, pending, outcome);
      const updates = resolved.filter((r) => r.existingId);
      const inserts = resolved.filter((r) => !r.existingId);
      if (updates.length) {
        await this.update(organizationId, updates);
        outcome.updated += updates.length;
        for (const u of updates) outcome.ids.set(u.ref, u.existingId!);
      }
      pending = inserts.length ? await this.insert(organizationId, inserts, outcome) : [];
    }
    for (const lost of pending) {
      outcome.errors.push({
        ref: lost.ref,
        code: 'identity_conflict',
        message: 'Another import changed this lead at the same moment; retry the row',
      });
    }
    for (const [alias, ref] of merged.aliases) {
      const id = outcome.ids.get(ref);
      if (id) outcome.ids.set(alias, id);
    }
    return outcome;
  }

  private mergeWithinBatch(inputs: UpsertInput[], outcome: UpsertOutcome): { rows: UpsertInput[]; aliases: Map<number, number> } {
    const byEmail = new Map<string, UpsertInput>();
    const byPhone = new Map<string, UpsertInput>();
    const rows: UpsertInput[] = [];
    const aliases = new Map<number, number>();
    for (const input of inputs) {
      const a = input.lead.email ? byEmail.get(input.lead.email) : undefined;
      const b = input.lead.phone ? byPhone.get(input.lead.phone) : undefined;
      if (a && b && a !== b) {
        outcome.errors.push({ ref: input.ref, code: 'identity_conflict', message: 'Its email and phone belong to two different leads' });
        continue;
      }
      const target = a ?? b;
      if (target) {
        if (target.lead.email && input.lead.email && target.lead.email !== input.lead.email) {
          outcome.errors.push({ ref: input.ref, code: 'identity_conflict', message: 'Its phone belongs to a lead with another email' });
          continue;
        }
        if (target.lead.phone && input.lead.phone && target.lead.phone !== input.lead.phone) {
          outcome.errors.push({ ref: input.ref, code: 'identity_conflict', message: 'Its email belongs to a lead with another phone' });
          continue;
        }
        target.lead = mergeLead(target.lead, input.lead);
        aliases.set(input.ref, target.ref);
        if (target.lead.email) byEmail.set(target.lead.email, target);
        if (target.lead.phone) byPhone.set(target.lead.phone, target);
        continue;
      }
      const copy = { ref: input.ref, lead: { ...input.lead } };
      rows.push(copy);
      if (copy.lead.email) byEmail.set(copy.lead.email, copy);
      if (copy.lead.phone) byPhone.set(copy.lead.phone, copy);
    }
    return { rows, aliases };
  }

  private async resolveExisting(organizationId: string, rows: UpsertInput[], outcome: UpsertOutcome): Promise<Resolved[]> {
    const emails = rows.map((r) => r.lead.email).filter((e): e is string => !!e);
    const phones = rows.map((r) => r.lead.phone).filter((p): p is string => !!p);
    // Two index lookups joined by UNION: an OR across the two partial unique indexes makes the planner scan the table.
    const found: Array<{ id: string; email: string | null; phone: string | null }> = await this.dataSource.query(
      `SELECT id, email, phone FROM leads WHERE organization_id = $1 AND email = ANY($2::text[])
        UNION
       SELECT id, email, phone FROM leads WHERE organization_id = $1 AND phone = ANY($3::text[])`,
      [organizationId, emails, phones],
    );
    const idByEmail = new Map(found.filter((f) => f.email).map((f) => [f.email!, f]));
    const idByPhone = new Map(found.filter((f) => f.phone).map((f) => [f.phone!, f]));
    const resolved: Resolved[] = [];
    for (const row of rows) {
      const a = row.lead.email ? idByEmail.get(row.lead.email) : undefined;
      const b = row.lead.phone ? idByPhone.get(row.lead.phone) : undefined;
      if (a && b && a.id !== b.id) {
        outcome.errors.push({
          ref: row.ref,
          code: 'identity_conflict',
          message: 'Its email and phone belong to two different existing leads',
        });
        continue;
      }
      const match = a ?? b;
      if (match && row.lead.email && match.email && match.email !== row.lead.email) {
        outcome.errors.push({
          ref: row.ref,
          code: 'identity_conflict',
          message: 'Its phone belongs to an existing lead with another email',
        });
        continue;
      }
      if (match && row.lead.phone && match.phone && match.phone !== row.lead.phone) {
        outcome.errors.push({
          ref: row.ref,
          code: 'identity_conflict',
          message: 'Its email belongs to an existing lead with another phone',
        });
        continue;
      }
      resolved.push({ ...row, existingId: match?.id });
    }
    return resolved;
  }

  /** One JSON document per batch: V8 serializes it far faster than `pg` escapes seven text arrays. */
  private rowsJson(rows: Array<UpsertInput & { existingId?: string }>): string {
    return JSON.stringify(
      rows.map((r) => ({
        id: r.existingId ?? null,
        email: r.lead.email,
        phone: r.lead.phone,
        first_name: r.lead.firstName,
        last_name: r.lead.lastName,
        timezone: r.lead.timezone,
        attributes: r.lead.attributes,
        consent: r.lead.consent,
      })),
    );
  }

  private async update(organizationId: string, rows: Resolved[]): Promise<void> {
    await this.dataSource.query(
      `UPDATE leads AS l SET
          email = COALESCE(v.email, l.email),
          phone = COALESCE(v.phone, l.phone),
          first_name = COALESCE(v.first_name, l.first_name),
          last_name = COALESCE(v.last_name, l.last_name),
          timezone = COALESCE(v.timezone, l.timezone),
          attributes = l.attributes || v.attributes,
          consent = l.consent || v.consent,
          updated_at = now()
        FROM jsonb_to_recordset($2::jsonb)
          AS v(id uuid, email text, phone text, first_name text, last_name text, timezone text, attributes jsonb, consent jsonb)
        WHERE l.organization_id = $1 AND l.id = v.id`,
      [organizationId, this.rowsJson(rows)],
    );
  }

  /** Answers the rows a unique index refused (an existing lead, or a concurrent insert), to be resolved. */
  private async insert(organizationId: string, rows: UpsertInput[], outcome: UpsertOutcome): Promise<UpsertInput[]> {
    const inserted: Array<{ id: string; email: string | null; phone: string | null }> = await this.dataSource.query(
      `INSERT INTO leads (organization_id, email, phone, first_name, last_name, timezone, attributes, consent)
        SELECT $1, v.email, v.phone, v.first_name, v.last_name, v.timezone, v.attributes, v.consent
          FROM jsonb_to_recordset($2::jsonb)
            AS v(email text, phone text, first_name text, last_name text, timezone text, attributes jsonb, consent jsonb)
        ON CONFLICT DO NOTHING
        RETURNING id, email, phone`,
      [organizationId, this.rowsJson(rows)],
    );
    const byEmail = new Map<string, string>();
    const byPhone = new Map<string, string>();
    for (const row of inserted) {
      if (row.email) byEmail.set(row.email, row.id);
      if (row.phone) byPhone.set(row.phone, row.id);
    }
    const lost: UpsertInput[] = [];
    for (const row of rows) {
      const id = (row.lead.email && byEmail.get(row.lead.email)) || (row.lead.phone && byPhone.get(row.lead.phone));
      if (id) {
        outcome.ids.set(row.ref, id);
        outcome.created++;
      } else lost.push(row);
    }
    return lost;
  }
}

function mergeLead(base: NormalizedLead, next: NormalizedLead): NormalizedLead {
  return {
    email: next.email ?? base.email,
    phone: next.phone ?? base.phone,
    firstName: next.firstName ?? base.firstName,
    lastName: next.lastName ?? base.lastName,
    timezone: next.timezone ?? base.timezone,
    attributes: { ...base.attributes, ...next.attributes },
    consent: { ...base.consent, ...next.consent },
  };
}
