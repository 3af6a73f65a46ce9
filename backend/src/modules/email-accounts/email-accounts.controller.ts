import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OrgId } from '../../common/auth/auth-context';
import { EmailAccountsService, presentEmailAccount } from './email-accounts.service';

@ApiTags('email-accounts')
@ApiBearerAuth()
@Controller('email-accounts')
export class EmailAccountsController {
  constructor(private readonly accounts: EmailAccountsService) {}

  @Get()
  @ApiOperation({ summary: 'Mailboxes connected through OAuth (Gmail), with status and scopes; never tokens' })
  async list(@OrgId() orgId: string) {
    return { items: (await this.accounts.list(orgId)).map(presentEmailAccount) };
  }

  @Get(':id')
  async get(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string) {
    return presentEmailAccount(await this.accounts.get(orgId, id));
  }
}
