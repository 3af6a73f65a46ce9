import { IsEmail, IsOptional, IsUUID, Matches, MaxLength } from 'class-validator';
import type { EntityManager } from 'typeorm';
import { AppError } from '../../common/errors/app-error';

/** How the organization's own systems name a lead (conversions, events): exactly one of leadId, email and phone. */
export class LeadRefDto {
  @IsOptional()
  @IsUUID()
  leadId?: string;

  /** @example "ada@example.com" */
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string;

  /** E.164. @example "+14155550123" */
  @IsOptional()
  @Matches(/^\+[1-9]\d{6,14}$/, { message: 'phone must be in E.164 (+ and 7 to 15 digits)' })
  phone?: string;
}

/** 400 `validation_failed` unless exactly one of leadId, email and phone is given. */
export function assertOneLeadRef(ref: LeadRefDto): void {
  const named = [ref.leadId, ref.email, ref.phone].filter((v) => v !== undefined).length;
  if (named !== 1) throw new AppError('validation_failed', 'Name the lead by exactly one of leadId, email and phone');
}

/** The id of the lead a reference names (emails compared lower-cased, as leads store them); 404 `lead_not_found` if none. */
export async function findLeadId(m: Pick<EntityManager, 'query'>, organizationId: string, ref: LeadRefDto): Promise<string> {
  assertOneLeadRef(ref);
  const [column, value] = ref.leadId
    ? ['id', ref.leadId.toLowerCase()]
    : ref.email
      ? ['email', ref.email.trim().toLowerCase()]
      : ['phone', ref.phone!];
  const [lead]: Array<{ id: string }> = await m.query(`SELECT id FROM leads WHERE organization_id = $1 AND ${column} = $2`, [
    organizationId,
    value,
  ]);
  if (!lead) throw new AppError('lead_not_found', 'No lead of this organization has that id, email or phone');
  return lead.id;
}
