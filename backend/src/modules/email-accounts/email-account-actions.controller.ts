import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OrgId } from '../../common/auth/auth-context';
import { UpdateEmailAccountDto } from './email-accounts.dto';
import { presentEmailAccount } from './email-accounts.service';
import { GmailAccountsService } from './gmail-accounts.service';

/** What a person does with a connected mailbox in Settings (connecting itself is a browser flow under /auth/gmail). */
@ApiTags('email-accounts')
@ApiBearerAuth()
@Controller('email-accounts')
export class EmailAccountActionsController {
  constructor(private readonly gmail: GmailAccountsService) {}

  @Patch(':id')
  @ApiOperation({ summary: 'Change the daily sending cap' })
  async update(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateEmailAccountDto) {
    return presentEmailAccount(await this.gmail.setDailyCap(orgId, id, dto.dailyCap));
  }

  @Post(':id/primary')
  @HttpCode(200)
  @ApiOperation({ summary: "Make this the organization's primary mailbox" })
  async primary(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string) {
    return presentEmailAccount(await this.gmail.makePrimary(orgId, id));
  }

  @Post(':id/test')
  @HttpCode(200)
  @ApiOperation({ summary: 'Test connection: refresh the access token now and read the Gmail profile' })
  test(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string) {
    return this.gmail.test(orgId, id);
  }

  @Post(':id/disconnect')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke access at Google and delete the tokens (the mailbox stays listed as disconnected)' })
  async disconnect(@OrgId() orgId: string, @Param('id', ParseUUIDPipe) id: string) {
    const { account, revoked, message } = await this.gmail.disconnect(orgId, id);
    return { ...presentEmailAccount(account), revoked, message };
  }
}
