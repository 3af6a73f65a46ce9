import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { OrgId } from '../../common/auth/auth-context';
import { ApiKey } from './api-key.entity';
import { CreateApiKeyDto } from './api-keys.dto';
import { ApiKeysService, IssuedApiKey } from './api-keys.service';

function present(key: ApiKey) {
  return { id: key.id, name: key.name, prefix: key.prefix, createdAt: key.createdAt, lastUsedAt: key.lastUsedAt, revokedAt: key.revokedAt };
}

@ApiTags('api-keys')
@ApiBearerAuth()
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Get()
  async list(@OrgId() orgId: string) {
    return { items: (await this.apiKeys.list(orgId)).map(present) };
  }

  /** The answer is the only time the full key is shown. */
  @Post()
  create(@OrgId() orgId: string, @Body() dto: CreateApiKeyDto): Promise<IssuedApiKey> {
    return this.apiKeys.issue(orgId, dto.name);
  }

  @Post(':id/revoke')
  @HttpCode(200)
  async revoke(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string) {
    return present(await this.apiKeys.revoke(orgId, id));
  }
}
