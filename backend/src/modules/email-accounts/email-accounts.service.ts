import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { EmailAccount } from './email-account.entity';

@Injectable()
export class EmailAccountsService {
  constructor(private readonly dataSource: DataSource) {}

  list(organizationId: string): Promise<EmailAccount[]> {
    return this.dataSource.getRepository(EmailAccount).find({ where: { organizationId }, order: { createdAt: 'ASC' } });
  }

  async get(organizationId: string, id: string): Promise<EmailAccount> {
    const row = await this.dataSource.getRepository(EmailAccount).findOneBy({ organizationId, id });
    if (!row) throw new AppError('not_found', `No email account ${id}`);
    return row;
  }
}

/** Tokens never leave through the API. */
export function presentEmailAccount(a: EmailAccount) {
  return {
    id: a.id,
    provider: a.provider,
    email: a.email,
    scopes: a.scopes,
    status: a.status,
    isPrimary: a.isPrimary,
    dailyCap: a.dailyCap,
    lastError: a.lastError,
    repliesCheckedAt: a.inboundSyncedAt,
    repliesError: a.inboundError,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  };
}
