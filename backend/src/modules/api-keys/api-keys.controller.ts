import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OrgId } from '../../common/auth/auth-context';
import { ApiErrors, AUTH_ERRORS, JSON_BODY_ERRORS } from '../../common/http/api-errors';
import { ApiKey } from './api-key.entity';
import { CreateApiKeyDto } from './api-keys.dto';
import { ApiKeyListResponse, ApiKeyResponse, IssuedApiKeyResponse } from './api-keys.responses';
import { ApiKeysService, IssuedApiKey } from './api-keys.service';

function present(key: ApiKey) {
  return { id: key.id, name: key.name, prefix: key.prefix, createdAt: key.createdAt, lastUsedAt: key.lastUsedAt, revokedAt: key.revokedAt };
}

@ApiTags('api-keys')
@ApiBearerAuth()
@ApiErrors(AUTH_ERRORS)
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Get()
  @ApiOperation({ summary: "The organization's API keys, revoked ones included (never their secrets)" })
  @ApiOkResponse({ type: ApiKeyListResponse })
  async list(@OrgId() orgId: string) {
    return { items: (await this.apiKeys.list(orgId)).map(present) };
  }

  /** The answer is the only time the full key is shown. */
  @Post()
  @ApiOperation({ summary: 'Issue a key: the answer is the only time the full key is shown' })
  @ApiCreatedResponse({ type: IssuedApiKeyResponse })
  @ApiErrors(JSON_BODY_ERRORS)
  create(@OrgId() orgId: string, @Body() dto: CreateApiKeyDto): Promise<IssuedApiKey> {
    return this.apiKeys.issue(orgId, dto.name);
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a key: it stops working at once (revoking twice changes nothing)' })
  @ApiOkResponse({ type: ApiKeyResponse })
  @ApiErrors('validation_failed', 'api_key_not_found')
  async revoke(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string) {
    return present(await this.apiKeys.revoke(orgId, id));
  }
}
