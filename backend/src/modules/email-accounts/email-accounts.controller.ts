import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OrgId } from '../../common/auth/auth-context';
import { ApiErrors, AUTH_ERRORS } from '../../common/http/api-errors';
import { EmailAccountListResponse, EmailAccountResponse } from './email-accounts.responses';
import { EmailAccountsService, presentEmailAccount } from './email-accounts.service';

@ApiTags('email-accounts')
@ApiBearerAuth()
@ApiErrors(AUTH_ERRORS)
@Controller('email-accounts')
export class EmailAccountsController {
  constructor(private readonly accounts: EmailAccountsService) {}

  @Get()
  @ApiOperation({ summary: 'Mailboxes connected through OAuth (Gmail), with status and scopes; never tokens' })
  @ApiOkResponse({ type: EmailAccountListResponse })
  async list(@OrgId() orgId: string) {
    return { items: (await this.accounts.list(orgId)).map(presentEmailAccount) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'A connected mailbox' })
  @ApiOkResponse({ type: EmailAccountResponse })
  @ApiErrors('validation_failed', 'not_found')
  async get(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string) {
    return presentEmailAccount(await this.accounts.get(orgId, id));
  }
}
