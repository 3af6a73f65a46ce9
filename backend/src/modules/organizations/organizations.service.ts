import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApiKeysService, IssuedApiKey } from '../api-keys/api-keys.service';
import { Organization } from './organization.entity';

@Injectable()
export class OrganizationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly apiKeys: ApiKeysService,
  ) {}

  /** An organization is never created without a way in: its first API key comes with it. */
  async create(name: string): Promise<{ organization: Organization; apiKey: IssuedApiKey }> {
    return this.dataSource.transaction(async (manager) => {
      const organization = await manager.save(manager.create(Organization, { name }));
      const apiKey = await this.apiKeys.issue(organization.id, 'default', manager);
      return { organization, apiKey };
    });
  }

  list(): Promise<Organization[]> {
    return this.dataSource.getRepository(Organization).find({ order: { createdAt: 'ASC' } });
  }
}
